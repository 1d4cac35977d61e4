using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

public static partial class StreamCommands
{
    /// <summary>XINFO STREAM FULL lists this many entries and pending entries unless COUNT says otherwise.</summary>
    private const long DefaultFullCount = 10;

    /// <summary>XINFO STREAM key [FULL [COUNT count]]</summary>
    public static void XInfoStream(CommandContext c)
    {
        var a = c.Args;
        if (InfoTarget(c) is not { } stream) return;
        if (a.Length == 3)
        {
            WriteStreamInfo(c, stream);
            return;
        }
        long count = DefaultFullCount;
        bool valid = (a.Length == 4 || a.Length == 6) && a[3].Is("full") && (a.Length == 4 || a[4].Is("count"));
        if (!valid)
        {
            StreamArgs.SubcommandSyntaxError(c);
            return;
        }
        if (a.Length == 6)
        {
            if (!StreamArgs.TryInt64(c, a[5], Errors.NotInteger, out count)) return;
            if (count < 0) count = DefaultFullCount;
        }
        WriteFullStreamInfo(c, stream, count);
    }

    /// <summary>XINFO GROUPS key</summary>
    public static void XInfoGroups(CommandContext c)
    {
        if (InfoTarget(c) is not { } stream) return;
        c.Reply.WriteArrayHeader(stream.Groups.Count);
        foreach (var (name, group) in stream.Groups)
        {
            c.Reply.WriteMapHeader(6);
            c.Reply.WriteBulkString("name");
            c.Reply.WriteBulk(name);
            c.Reply.WriteBulkString("consumers");
            c.Reply.WriteInteger(group.Consumers.Count);
            c.Reply.WriteBulkString("pending");
            c.Reply.WriteInteger(group.Pending.Count);
            WriteGroupProgress(c, stream, group);
        }
    }

    /// <summary>XINFO CONSUMERS key group</summary>
    public static void XInfoConsumers(CommandContext c)
    {
        if (InfoTarget(c) is not { } stream) return;
        var group = StreamArgs.GroupOf(stream, c.Args[3]);
        if (group is null)
        {
            c.Reply.WriteError(StreamArgs.NoGroupForKey(c.Args[2], c.Args[3]));
            return;
        }
        c.Reply.WriteArrayHeader(group.Consumers.Count);
        foreach (var consumer in group.Consumers.Values)
        {
            c.Reply.WriteMapHeader(3);
            c.Reply.WriteBulkString("name");
            c.Reply.WriteBulk(consumer.Name);
            c.Reply.WriteBulkString("pending");
            c.Reply.WriteInteger(consumer.Pending.Count);
            c.Reply.WriteBulkString("idle");
            c.Reply.WriteInteger(Math.Max(c.Now - consumer.SeenTime, 0));
        }
    }

    /// <summary>The stream every XINFO subcommand reads; replies "no such key" or WRONGTYPE otherwise.</summary>
    private static RedisStream? InfoTarget(CommandContext c)
    {
        if (!c.TryRead<RedisStream>(c.Args[2], out var stream)) return null;
        if (stream is null) c.Reply.WriteError(Errors.NoSuchKey);
        return stream;
    }

    private static void WriteStreamInfo(CommandContext c, RedisStream stream)
    {
        c.Reply.WriteMapHeader(10);
        WriteStreamCounters(c, stream);
        c.Reply.WriteBulkString("groups");
        c.Reply.WriteInteger(stream.Groups.Count);
        c.Reply.WriteBulkString("first-entry");
        c.Reply.WriteEntryOrNull(stream.First());
        c.Reply.WriteBulkString("last-entry");
        c.Reply.WriteEntryOrNull(stream.Last());
    }

    private static void WriteFullStreamInfo(CommandContext c, RedisStream stream, long count)
    {
        c.Reply.WriteMapHeader(9);
        WriteStreamCounters(c, stream);
        c.Reply.WriteBulkString("entries");
        c.Reply.WriteEntries(StreamArgs.UpTo(stream.Range(StreamId.Zero, StreamId.Max), count));
        c.Reply.WriteBulkString("groups");
        c.Reply.WriteArrayHeader(stream.Groups.Count);
        foreach (var (name, group) in stream.Groups)
        {
            c.Reply.WriteMapHeader(7);
            c.Reply.WriteBulkString("name");
            c.Reply.WriteBulk(name);
            WriteGroupProgress(c, stream, group);
            c.Reply.WriteBulkString("pel-count");
            c.Reply.WriteInteger(group.Pending.Count);
            c.Reply.WriteBulkString("pending");
            var pending = StreamArgs.UpTo(group.Pending.All(), count);
            c.Reply.WriteArrayHeader(pending.Count);
            foreach (var nack in pending)
            {
                c.Reply.WriteArrayHeader(4);
                c.Reply.WriteId(nack.Id);
                c.Reply.WriteBulk(nack.Consumer!.Name);
                c.Reply.WriteInteger(nack.DeliveryTime);
                c.Reply.WriteInteger(nack.DeliveryCount);
            }
            c.Reply.WriteBulkString("consumers");
            c.Reply.WriteArrayHeader(group.Consumers.Count);
            foreach (var consumer in group.Consumers.Values) WriteFullConsumerInfo(c, consumer, count);
        }
    }

    private static void WriteFullConsumerInfo(CommandContext c, StreamConsumer consumer, long count)
    {
        c.Reply.WriteMapHeader(4);
        c.Reply.WriteBulkString("name");
        c.Reply.WriteBulk(consumer.Name);
        c.Reply.WriteBulkString("seen-time");
        c.Reply.WriteInteger(consumer.SeenTime);
        c.Reply.WriteBulkString("pel-count");
        c.Reply.WriteInteger(consumer.Pending.Count);
        c.Reply.WriteBulkString("pending");
        var pending = StreamArgs.UpTo(consumer.Pending.All(), count);
        c.Reply.WriteArrayHeader(pending.Count);
        foreach (var nack in pending)
        {
            c.Reply.WriteArrayHeader(3);
            c.Reply.WriteId(nack.Id);
            c.Reply.WriteInteger(nack.DeliveryTime);
            c.Reply.WriteInteger(nack.DeliveryCount);
        }
    }

    /// <summary>The seven fields both forms of XINFO STREAM start with.</summary>
    private static void WriteStreamCounters(CommandContext c, RedisStream stream)
    {
        c.Reply.WriteBulkString("length");
        c.Reply.WriteInteger(stream.Length);
        c.Reply.WriteBulkString("radix-tree-keys");
        c.Reply.WriteInteger(stream.RadixTreeKeys);
        c.Reply.WriteBulkString("radix-tree-nodes");
        c.Reply.WriteInteger(stream.RadixTreeNodes);
        c.Reply.WriteBulkString("last-generated-id");
        c.Reply.WriteId(stream.LastId);
        c.Reply.WriteBulkString("max-deleted-entry-id");
        c.Reply.WriteId(stream.MaxDeletedId);
        c.Reply.WriteBulkString("entries-added");
        c.Reply.WriteInteger(stream.EntriesAdded);
        c.Reply.WriteBulkString("recorded-first-entry-id");
        c.Reply.WriteId(stream.FirstId);
    }

    /// <summary>last-delivered-id, entries-read and lag of a group.</summary>
    private static void WriteGroupProgress(CommandContext c, RedisStream stream, ConsumerGroup group)
    {
        c.Reply.WriteBulkString("last-delivered-id");
        c.Reply.WriteId(group.LastId);
        c.Reply.WriteBulkString("entries-read");
        c.Reply.WriteIntegerOrNull(group.EntriesRead == ConsumerGroup.UnknownEntriesRead ? null : group.EntriesRead);
        c.Reply.WriteBulkString("lag");
        c.Reply.WriteIntegerOrNull(stream.Lag(group));
    }
}
