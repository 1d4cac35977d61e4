using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

public static partial class StreamCommands
{
    /// <summary>XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]</summary>
    public static void XGroupCreate(CommandContext c)
    {
        var a = c.Args;
        if (XGroupTarget.Find(c) is not { } target) return;
        if (a.Length > 8)
        {
            StreamArgs.SubcommandSyntaxError(c);
            return;
        }
        StreamId id;
        if (a[4] is [(byte)'$']) id = target.Stream?.LastId ?? StreamId.Zero;
        else if (!StreamArgs.TryParseId(c, a[4], out id)) return;
        var stream = target.Stream;
        if (stream is null && !c.TryWrite(a[2], create: true, out stream)) return;
        if (!stream!.Groups.TryAdd(a[3], new ConsumerGroup(id, target.EntriesRead)))
        {
            c.Reply.WriteError("BUSYGROUP Consumer Group name already exists");
            return;
        }
        c.Reply.WriteOk();
    }

    /// <summary>XGROUP SETID key group id|$ [ENTRIESREAD entries-read]</summary>
    public static void XGroupSetId(CommandContext c)
    {
        var a = c.Args;
        if (XGroupTarget.Find(c) is not { Stream: { } stream, Group: { } group } target) return;
        if (a.Length != 5 && a.Length != 7)
        {
            StreamArgs.SubcommandSyntaxError(c);
            return;
        }
        StreamId id;
        if (a[4] is [(byte)'$']) id = stream.LastId;
        else if (!StreamArgs.TryParseId(c, a[4], out id, strict: false)) return;
        group.LastId = id;
        group.EntriesRead = target.EntriesRead;
        c.Reply.WriteOk();
    }

    /// <summary>XGROUP DESTROY key group</summary>
    public static void XGroupDestroy(CommandContext c)
    {
        if (XGroupTarget.Find(c) is not { Stream: { } stream }) return;
        c.Reply.WriteInteger(stream.Groups.Remove(c.Args[3]) ? 1 : 0);
    }

    /// <summary>XGROUP CREATECONSUMER key group consumer</summary>
    public static void XGroupCreateConsumer(CommandContext c)
    {
        if (XGroupTarget.Find(c) is not { Group: { } group }) return;
        c.Reply.WriteInteger(group.TryCreateConsumer(c.Args[4], c.Now) ? 1 : 0);
    }

    /// <summary>XGROUP DELCONSUMER key group consumer: replies how many entries the consumer had pending.</summary>
    public static void XGroupDelConsumer(CommandContext c)
    {
        if (XGroupTarget.Find(c) is not { Group: { } group }) return;
        c.Reply.WriteInteger(group.DeleteConsumer(c.Args[4]));
    }

    /// <summary>XACK key group id [id …]: all IDs are checked before any is acknowledged.</summary>
    public static void XAck(CommandContext c)
    {
        var a = c.Args;
        if (!c.TryWrite<RedisStream>(a[1], create: false, out var stream)) return;
        var group = StreamArgs.GroupOf(stream, a[2]);
        if (group is null)
        {
            c.Reply.WriteInteger(0);
            return;
        }
        var ids = new StreamId[a.Length - 3];
        for (int i = 0; i < ids.Length; i++)
            if (!StreamArgs.TryParseId(c, a[i + 3], out ids[i])) return;
        long acknowledged = 0;
        foreach (var id in ids)
            if (group.Acknowledge(id)) acknowledged++;
        c.Reply.WriteInteger(acknowledged);
    }

    /// <summary>
    /// The key and group an XGROUP subcommand works on, checked in Redis's order: options (MKSTREAM
    /// for CREATE, ENTRIESREAD for CREATE and SETID), the key's type, the key's existence (unless
    /// MKSTREAM), the group's existence (SETID, CREATECONSUMER, DELCONSUMER). Null once an error is
    /// replied; otherwise Stream is set unless CREATE … MKSTREAM met a missing key, and Group is set
    /// for the subcommands that need it.
    /// </summary>
    private sealed record XGroupTarget(RedisStream? Stream, ConsumerGroup? Group, long EntriesRead)
    {
        public static XGroupTarget? Find(CommandContext c)
        {
            var a = c.Args;
            bool create = a[1].Is("create"), setId = a[1].Is("setid");
            bool mkStream = false;
            long entriesRead = ConsumerGroup.UnknownEntriesRead;
            for (int i = 5; i < a.Length;)
            {
                if (create && a[i].Is("mkstream"))
                {
                    mkStream = true;
                    i++;
                }
                else if ((create || setId) && a[i].Is("entriesread") && i + 1 < a.Length)
                {
                    if (!StreamArgs.TryInt64(c, a[i + 1], Errors.NotInteger, out entriesRead)) return null;
                    if (entriesRead < 0 && entriesRead != ConsumerGroup.UnknownEntriesRead)
                    {
                        c.Reply.WriteError("ERR value for ENTRIESREAD must be positive or -1");
                        return null;
                    }
                    i += 2;
                }
                else
                {
                    StreamArgs.SubcommandSyntaxError(c);
                    return null;
                }
            }
            if (!c.TryWrite<RedisStream>(a[2], create: false, out var stream)) return null;
            var group = StreamArgs.GroupOf(stream, a[3]);
            if (!mkStream && stream is null)
            {
                c.Reply.WriteError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.");
                return null;
            }
            if (!mkStream && group is null && !create && !a[1].Is("destroy"))
            {
                c.Reply.WriteError(StreamArgs.NoGroupForKey(a[2], a[3]));
                return null;
            }
            return new XGroupTarget(stream, group, entriesRead);
        }
    }
}
