using OrleansLua.GrainInterfaces.Commands;

namespace OrleansLua.Grains.Commands;

/// <summary>
/// Binds the command table's keyed commands to their implementations, by the table's name;
/// the table alone says what a command looks like.
/// </summary>
public static class CommandHandlers
{
    /// <summary>Keyless commands scripts may call (the gateway answers them itself for clients).</summary>
    private static readonly Dictionary<string, CommandHandler> KeylessHandlers = new()
    {
        ["ping"] = c => KeylessCommands.Ping(c.Args, c.Reply),
        ["echo"] = c => KeylessCommands.Echo(c.Args, c.Reply),
        ["time"] = c => KeylessCommands.Time(c.Reply),
    };

    private static readonly Dictionary<string, CommandHandler> ByName = Merge(
        StringCommands.Handlers, BitmapCommands.Handlers, BitfieldCommands.Handlers, SortCommands.Handlers, LcsCommand.Handlers, KeyCommands.Handlers, KeylessHandlers, HashCommands.Handlers, ListCommands.Handlers,
        SetCommands.Handlers, SortedSetCommands.Handlers, StreamCommands.Handlers, BlockingCommands.Handlers);

    private static Dictionary<string, CommandHandler> Merge(params IReadOnlyDictionary<string, CommandHandler>[] groups)
    {
        var all = new Dictionary<string, CommandHandler>();
        foreach (var group in groups)
            foreach (var (name, handler) in group) all.Add(name, handler);
        return all;
    }

    private static readonly CommandHandler?[] ById = CommandTable.ById.Select(s => ByName.GetValueOrDefault(s.Name)).ToArray();

    /// <summary>Commands the table routes to shard grains that have no per-slot implementation (handled elsewhere).</summary>
    public static readonly IReadOnlySet<string> GatewayMerged = new HashSet<string> { "scan" };

    public static CommandHandler? For(CommandSpec spec) => ById[spec.Id];

    public static IEnumerable<string> Names => ByName.Keys;
}
