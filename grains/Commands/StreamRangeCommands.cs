using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

public static partial class StreamCommands
{
    public static void XLen(CommandContext c)
    {
        if (c.TryRead<RedisStream>(c.Args[1], out var stream)) c.Reply.WriteInteger(stream?.Length ?? 0);
    }

    /// <summary>XRANGE key start end [COUNT count]</summary>
    public static void XRange(CommandContext c) => RangeGeneric(c, reverse: false);

    /// <summary>XREVRANGE key end start [COUNT count]</summary>
    public static void XRevRange(CommandContext c) => RangeGeneric(c, reverse: true);

    private static void RangeGeneric(CommandContext c, bool reverse)
    {
        var a = c.Args;
        if (!StreamArgs.TryParseRangeStart(c, reverse ? a[3] : a[2], out var start)) return;
        if (!StreamArgs.TryParseRangeEnd(c, reverse ? a[2] : a[3], out var end)) return;
        long count = -1;
        for (int i = 4; i < a.Length; i++)
        {
            if (a[i].Is("count") && i + 1 < a.Length)
            {
                if (!StreamArgs.TryInt64(c, a[++i], Errors.NotInteger, out count)) return;
                count = Math.Max(count, 0);
            }
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
        }
        if (!c.TryRead<RedisStream>(a[1], out var stream)) return;
        if (stream is null) c.Reply.WriteArrayHeader(0);
        else if (count == 0) c.Reply.WriteNullArray();
        else c.Reply.WriteEntries(StreamArgs.UpTo(stream.Range(start, end, reverse), count));
    }

    /// <summary>XDEL key id [id …]: all IDs are checked before any is deleted.</summary>
    public static void XDel(CommandContext c)
    {
        var a = c.Args;
        if (!c.TryWrite<RedisStream>(a[1], create: false, out var stream)) return;
        if (stream is null)
        {
            c.Reply.WriteInteger(0);
            return;
        }
        var ids = new StreamId[a.Length - 2];
        for (int i = 0; i < ids.Length; i++)
            if (!StreamArgs.TryParseId(c, a[i + 2], out ids[i])) return;
        long deleted = 0;
        foreach (var id in ids)
            if (stream.Delete(id)) deleted++;
        c.Reply.WriteInteger(deleted);
    }

    /// <summary>XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]</summary>
    public static void XSetId(CommandContext c)
    {
        var a = c.Args;
        if (!StreamArgs.TryParseId(c, a[2], out var lastId)) return;
        long entriesAdded = -1;
        var maxDeleted = StreamId.Zero;
        for (int i = 3; i < a.Length; i += 2)
        {
            bool hasValue = i + 1 < a.Length;
            if (a[i].Is("entriesadded") && hasValue)
            {
                if (!StreamArgs.TryInt64(c, a[i + 1], Errors.NotInteger, out entriesAdded)) return;
                if (entriesAdded < 0)
                {
                    c.Reply.WriteError("ERR entries_added must be positive");
                    return;
                }
            }
            else if (a[i].Is("maxdeletedid") && hasValue)
            {
                if (!StreamArgs.TryParseId(c, a[i + 1], out maxDeleted)) return;
                if (lastId < maxDeleted)
                {
                    c.Reply.WriteError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                    return;
                }
            }
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
        }
        if (!c.TryWrite<RedisStream>(a[1], create: false, out var stream)) return;
        if (stream is null)
        {
            c.Reply.WriteError(Errors.NoSuchKey);
            return;
        }
        if (stream.Length > 0)
        {
            if (lastId < stream.LastValidId)
            {
                c.Reply.WriteError("ERR The ID specified in XSETID is smaller than the target stream top item");
                return;
            }
            if (entriesAdded != -1 && stream.Length > entriesAdded)
            {
                c.Reply.WriteError("ERR The entries_added specified in XSETID is smaller than the target stream length");
                return;
            }
        }
        stream.LastId = lastId;
        if (entriesAdded != -1) stream.EntriesAdded = entriesAdded;
        if (!maxDeleted.IsZero) stream.MaxDeletedId = maxDeleted;
        c.Reply.WriteOk();
    }
}
