using System.Text;
using OrleansLua.Client.Gateway;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.Grains.Commands;
using Xunit;

namespace OrleansLua.Tests.Unit;

/// <summary>The gateway's handler table against the command table, as <see cref="CommandTableTests"/> checks the grains' handlers.</summary>
public class GatewayHandlersTests
{
    private static byte[][] Args(params string[] args) => args.Select(Encoding.UTF8.GetBytes).ToArray();

    [Fact]
    public void Every_command_the_gateway_runs_has_a_handler_and_no_other_has_one()
    {
        var registered = GatewayHandlers.Build().Registered.Select(s => s.Name).Order().ToList();
        var expected = CommandTable.ById.Where(GatewayHandlers.RunsOnGateway).Select(s => s.Name).Order().ToList();
        Assert.Equal(expected, registered);
        // the subcommands' HELP too, and only the containers a client may send bare
        Assert.Contains("client|help", registered);
        Assert.Contains("command", registered);
        Assert.DoesNotContain("client", registered);
        Assert.DoesNotContain("get", registered);
    }

    [Fact]
    public void A_missing_handler_fails_validation_with_its_name()
    {
        var registered = GatewayHandlers.Build().Registered.Where(s => s.Name != "client|id").ToList();
        var error = Assert.Throws<InvalidOperationException>(() => GatewayHandlers.Validate(CommandTable.ById, registered));
        Assert.Contains("no gateway handler for client|id", error.Message);
    }

    [Fact]
    public void A_handler_for_a_command_a_slot_runs_fails_validation()
    {
        var registered = GatewayHandlers.Build().Registered.Append(CommandTable.Find("get")!).ToList();
        var error = Assert.Throws<InvalidOperationException>(() => GatewayHandlers.Validate(CommandTable.ById, registered));
        Assert.Contains("get (Slot)", error.Message);
    }

    [Fact]
    public void Registering_an_unknown_or_repeated_name_throws()
    {
        var handlers = new GatewayHandlers();
        Assert.Throws<ArgumentException>(() => handlers.Add("no-such-command", _ => { }));
        handlers.Add("ping", _ => { });
        Assert.Throws<ArgumentException>(() => handlers.Add("PING", _ => { }));
    }

    [Fact]
    public void Execution_follows_routing()
    {
        var wrong = CommandTable.ById.Where(s => s.Execution switch
        {
            CommandExecution.Gateway or CommandExecution.PubSub or CommandExecution.Transaction => s.Routing != CommandRouting.Connection,
            CommandExecution.FanOut => s.Routing != CommandRouting.AllSlots,
            CommandExecution.SplitBySlot => s.Routing != CommandRouting.SplitBySlot,
            CommandExecution.Slot => s.Routing != CommandRouting.Slot || s.Has(CommandFlags.Blocking),
            CommandExecution.Blocking => s.Routing != CommandRouting.Slot || !s.Has(CommandFlags.Blocking),
            _ => true,
        }).Select(s => s.Name);
        Assert.Empty(wrong);
    }

    [Fact]
    public void Commands_queued_in_multi_run_in_a_slot()
    {
        // EXEC sends them to the transaction's slot: keyed commands, or keyless ones a shard grain answers too
        var notRunnable = CommandTable.ById
            .Where(s => s.InMulti == MultiBehavior.Queued && s.Subcommands.Count == 0)
            .Where(s => s.Routing == CommandRouting.Connection && CommandHandlers.For(s) is null)
            .Select(s => s.Name);
        Assert.Empty(notRunnable);
        Assert.Equal(["discard", "exec", "multi", "quit", "reset", "unwatch", "watch"],
            CommandTable.ById.Where(s => s.InMulti == MultiBehavior.RunsAtOnce).Select(s => s.Name).Order());
    }

    [Fact]
    public void Subscribed_mode_allows_redis_s_list()
    {
        Assert.Equal(["ping", "psubscribe", "punsubscribe", "quit", "reset", "ssubscribe", "subscribe", "sunsubscribe", "unsubscribe"],
            CommandTable.ById.Where(s => s.AllowedWhileSubscribed).Select(s => s.Name).Order());
    }

    [Theory]
    [InlineData(new[] { "AUTH", "user", "pass" }, new[] { false, true, true })]
    [InlineData(new[] { "hello", "3", "auth", "user", "pass", "setname", "x" }, new[] { false, false, false, true, true, false, false })]
    [InlineData(new[] { "acl", "SETUSER", "bob", "on", ">pw" }, new[] { false, false, false, true, true })]
    [InlineData(new[] { "config", "set", "maxclients", "10", "requirepass", "pw" }, new[] { false, false, false, false, false, true })]
    [InlineData(new[] { "acl", "getuser", "bob" }, new[] { false, false, false })]
    [InlineData(new[] { "set", "auth", "x" }, new[] { false, false, false })]
    public void Secret_arguments_come_from_the_table(string[] args, bool[] secret)
    {
        var request = Args(args);
        Assert.Equal(secret, Enumerable.Range(0, request.Length).Select(i => SecretArguments.IsSecret(request, i)));
    }
}
