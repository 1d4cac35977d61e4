using System.Text;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Commands;
using Xunit;

namespace OrleansLua.Tests.Unit;

public class CommandTableTests
{
    private static byte[][] Args(params string[] args) => args.Select(Encoding.UTF8.GetBytes).ToArray();

    [Fact]
    public void Every_command_routed_to_a_shard_has_an_implementation()
    {
        var missing = CommandTable.All
            .SelectMany(c => c.Subcommands.Count > 0 ? c.Subcommands : [c])
            .Where(c => c.Routing != CommandRouting.Connection)
            .Where(c => CommandHandlers.For(c) is null && !CommandHandlers.GatewayMerged.Contains(c.Name))
            .Where(c => !c.RunsScript)
            .Select(c => c.Name)
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_implementation_is_declared_in_the_table()
    {
        var declared = CommandTable.ById.Select(c => c.Name).ToHashSet();
        Assert.All(CommandHandlers.Names, name => Assert.Contains(name, declared));
    }

    [Fact]
    public void Names_are_unique_and_lower_case()
    {
        var names = CommandTable.ById.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Equal(n.ToLowerInvariant(), n));
    }

    [Fact]
    public void Lookup_ignores_case() => Assert.Equal("get", CommandTable.Find("GeT"u8)!.Name);

    [Fact]
    public void Arity_error_uses_redis_wording()
    {
        Assert.Null(CommandTable.Resolve(Args("GET"), out var error));
        Assert.Equal("ERR wrong number of arguments for 'get' command", error);
        Assert.Null(CommandTable.Resolve(Args("client", "setname"), out error));
        Assert.Equal("ERR wrong number of arguments for 'client|setname' command", error);
    }

    [Fact]
    public void Unknown_command_error_quotes_the_first_arguments()
    {
        Assert.Null(CommandTable.Resolve(Args("foo", "a", "b"), out var error));
        Assert.Equal("ERR unknown command 'foo', with args beginning with: 'a' 'b' ", error);
    }

    [Fact]
    public void Unknown_subcommand_error()
    {
        Assert.Null(CommandTable.Resolve(Args("CLIENT", "bogus"), out var error));
        Assert.Equal("ERR unknown subcommand 'bogus'. Try CLIENT HELP.", error);
    }

    [Theory]
    [InlineData(new[] { "mset", "a", "1", "b", "2" }, new[] { 1, 3 })]
    [InlineData(new[] { "del", "a", "b", "c" }, new[] { 1, 2, 3 })]
    [InlineData(new[] { "rename", "a", "b" }, new[] { 1, 2 })]
    [InlineData(new[] { "get", "a" }, new[] { 1 })]
    [InlineData(new[] { "ping" }, new int[0])]
    public void Key_positions_come_from_the_table(string[] args, int[] expected)
    {
        var spec = CommandTable.Resolve(Args(args), out _)!;
        var keys = new List<int>();
        Assert.Null(spec.Keys.Collect(Args(args), keys));
        Assert.Equal(expected, keys);
    }

    [Fact]
    public void Counted_keys_report_redis_errors()
    {
        var spec = CommandTable.Find("eval")!.Keys;
        var keys = new List<int>();
        Assert.Equal("ERR Number of keys can't be greater than number of args", spec.Collect(Args("eval", "s", "3", "a"), keys));
        Assert.Equal("ERR Number of keys can't be negative", spec.Collect(Args("eval", "s", "-1"), keys));
        Assert.Equal("ERR value is not an integer or out of range", spec.Collect(Args("eval", "s", "x"), keys));
        Assert.Null(spec.Collect(Args("eval", "s", "2", "a", "b", "c"), keys));
        Assert.Equal([3, 4], keys);
    }

    [Fact]
    public void Flags_print_as_redis_names()
    {
        var set = CommandTable.Find("set")!;
        Assert.Equal(["write", "denyoom"], set.FlagNames());
        Assert.True(CommandTable.Find("hello")!.Has(CommandFlags.NoScript));
    }

    [Fact]
    public void Acl_categories_are_redis_7_0s()
    {
        var different = CommandTable.ById
            .Where(c => RedisAclCategories.ByCommand.ContainsKey(c.Name))
            .Select(c => (c.Name, Ours: string.Join(' ', c.AclCategories().Order()), Redis: string.Join(' ', RedisAclCategories.ByCommand[c.Name].Split(' ', StringSplitOptions.RemoveEmptyEntries).Order())))
            .Where(c => c.Ours != c.Redis)
            .Select(c => $"{c.Name}: ours '{c.Ours}', redis '{c.Redis}'")
            .ToList();
        Assert.Equal("", string.Join("\n", different));
    }
}
