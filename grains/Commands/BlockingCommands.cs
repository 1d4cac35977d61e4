using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Keyspace;
using static OrleansLua.Grains.Commands.ListCommands;

namespace OrleansLua.Grains.Commands;

/// <summary>
/// The grain side of blocking commands: one non-blocking attempt. Data there → the pop's reply;
/// none → a null array, which is also the reply inside MULTI and scripts, and which tells the
/// grain (when the gateway asked it to block) to queue the client until a write arrives.
/// </summary>
public static class BlockingCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
        ["blpop"] = c => Pop(c, ListEnd.Left),
        ["brpop"] = c => Pop(c, ListEnd.Right),
        ["blmove"] = BLMove,
        ["brpoplpush"] = c => Move(c, ListEnd.Right, ListEnd.Left),
        ["blmpop"] = BLMPop,
        ["bzpopmin"] = c => ZPop(c, max: false),
        ["bzpopmax"] = c => ZPop(c, max: true),
        ["bzmpop"] = c =>
        {
            if (TimeoutOk(c)) SortedSetCommands.MultiPop(c, numKeysIndex: 2);
        },
    };

    /// <summary>
    /// A client is about to wait: XREAD's "$" must keep meaning the last ID at the time it blocked,
    /// so each "$" is replaced by that ID in the command the grain will retry.
    /// </summary>
    internal static byte[][] PinForWaiting(CommandContext c, byte[][] args)
    {
        if (!args[0].Is("xread")) return args;
        var read = StreamReadArgs.Parse(args, out _);
        if (read is null) return args;
        var pinned = (byte[][])args.Clone();
        for (int i = 0; i < read.StreamCount; i++)
        {
            int index = read.IdIndex(i);
            if (args[index] is not [(byte)'$']) continue;
            var stream = c.Keys.Get(args[read.FirstKey + i], c.Now)?.Value as RedisStream;
            pinned[index] = System.Text.Encoding.ASCII.GetBytes((stream?.LastId ?? StreamId.Zero).ToString());
        }
        return pinned;
    }

    /// <summary>Validates the timeout as Redis does even when the command will not block.</summary>
    private static bool TimeoutOk(CommandContext c)
    {
        if (BlockingTimeout.TryParse(CommandTable.Find(c.Args[0])!, c.Args, out _, out _, out var error)) return true;
        c.Reply.WriteError(error!);
        return false;
    }

    private static void Pop(CommandContext c, ListEnd end)
    {
        if (!TimeoutOk(c)) return;
        if (!TryPopFirst(c, c.Args.AsSpan(1, c.Args.Length - 2), end, 1, PopReply.KeyAndElement)) c.Reply.WriteNullArray();
    }

    private static void BLMove(CommandContext c)
    {
        if (!TimeoutOk(c)) return;
        if (!TryParseEnd(c.Args[3], out var from) || !TryParseEnd(c.Args[4], out var to))
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        if (!TryMove(c, c.Args[1], c.Args[2], from, to)) c.Reply.WriteNullArray();
    }

    private static void Move(CommandContext c, ListEnd from, ListEnd to)
    {
        if (!TimeoutOk(c)) return;
        if (!TryMove(c, c.Args[1], c.Args[2], from, to)) c.Reply.WriteNullArray();
    }

    private static void ZPop(CommandContext c, bool max)
    {
        if (!TimeoutOk(c)) return;
        if (!SortedSetCommands.TryPop(c, c.Args.AsSpan(1, c.Args.Length - 2), max, 1, SortedSetPopReply.KeyFlat)) c.Reply.WriteNullArray();
    }

    private static void BLMPop(CommandContext c)
    {
        if (!TimeoutOk(c)) return;
        if (!TryParseMultiPop(c, 2, out var keys, out var end, out long count)) return;
        if (!TryPopFirst(c, c.Args.AsSpan(keys), end, count, PopReply.KeyAndElements)) c.Reply.WriteNullArray();
    }
}
