using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

/// <summary>Stream ID arguments and error texts shared by the stream commands.</summary>
internal static class StreamArgs
{
    public const string InvalidId = "ERR Invalid stream ID specified as stream command argument";

    /// <summary>An ID argument; "-" and "+" only when not <paramref name="strict"/>. Replies the error when invalid.</summary>
    public static bool TryParseId(CommandContext c, byte[] arg, out StreamId id, bool strict = true)
    {
        if (StreamId.TryParse(arg, 0, strict, out id)) return true;
        c.Reply.WriteError(InvalidId);
        return false;
    }

    /// <summary>A range start: "-", an ID (missing seq: 0), or "(" ID for exclusive.</summary>
    public static bool TryParseRangeStart(CommandContext c, byte[] arg, out StreamId id)
    {
        if (!TryParseInterval(c, arg, 0, out id, out bool exclusive)) return false;
        if (!exclusive || id.TryIncrement(out id)) return true;
        c.Reply.WriteError("ERR invalid start ID for the interval");
        return false;
    }

    /// <summary>A range end: "+", an ID (missing seq: the largest), or "(" ID for exclusive.</summary>
    public static bool TryParseRangeEnd(CommandContext c, byte[] arg, out StreamId id)
    {
        if (!TryParseInterval(c, arg, ulong.MaxValue, out id, out bool exclusive)) return false;
        if (!exclusive || id.TryDecrement(out id)) return true;
        c.Reply.WriteError("ERR invalid end ID for the interval");
        return false;
    }

    private static bool TryParseInterval(CommandContext c, byte[] arg, ulong missingSeq, out StreamId id, out bool exclusive)
    {
        exclusive = arg.Length > 1 && arg[0] == (byte)'(';
        bool valid = exclusive
            ? StreamId.TryParse(arg.AsSpan(1), missingSeq, strict: true, out id)
            : StreamId.TryParse(arg, missingSeq, strict: false, out id);
        if (!valid) c.Reply.WriteError(InvalidId);
        return valid;
    }

    /// <summary>Up to COUNT items; a COUNT of 0 means all.</summary>
    public static List<T> UpTo<T>(IEnumerable<T> items, long count) =>
        (count > 0 ? items.Take((int)Math.Min(count, int.MaxValue)) : items).ToList();

    /// <summary>An integer argument with a command-specific error text.</summary>
    public static bool TryInt64(CommandContext c, byte[] arg, string error, out long value)
    {
        if (arg.TryInt64(out value)) return true;
        c.Reply.WriteError(error);
        return false;
    }

    /// <summary>Redis's reply to a subcommand with unknown options or a wrong argument count.</summary>
    public static void SubcommandSyntaxError(CommandContext c) =>
        c.Reply.WriteError($"ERR unknown subcommand or wrong number of arguments for '{c.Args[1].Text()}'. Try {c.Args[0].Text().ToUpperInvariant()} HELP.");

    /// <summary>XPENDING, XCLAIM and XAUTOCLAIM word it so.</summary>
    public static string NoKeyOrGroup(byte[] key, byte[] group) =>
        $"NOGROUP No such key '{key.Text()}' or consumer group '{group.Text()}'";

    /// <summary>XGROUP and XINFO CONSUMERS word it so.</summary>
    public static string NoGroupForKey(byte[] key, byte[] group) =>
        $"NOGROUP No such consumer group '{group.Text()}' for key name '{key.Text()}'";

    /// <summary>A stream's group, or null when the key or the group is missing.</summary>
    public static ConsumerGroup? GroupOf(RedisStream? stream, byte[] name) =>
        stream is not null && stream.Groups.TryGetValue(name, out var group) ? group : null;
}
