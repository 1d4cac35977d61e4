using OrleansLua.Protocol;

namespace OrleansLua.GrainInterfaces.Commands;

/// <summary>
/// Commands with no keys and no state, answered the same by the gateway (from clients) and by
/// shard grains (from scripts, and from transactions: the table queues them in MULTI).
/// </summary>
public static class KeylessCommands
{
    public static void Ping(byte[][] args, IReplyWriter w)
    {
        if (args.Length > 2) w.WriteError("ERR wrong number of arguments for 'ping' command");
        else if (args.Length == 2) w.WriteBulk(args[1]);
        else w.WriteSimpleString("PONG");
    }

    public static void Echo(byte[][] args, IReplyWriter w) => w.WriteBulk(args[1]);

    public static void Time(IReplyWriter w)
    {
        long micros = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
        w.WriteArrayHeader(2);
        w.WriteBulkString((micros / 1_000_000).ToString());
        w.WriteBulkString((micros % 1_000_000).ToString());
    }
}
