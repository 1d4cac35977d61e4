namespace OrleansLua.Grains.Commands;

/// <summary>Sorted set commands (ZADD, ZRANGE, …), Redis 7 semantics.</summary>
public static class SortedSetCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
    };
}
