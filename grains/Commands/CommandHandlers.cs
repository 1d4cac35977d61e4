using OrleansLua.GrainInterfaces.Commands;

namespace OrleansLua.Grains.Commands;

/// <summary>
/// Binds the command table's keyed commands to their implementations, by the table's name;
/// the table alone says what a command looks like.
/// </summary>
public static class CommandHandlers
{
    private static readonly Dictionary<string, CommandHandler> ByName = new()
    {
        ["get"] = StringCommands.Get,
        ["set"] = StringCommands.Set,
        ["setnx"] = StringCommands.SetNx,
        ["setex"] = StringCommands.SetEx,
        ["psetex"] = StringCommands.PSetEx,
        ["getset"] = StringCommands.GetSet,
        ["getdel"] = StringCommands.GetDel,
        ["getex"] = StringCommands.GetEx,
        ["mget"] = StringCommands.MGet,
        ["mset"] = StringCommands.MSet,
        ["msetnx"] = StringCommands.MSetNx,
        ["incr"] = StringCommands.Incr,
        ["incrby"] = StringCommands.IncrBy,
        ["decr"] = StringCommands.Decr,
        ["decrby"] = StringCommands.DecrBy,
        ["incrbyfloat"] = StringCommands.IncrByFloat,
        ["append"] = StringCommands.Append,
        ["strlen"] = StringCommands.StrLen,
        ["getrange"] = StringCommands.GetRange,
        ["setrange"] = StringCommands.SetRange,
        ["del"] = KeyCommands.Del,
        ["unlink"] = KeyCommands.Del,
        ["exists"] = KeyCommands.Exists,
        ["touch"] = KeyCommands.Exists,
        ["type"] = KeyCommands.Type,
        ["expire"] = KeyCommands.Expire,
        ["pexpire"] = KeyCommands.PExpire,
        ["expireat"] = KeyCommands.ExpireAt,
        ["pexpireat"] = KeyCommands.PExpireAt,
        ["ttl"] = KeyCommands.Ttl,
        ["pttl"] = KeyCommands.PTtl,
        ["expiretime"] = KeyCommands.ExpireTime,
        ["pexpiretime"] = KeyCommands.PExpireTime,
        ["persist"] = KeyCommands.Persist,
        ["rename"] = KeyCommands.Rename,
        ["renamenx"] = KeyCommands.RenameNx,
        ["dbsize"] = KeyCommands.DbSize,
        ["keys"] = KeyCommands.Keys,
        ["randomkey"] = KeyCommands.RandomKey,
        ["flushall"] = KeyCommands.FlushAll,
        ["flushdb"] = KeyCommands.FlushAll,
        // keyless commands scripts may call
        ["ping"] = c => KeylessCommands.Ping(c.Args, c.Reply),
        ["echo"] = c => KeylessCommands.Echo(c.Args, c.Reply),
        ["time"] = c => KeylessCommands.Time(c.Reply),
    };

    private static readonly CommandHandler?[] ById = CommandTable.ById.Select(s => ByName.GetValueOrDefault(s.Name)).ToArray();

    /// <summary>Commands the table routes to shard grains that have no per-slot implementation (handled elsewhere).</summary>
    public static readonly IReadOnlySet<string> GatewayMerged = new HashSet<string> { "scan" };

    public static CommandHandler? For(CommandSpec spec) => ById[spec.Id];

    public static IEnumerable<string> Names => ByName.Keys;
}
