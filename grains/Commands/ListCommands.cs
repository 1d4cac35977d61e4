namespace OrleansLua.Grains.Commands;

/// <summary>List commands (LPUSH, LRANGE, …), Redis 7 semantics.</summary>
public static class ListCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
    };
}
