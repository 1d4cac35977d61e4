namespace OrleansLua.Grains.Commands;

/// <summary>Set commands (SADD, SMEMBERS, …), Redis 7 semantics.</summary>
public static class SetCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
    };
}
