namespace OrleansLua.Grains.Commands;

/// <summary>Stream commands (XADD, XRANGE, …), Redis 7 semantics.</summary>
public static class StreamCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
    };
}
