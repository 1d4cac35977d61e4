using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Commands;

public static partial class StreamCommands
{
    /// <summary>
    /// XREAD [COUNT n] [BLOCK ms] STREAMS key … id …, and XREADGROUP GROUP g c [COUNT n] [BLOCK ms]
    /// [NOACK] STREAMS key … id …. Answers from what the streams hold now; when nothing can be
    /// served it replies as a BLOCK that timed out (null array). Waiting is not done here: a blocking
    /// layer calls <see cref="TryResolveReadIds"/> once and <see cref="TryServeRead"/> again later.
    /// </summary>
    public static void XRead(CommandContext c)
    {
        var read = StreamReadArgs.Parse(c.Args, out var error);
        if (read is null)
        {
            c.Reply.WriteError(error!);
            return;
        }
        // A script cannot wait (the Lua bridge receives the script's replies).
        if (read.BlockMs is not null && c.InScript)
        {
            c.Reply.WriteError($"ERR {c.Args[0].Text()} command is not allowed with BLOCK option from scripts");
            return;
        }
        if (!TryResolveReadIds(c, read, out var after)) return;
        if (!TryServeRead(c, read, after)) c.Reply.WriteNullArray();
    }

    /// <summary>
    /// Checks every stream of a read request in order and resolves its ID: "$" becomes the stream's
    /// last ID now, "&gt;" becomes <see cref="StreamId.Max"/>. Replies the error (WRONGTYPE,
    /// NOGROUP, misplaced "$" or "&gt;", invalid ID) and returns false when the request cannot run.
    /// </summary>
    internal static bool TryResolveReadIds(CommandContext c, StreamReadArgs read, out StreamId[] after)
    {
        after = new StreamId[read.StreamCount];
        for (int i = 0; i < after.Length; i++)
        {
            var key = c.Args[read.FirstKey + i];
            var id = c.Args[read.IdIndex(i)];
            if (!c.TryRead<RedisStream>(key, out var stream)) return false;
            if (read.Group is not null && StreamArgs.GroupOf(stream, read.Group) is null)
            {
                c.Reply.WriteError($"NOGROUP No such key '{key.Text()}' or consumer group '{read.Group.Text()}' in XREADGROUP with GROUP option");
                return false;
            }
            if (id is [(byte)'$'])
            {
                if (read.IsGroupRead)
                {
                    c.Reply.WriteError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.");
                    return false;
                }
                after[i] = stream?.LastId ?? StreamId.Zero;
            }
            else if (id is [(byte)'>'])
            {
                if (!read.IsGroupRead)
                {
                    c.Reply.WriteError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
                    return false;
                }
                after[i] = StreamId.Max;
            }
            else if (!StreamArgs.TryParseId(c, id, out after[i])) return false;
        }
        return true;
    }

    /// <summary>
    /// Serves a read request from what its streams hold now, as Redis serves one without blocking:
    /// entries after <paramref name="after"/>[i] for XREAD; for XREADGROUP new entries ("&gt;", which
    /// become pending for the consumer unless NOACK) or the consumer's pending entries from an ID.
    /// Writes the reply and returns true when at least one stream had something to serve; writes
    /// nothing and returns false otherwise. Keys that are missing, not streams or without the group
    /// are skipped, so a retry after the keys changed is safe.
    /// </summary>
    internal static bool TryServeRead(CommandContext c, StreamReadArgs read, StreamId[] after)
    {
        var served = new List<(byte[] Key, KeyEntry Entry, RedisStream Stream, ConsumerGroup? Group, StreamId After, bool History)>();
        for (int i = 0; i < after.Length; i++)
        {
            var key = c.Args[read.FirstKey + i];
            var entry = c.Keys.Get(key, c.Now);
            if (entry?.Value is not RedisStream stream) continue;
            if (read.Group is null)
            {
                if (stream.Length > 0 && stream.LastValidId > after[i]) served.Add((key, entry, stream, null, after[i], false));
                continue;
            }
            var group = StreamArgs.GroupOf(stream, read.Group);
            if (group is null) continue;
            if (after[i] != StreamId.Max) served.Add((key, entry, stream, group, after[i], true));
            else if (stream.Length > 0 && stream.LastValidId > group.LastId) served.Add((key, entry, stream, group, group.LastId, false));
        }
        if (served.Count == 0) return false;

        bool resp3 = c.Reply.Protocol == RespProtocol.Resp3;
        if (resp3) c.Reply.WriteMapHeader(served.Count);
        else c.Reply.WriteArrayHeader(served.Count);
        foreach (var (key, entry, stream, group, last, history) in served)
        {
            if (!resp3) c.Reply.WriteArrayHeader(2);
            c.Reply.WriteBulk(key);
            last.TryIncrement(out var start);
            if (group is null)
            {
                c.Reply.WriteEntries(StreamArgs.UpTo(stream.Range(start, StreamId.Max), read.Count));
                continue;
            }
            c.Keys.BeforeMutate(key, entry);
            var consumer = group.Consumer(read.Consumer!, c.Now);
            if (history) ServeHistory(c, stream, consumer, start, read.Count);
            else DeliverNew(c, stream, group, consumer, start, read.Count, read.NoAck);
        }
        return true;
    }

    /// <summary>The consumer's pending entries from <paramref name="start"/>: each counts as delivered again; deleted ones come with null fields.</summary>
    private static void ServeHistory(CommandContext c, RedisStream stream, StreamConsumer consumer, StreamId start, long count)
    {
        var pending = consumer.Pending.Range(start, StreamId.Max, count > 0 ? (int)Math.Min(count, int.MaxValue) : int.MaxValue);
        c.Reply.WriteArrayHeader(pending.Count);
        foreach (var nack in pending)
        {
            var entry = stream.Find(nack.Id);
            if (entry is null)
            {
                c.Reply.WriteArrayHeader(2);
                c.Reply.WriteId(nack.Id);
                c.Reply.WriteNullArray();
                continue;
            }
            c.Reply.WriteEntry(entry);
            nack.DeliveryTime = c.Now;
            nack.DeliveryCount++;
        }
    }

    /// <summary>Entries past the group's last delivered ID: the group moves on, and each becomes pending for the consumer unless NOACK.</summary>
    private static void DeliverNew(CommandContext c, RedisStream stream, ConsumerGroup group, StreamConsumer consumer, StreamId start, long count, bool noAck)
    {
        var entries = StreamArgs.UpTo(stream.Range(start, StreamId.Max), count);
        c.Reply.WriteArrayHeader(entries.Count);
        foreach (var entry in entries)
        {
            if (entry.Id > group.LastId)
            {
                group.EntriesRead = group.EntriesRead != ConsumerGroup.UnknownEntriesRead && !stream.RangeHasTombstones(entry.Id)
                    ? group.EntriesRead + 1
                    : stream.EstimateEntriesRead(entry.Id);
                group.LastId = entry.Id;
            }
            c.Reply.WriteEntry(entry);
            if (noAck) continue;
            if (!group.Pending.TryGet(entry.Id, out var nack))
            {
                nack = new PendingEntry(entry.Id, c.Now, 1);
                group.Pending.Add(nack);
            }
            // Already pending (XGROUP SETID moved the group back): it now belongs to this consumer, delivered once.
            ConsumerGroup.Assign(nack, consumer);
            nack.DeliveryTime = c.Now;
            nack.DeliveryCount = 1;
        }
    }
}
