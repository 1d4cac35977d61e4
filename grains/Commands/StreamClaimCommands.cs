using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

public static partial class StreamCommands
{
    /// <summary>XAUTOCLAIM examines at most COUNT × 10 pending entries per call.</summary>
    private const long AutoClaimAttemptsPerCount = 10;

    /// <summary>
    /// XPENDING key group: a summary (count, first and last ID, consumers with pending entries);
    /// XPENDING key group [IDLE min-idle] start end count [consumer]: the pending entries themselves.
    /// </summary>
    public static void XPending(CommandContext c)
    {
        var a = c.Args;
        if (a.Length != 3 && (a.Length < 6 || a.Length > 9))
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        long minIdle = 0, count = 0;
        StreamId start = default, end = default;
        byte[]? consumerName = null;
        if (a.Length >= 6)
        {
            int at = 3;
            if (a[3].Is("idle"))
            {
                if (!StreamArgs.TryInt64(c, a[4], Errors.NotInteger, out minIdle)) return;
                if (a.Length < 8)
                {
                    c.Reply.WriteError(Errors.Syntax);
                    return;
                }
                at += 2;
            }
            if (!StreamArgs.TryInt64(c, a[at + 2], Errors.NotInteger, out count)) return;
            count = Math.Max(count, 0);
            if (!StreamArgs.TryParseRangeStart(c, a[at], out start) || !StreamArgs.TryParseRangeEnd(c, a[at + 1], out end)) return;
            if (at + 3 < a.Length) consumerName = a[at + 3];
        }
        if (!c.TryRead<RedisStream>(a[1], out var stream)) return;
        var group = StreamArgs.GroupOf(stream, a[2]);
        if (group is null)
        {
            c.Reply.WriteError(StreamArgs.NoKeyOrGroup(a[1], a[2]));
            return;
        }
        if (a.Length == 3) WritePendingSummary(c, group);
        else WritePendingEntries(c, group, consumerName, start, end, count, minIdle);
    }

    private static void WritePendingSummary(CommandContext c, ConsumerGroup group)
    {
        c.Reply.WriteArrayHeader(4);
        c.Reply.WriteInteger(group.Pending.Count);
        if (group.Pending.Count == 0)
        {
            c.Reply.WriteNull();
            c.Reply.WriteNull();
            c.Reply.WriteNullArray();
            return;
        }
        c.Reply.WriteId(group.Pending.First);
        c.Reply.WriteId(group.Pending.Last);
        var owners = group.Consumers.Values.Where(consumer => consumer.Pending.Count > 0).ToList();
        c.Reply.WriteArrayHeader(owners.Count);
        foreach (var consumer in owners)
        {
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteBulk(consumer.Name);
            c.Reply.WriteBulkString(consumer.Pending.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static void WritePendingEntries(CommandContext c, ConsumerGroup group, byte[]? consumerName, StreamId start, StreamId end, long count, long minIdle)
    {
        PendingEntries pel;
        if (consumerName is null) pel = group.Pending;
        else if (group.Consumers.TryGetValue(consumerName, out var consumer)) pel = consumer.Pending;
        else
        {
            c.Reply.WriteArrayHeader(0);
            return;
        }
        var entries = count == 0 ? []
            : StreamArgs.UpTo(pel.Range(start, end).Where(e => minIdle == 0 || c.Now - e.DeliveryTime >= minIdle), count);
        c.Reply.WriteArrayHeader(entries.Count);
        foreach (var entry in entries)
        {
            c.Reply.WriteArrayHeader(4);
            c.Reply.WriteId(entry.Id);
            c.Reply.WriteBulk(entry.Consumer!.Name);
            c.Reply.WriteInteger(Math.Max(c.Now - entry.DeliveryTime, 0));
            c.Reply.WriteInteger(entry.DeliveryCount);
        }
    }

    /// <summary>XCLAIM key group consumer min-idle-time id [id …] [IDLE ms] [TIME unix-ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id]</summary>
    public static void XClaim(CommandContext c)
    {
        var a = c.Args;
        if (!c.TryWrite<RedisStream>(a[1], create: false, out var stream)) return;
        var group = StreamArgs.GroupOf(stream, a[2]);
        if (stream is null || group is null)
        {
            c.Reply.WriteError(StreamArgs.NoKeyOrGroup(a[1], a[2]));
            return;
        }
        if (!StreamArgs.TryInt64(c, a[4], "ERR Invalid min-idle-time argument for XCLAIM", out long minIdle)) return;
        // The IDs run up to the first argument that is not one; options follow.
        int firstOption = 5;
        while (firstOption < a.Length && StreamId.TryParse(a[firstOption], 0, strict: true, out _)) firstOption++;
        long? deliveryTime = null;
        long retryCount = -1;
        bool force = false, justId = false;
        var lastId = StreamId.Zero;
        for (int i = firstOption; i < a.Length; i++)
        {
            bool hasValue = i + 1 < a.Length;
            if (a[i].Is("force")) force = true;
            else if (a[i].Is("justid")) justId = true;
            else if (a[i].Is("idle") && hasValue)
            {
                if (!StreamArgs.TryInt64(c, a[++i], "ERR Invalid IDLE option argument for XCLAIM", out long idle)) return;
                deliveryTime = c.Now - idle;
            }
            else if (a[i].Is("time") && hasValue)
            {
                if (!StreamArgs.TryInt64(c, a[++i], "ERR Invalid TIME option argument for XCLAIM", out long time)) return;
                deliveryTime = time;
            }
            else if (a[i].Is("retrycount") && hasValue)
            {
                if (!StreamArgs.TryInt64(c, a[++i], "ERR Invalid RETRYCOUNT option argument for XCLAIM", out retryCount)) return;
            }
            else if (a[i].Is("lastid") && hasValue)
            {
                if (!StreamArgs.TryParseId(c, a[++i], out lastId)) return;
            }
            else
            {
                c.Reply.WriteError($"ERR Unrecognized XCLAIM option '{a[i].Text()}'");
                return;
            }
        }
        if (lastId > group.LastId) group.LastId = lastId;
        // A delivery time in the future or before 1970 is taken as now, as Redis does.
        long deliveredAt = deliveryTime is { } t && t >= 0 && t <= c.Now ? t : c.Now;

        StreamConsumer? consumer = null;
        var claimed = new List<(StreamId Id, StreamEntry Entry)>();
        for (int i = 5; i < firstOption; i++)
        {
            StreamId.TryParse(a[i], 0, strict: true, out var id);
            bool pending = group.Pending.TryGet(id, out var nack);
            var entry = stream.Find(id);
            if (entry is null)
            {
                // The entry is gone: it cannot be claimed, and it stops being pending.
                if (pending) group.Acknowledge(id);
                continue;
            }
            if (!pending && force)
            {
                nack = new PendingEntry(id, c.Now, 1);
                group.Pending.Add(nack);
            }
            if (nack is null) continue;
            if (nack.Consumer is not null && minIdle > 0 && c.Now - nack.DeliveryTime < minIdle) continue;
            consumer ??= group.Consumer(a[3], c.Now);
            ConsumerGroup.Assign(nack, consumer);
            nack.DeliveryTime = deliveredAt;
            if (retryCount >= 0) nack.DeliveryCount = retryCount;
            else if (!justId) nack.DeliveryCount++;
            claimed.Add((id, entry));
        }
        c.Reply.WriteArrayHeader(claimed.Count);
        foreach (var (id, entry) in claimed)
        {
            if (justId) c.Reply.WriteId(id);
            else c.Reply.WriteEntry(entry);
        }
    }

    /// <summary>
    /// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]: claims pending
    /// entries idle long enough, from <c>start</c> on. Replies [next start (0-0 when done), claimed,
    /// IDs of pending entries whose stream entry was deleted (dropped from the PEL)].
    /// </summary>
    public static void XAutoClaim(CommandContext c)
    {
        var a = c.Args;
        if (!StreamArgs.TryInt64(c, a[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM", out long minIdle)) return;
        if (!StreamArgs.TryParseRangeStart(c, a[5], out var start)) return;
        long count = 100;
        bool justId = false;
        for (int i = 6; i < a.Length; i++)
        {
            if (a[i].Is("count") && i + 1 < a.Length)
            {
                // Redis caps COUNT so that COUNT × 10 attempts cannot overflow.
                if (!a[++i].TryInt64(out count) || count < 1 || count > long.MaxValue / 16)
                {
                    c.Reply.WriteError("ERR COUNT must be > 0");
                    return;
                }
            }
            else if (a[i].Is("justid")) justId = true;
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
        }
        if (!c.TryWrite<RedisStream>(a[1], create: false, out var stream)) return;
        var group = StreamArgs.GroupOf(stream, a[2]);
        if (stream is null || group is null)
        {
            c.Reply.WriteError(StreamArgs.NoKeyOrGroup(a[1], a[2]));
            return;
        }

        long attempts = count * AutoClaimAttemptsPerCount;
        // One more than can be examined: the entry after the last one examined is the next start.
        var candidates = group.Pending.Range(start, StreamId.Max, (int)Math.Min(attempts + 1, int.MaxValue));
        StreamConsumer? consumer = null;
        var claimed = new List<(StreamId Id, StreamEntry Entry)>();
        var deleted = new List<StreamId>();
        int examined = 0;
        for (; attempts > 0 && count > 0 && examined < candidates.Count; attempts--)
        {
            var nack = candidates[examined++];
            var entry = stream.Find(nack.Id);
            if (entry is null)
            {
                group.Acknowledge(nack.Id);
                deleted.Add(nack.Id);
                count--;
                continue;
            }
            if (minIdle > 0 && c.Now - nack.DeliveryTime < minIdle) continue;
            consumer ??= group.Consumer(a[3], c.Now);
            ConsumerGroup.Assign(nack, consumer);
            nack.DeliveryTime = c.Now;
            if (!justId) nack.DeliveryCount++;
            claimed.Add((nack.Id, entry));
            count--;
        }

        c.Reply.WriteArrayHeader(3);
        c.Reply.WriteId(examined < candidates.Count ? candidates[examined].Id : StreamId.Zero);
        c.Reply.WriteArrayHeader(claimed.Count);
        foreach (var (id, entry) in claimed)
        {
            if (justId) c.Reply.WriteId(id);
            else c.Reply.WriteEntry(entry);
        }
        c.Reply.WriteArrayHeader(deleted.Count);
        foreach (var id in deleted) c.Reply.WriteId(id);
    }
}
