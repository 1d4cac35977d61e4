namespace OrleansLua.Grains.Commands;

/// <summary>Hash commands (HSET, HGET, …), Redis 7 semantics.</summary>
public static class HashCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
    };
}
