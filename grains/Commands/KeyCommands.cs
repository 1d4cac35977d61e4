using OrleansLua.Protocol;
using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

/// <summary>Generic keyspace commands (DEL, EXPIRE, TTL, RENAME…) on one slot.</summary>
public static class KeyCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
        ["del"] = Del,
        ["unlink"] = Del,
        ["exists"] = Exists,
        ["touch"] = Exists,
        ["type"] = Type,
        ["expire"] = Expire,
        ["pexpire"] = PExpire,
        ["expireat"] = ExpireAt,
        ["pexpireat"] = PExpireAt,
        ["ttl"] = Ttl,
        ["pttl"] = PTtl,
        ["expiretime"] = ExpireTime,
        ["pexpiretime"] = PExpireTime,
        ["persist"] = Persist,
        ["rename"] = Rename,
        ["copy"] = Copy,
        ["object|encoding"] = ObjectEncoding,
        ["object|refcount"] = c => ObjectProperty(c, 1),
        ["object|idletime"] = c => ObjectProperty(c, 0),
        ["memory|usage"] = MemoryUsage,
        ["object|freq"] = c => c.Reply.WriteError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."),
        ["renamenx"] = RenameNx,
        ["dbsize"] = DbSize,
        ["keys"] = Keys,
        ["randomkey"] = RandomKey,
        ["flushall"] = FlushAll,
        ["flushdb"] = FlushAll,
    };

    public static void Del(CommandContext c)
    {
        long deleted = 0;
        for (int i = 1; i < c.Args.Length; i++)
            if (c.Keys.Delete(c.Args[i], c.Now)) deleted++;
        c.Reply.WriteInteger(deleted);
    }

    /// <summary>EXISTS and TOUCH: count live keys, duplicates counted again.</summary>
    public static void Exists(CommandContext c)
    {
        long found = 0;
        for (int i = 1; i < c.Args.Length; i++)
            if (c.Keys.Exists(c.Args[i], c.Now)) found++;
        c.Reply.WriteInteger(found);
    }

    public static void Type(CommandContext c) =>
        c.Reply.WriteSimpleString(c.Keys.Get(c.Args[1], c.Now)?.TypeName ?? "none");

    public static void Expire(CommandContext c) => ExpireGeneric(c, 1000, relative: true);
    public static void PExpire(CommandContext c) => ExpireGeneric(c, 1, relative: true);
    public static void ExpireAt(CommandContext c) => ExpireGeneric(c, 1000, relative: false);
    public static void PExpireAt(CommandContext c) => ExpireGeneric(c, 1, relative: false);

    private static void ExpireGeneric(CommandContext c, long unitMs, bool relative)
    {
        var a = c.Args;
        if (!a[2].TryInt64(out long amount))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return;
        }
        bool nx = false, xx = false, gt = false, lt = false;
        for (int i = 3; i < a.Length; i++)
        {
            if (a[i].Is("nx")) nx = true;
            else if (a[i].Is("xx")) xx = true;
            else if (a[i].Is("gt")) gt = true;
            else if (a[i].Is("lt")) lt = true;
            else
            {
                c.Reply.WriteError($"ERR Unsupported option {a[i].Text()}");
                return;
            }
        }
        if (nx && (xx || gt || lt))
        {
            c.Reply.WriteError("ERR NX and XX, GT or LT options at the same time are not compatible");
            return;
        }
        if (gt && lt)
        {
            c.Reply.WriteError("ERR GT and LT options at the same time are not compatible");
            return;
        }
        string name = a[0].Text().ToLowerInvariant();
        if (amount > long.MaxValue / unitMs || amount < long.MinValue / unitMs)
        {
            c.Reply.WriteError(Errors.InvalidExpire(name));
            return;
        }
        long when = amount * unitMs;
        if (relative)
        {
            if ((when > 0 && c.Now > long.MaxValue - when) || (when < 0 && c.Now < long.MinValue - when))
            {
                c.Reply.WriteError(Errors.InvalidExpire(name));
                return;
            }
            when += c.Now;
        }
        var entry = c.Keys.Get(a[1], c.Now);
        if (entry is null)
        {
            c.Reply.WriteInteger(0);
            return;
        }
        // A key without a TTL counts as an infinite TTL for GT and LT.
        bool volatileKey = entry.HasExpiry;
        if ((nx && volatileKey) || (xx && !volatileKey)
            || (gt && (!volatileKey || when <= entry.ExpireAt))
            || (lt && volatileKey && when >= entry.ExpireAt))
        {
            c.Reply.WriteInteger(0);
            return;
        }
        if (when <= c.Now) c.Keys.Delete(a[1], c.Now);
        else c.Keys.SetExpiry(a[1], entry, when);
        c.Reply.WriteInteger(1);
    }

    public static void Ttl(CommandContext c) => TtlGeneric(c, milliseconds: false, absolute: false);
    public static void PTtl(CommandContext c) => TtlGeneric(c, milliseconds: true, absolute: false);
    public static void ExpireTime(CommandContext c) => TtlGeneric(c, milliseconds: false, absolute: true);
    public static void PExpireTime(CommandContext c) => TtlGeneric(c, milliseconds: true, absolute: true);

    private static void TtlGeneric(CommandContext c, bool milliseconds, bool absolute)
    {
        var entry = c.Keys.Get(c.Args[1], c.Now);
        if (entry is null) c.Reply.WriteInteger(-2);
        else if (!entry.HasExpiry) c.Reply.WriteInteger(-1);
        else if (absolute) c.Reply.WriteInteger(milliseconds ? entry.ExpireAt : entry.ExpireAt / 1000);
        else
        {
            long ttl = Math.Max(0, entry.ExpireAt - c.Now);
            c.Reply.WriteInteger(milliseconds ? ttl : (ttl + 500) / 1000);
        }
    }

    public static void Persist(CommandContext c)
    {
        var entry = c.Keys.Get(c.Args[1], c.Now);
        if (entry is null || !entry.HasExpiry)
        {
            c.Reply.WriteInteger(0);
            return;
        }
        c.Keys.SetExpiry(c.Args[1], entry, KeyEntry.NoExpiry);
        c.Reply.WriteInteger(1);
    }

    public static void Rename(CommandContext c) => RenameGeneric(c, onlyIfMissing: false);
    public static void RenameNx(CommandContext c) => RenameGeneric(c, onlyIfMissing: true);

    private static void RenameGeneric(CommandContext c, bool onlyIfMissing)
    {
        byte[] from = c.Args[1], to = c.Args[2];
        var entry = c.Keys.Get(from, c.Now);
        if (entry is null)
        {
            c.Reply.WriteError(Errors.NoSuchKey);
            return;
        }
        if (ByteArrayComparer.Instance.Equals(from, to))
        {
            if (onlyIfMissing) c.Reply.WriteInteger(0);
            else c.Reply.WriteOk();
            return;
        }
        if (onlyIfMissing && c.Keys.Exists(to, c.Now))
        {
            c.Reply.WriteInteger(0);
            return;
        }
        var value = entry.Value;
        long expireAt = entry.ExpireAt;
        c.Keys.Delete(from, c.Now);
        c.Keys.Set(to, value, c.Now, expireAt);
        if (onlyIfMissing) c.Reply.WriteInteger(1);
        else c.Reply.WriteOk();
    }

    public static void Copy(CommandContext c)
    {
        var a = c.Args;
        bool replace = false;
        for (int i = 3; i < a.Length; i++)
        {
            if (a[i].Is("replace")) replace = true;
            else if (a[i].Is("db") && i + 1 < a.Length)
            {
                if (!a[++i].TryInt64(out _))
                {
                    c.Reply.WriteError(Errors.NotInteger);
                    return;
                }
                c.Reply.WriteError("ERR Copying to another database is not allowed in cluster mode");
                return;
            }
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
        }
        if (ByteArrayComparer.Instance.Equals(a[1], a[2]))
        {
            c.Reply.WriteError("ERR source and destination objects are the same");
            return;
        }
        var source = c.Keys.Get(a[1], c.Now);
        if (source is null || (!replace && c.Keys.Exists(a[2], c.Now)))
        {
            c.Reply.WriteInteger(0);
            return;
        }
        // Strings are immutable and can be shared; collections are copied.
        var value = source.Value is IRedisValue collection ? collection.Clone() : source.Value;
        c.Keys.Set(a[2], value, c.Now, source.ExpireAt);
        c.Reply.WriteInteger(1);
    }

    /// <summary>OBJECT ENCODING with Redis 7's names: int, embstr, raw for strings; the collection's own otherwise.</summary>
    public static void ObjectEncoding(CommandContext c)
    {
        var entry = c.Keys.Get(c.Args[2], c.Now);
        if (entry is null)
        {
            c.Reply.WriteNull();
            return;
        }
        c.Reply.WriteBulkString(entry.Value switch
        {
            byte[] s when s.Length <= 20 && s.TryInt64(out _) => "int",
            byte[] s when s.Length <= 44 => "embstr",
            byte[] => "raw",
            IRedisValue v => v.Encoding,
            _ => "unknown",
        });
    }

    /// <summary>Bytes a key costs besides its name and value here: its entry object and dictionary slot.</summary>
    private const int KeyOverhead = 72;

    /// <summary>
    /// MEMORY USAGE key [SAMPLES n]: an estimate — the key's name, its value as storage serializes it and the
    /// entry's overhead. The whole value is read; SAMPLES is checked as Redis checks it and otherwise ignored.
    /// </summary>
    private static void MemoryUsage(CommandContext c)
    {
        var a = c.Args;
        for (int i = 3; i < a.Length; i += 2)
        {
            if (!a[i].Is("samples") || i + 1 >= a.Length)
            {
                c.Reply.WriteError("ERR syntax error");
                return;
            }
            if (!RespNumbers.TryParseInt64(a[i + 1], out long samples))
            {
                c.Reply.WriteError("ERR value is not an integer or out of range");
                return;
            }
            if (samples < 0)
            {
                c.Reply.WriteError("ERR syntax error");
                return;
            }
        }
        var entry = c.Keys.Get(a[2], c.Now);
        if (entry is null) c.Reply.WriteNull();
        else c.Reply.WriteInteger(a[2].Length + Persistence.ValueCodec.Serialize(entry.Value).Length + KeyOverhead);
    }

    /// <summary>OBJECT REFCOUNT / IDLETIME: values are never shared and access times are not tracked.</summary>
    private static void ObjectProperty(CommandContext c, long value)
    {
        if (c.Keys.Get(c.Args[2], c.Now) is null) c.Reply.WriteNull();
        else c.Reply.WriteInteger(value);
    }

    // ---- the per-slot halves of fan-out commands: the gateway merges the slots' replies.

    public static void DbSize(CommandContext c) => c.Reply.WriteInteger(c.Keys.Entries(c.Now).LongCount());

    public static void Keys(CommandContext c)
    {
        var pattern = c.Args[1];
        bool all = pattern is [(byte)'*'];
        var matches = new List<byte[]>();
        foreach (var (key, _) in c.Keys.Entries(c.Now))
            if (all || GlobPattern.IsMatch(pattern, key)) matches.Add(key);
        c.Reply.WriteArrayHeader(matches.Count);
        foreach (var key in matches) c.Reply.WriteBulk(key);
    }

    public static void RandomKey(CommandContext c)
    {
        var key = c.Keys.RandomKey(c.Now);
        if (key is null) c.Reply.WriteNull();
        else c.Reply.WriteBulk(key);
    }

    public static void FlushAll(CommandContext c)
    {
        if (c.Args.Length > 2 || (c.Args.Length == 2 && !c.Args[1].Is("async") && !c.Args[1].Is("sync")))
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        c.Keys.Clear();
        c.Reply.WriteOk();
    }
}
