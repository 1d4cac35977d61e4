using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>One command the gateway runs itself, and what its handler may use. <see cref="Reply"/> speaks the session's protocol.</summary>
public readonly record struct GatewayCall(
    CommandSpec Spec, byte[][] Args, GatewayContext Gateway, ClientSession Session, RespWriter Reply, RespConnection Connection);

public delegate Task GatewayHandler(GatewayCall call);

/// <summary>
/// The gateway's handlers, indexed by <see cref="CommandSpec.Id"/>. Each command file registers its
/// commands by their table name; <see cref="Build"/> checks the result against the table, both ways.
/// </summary>
public sealed class GatewayHandlers
{
    private readonly GatewayHandler?[] _byId = new GatewayHandler?[CommandTable.ById.Count];

    /// <summary>Every handler, checked: throws when a command the gateway runs has none, or a handler has no such command.</summary>
    public static GatewayHandlers Build()
    {
        var handlers = new GatewayHandlers();
        ConnectionCommands.Register(handlers);
        ClientCommands.Register(handlers);
        AclCommands.Register(handlers);
        ClusterCommands.Register(handlers);
        CommandIntrospection.Register(handlers);
        ServerConfig.Register(handlers);
        SlowLogCommands.Register(handlers);
        ScriptCommands.Register(handlers);
        FunctionCommands.Register(handlers);
        FanOutCommands.Register(handlers);
        PubSubCommands.Register(handlers);
        RespConnection.Register(handlers);
        SubcommandHelp.Register(handlers);
        Validate(CommandTable.ById, handlers.Registered);
        return handlers;
    }

    /// <summary>Binds a command or subcommand ("ping", "client|id") to its handler; an unknown or repeated name throws.</summary>
    public void Add(string name, GatewayHandler handler)
    {
        var spec = CommandTable.FindAny(name) ?? throw new ArgumentException($"'{name}' is not in the command table", nameof(name));
        if (_byId[spec.Id] is not null) throw new ArgumentException($"'{name}' has a gateway handler already", nameof(name));
        _byId[spec.Id] = handler;
    }

    public void Add(string name, Action<GatewayCall> handler) => Add(name, call =>
    {
        handler(call);
        return Task.CompletedTask;
    });

    /// <summary>CONTAINER HELP: the subcommands and their summaries, from the table.</summary>
    public void AddHelp(string container) => Add(container + "|help", SubcommandHelp.Write);

    /// <summary>The handler of a command the gateway runs (<see cref="RunsOnGateway"/>).</summary>
    public GatewayHandler For(CommandSpec spec) => _byId[spec.Id]!;

    public IEnumerable<CommandSpec> Registered => CommandTable.ById.Where(s => _byId[s.Id] is not null);

    /// <summary>
    /// Commands the gateway runs itself rather than a slot. A container is run only when a client may
    /// send it without a subcommand (COMMAND); otherwise its subcommands are.
    /// </summary>
    public static bool RunsOnGateway(CommandSpec spec) =>
        spec.Execution is CommandExecution.Gateway or CommandExecution.PubSub or CommandExecution.Transaction or CommandExecution.FanOut
        && (spec.Subcommands.Count == 0 || spec.ArityOk(1));

    /// <summary>Throws, naming them, when a command the gateway runs has no handler or a handler is for a command it does not run.</summary>
    public static void Validate(IEnumerable<CommandSpec> table, IEnumerable<CommandSpec> registered)
    {
        var bound = registered.Select(s => s.Id).ToHashSet();
        var all = table.ToList();
        var missing = all.Where(s => RunsOnGateway(s) && !bound.Contains(s.Id)).Select(s => s.Name).ToList();
        var stray = all.Where(s => !RunsOnGateway(s) && bound.Contains(s.Id)).Select(s => $"{s.Name} ({s.Execution})").ToList();
        if (missing.Count == 0 && stray.Count == 0) return;
        var problems = new List<string>();
        if (missing.Count > 0) problems.Add("no gateway handler for " + string.Join(", ", missing));
        if (stray.Count > 0) problems.Add("gateway handlers for commands another side runs: " + string.Join(", ", stray));
        throw new InvalidOperationException("The gateway's handlers do not match the command table: " + string.Join("; ", problems));
    }
}
