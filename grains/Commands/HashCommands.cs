using OrleansLua.Grains.Keyspace;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Commands;

/// <summary>Hash commands (HSET, HGET, …), Redis 7 semantics.</summary>
public static class HashCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
        ["hset"] = HSet,
        ["hsetnx"] = HSetNx,
        ["hmset"] = HMSet,
        ["hget"] = HGet,
        ["hmget"] = HMGet,
        ["hgetall"] = HGetAll,
        ["hdel"] = HDel,
        ["hexists"] = HExists,
        ["hlen"] = HLen,
        ["hkeys"] = HKeys,
        ["hvals"] = HVals,
        ["hincrby"] = HIncrBy,
        ["hincrbyfloat"] = HIncrByFloat,
        ["hstrlen"] = HStrLen,
        ["hrandfield"] = HRandField,
        ["hscan"] = HScan,
    };

    public static void HSet(CommandContext c)
    {
        if (TrySetFields(c, out long added)) c.Reply.WriteInteger(added);
    }

    public static void HMSet(CommandContext c)
    {
        if (TrySetFields(c, out _)) c.Reply.WriteOk();
    }

    /// <summary>HSET and HMSET: field value pairs; counts the new fields.</summary>
    private static bool TrySetFields(CommandContext c, out long added)
    {
        var a = c.Args;
        added = 0;
        if (a.Length % 2 != 0)
        {
            c.Reply.WriteError($"ERR wrong number of arguments for '{a[0].Text().ToLowerInvariant()}' command");
            return false;
        }
        if (!c.TryWrite<RedisHash>(a[1], create: true, out var hash)) return false;
        for (int i = 2; i < a.Length; i += 2)
            if (hash!.Set(a[i], a[i + 1])) added++;
        return true;
    }

    public static void HSetNx(CommandContext c)
    {
        var a = c.Args;
        if (!c.TryWrite<RedisHash>(a[1], create: true, out var hash)) return;
        bool added = !hash!.Contains(a[2]) && hash.Set(a[2], a[3]);
        c.Reply.WriteInteger(added ? 1 : 0);
    }

    public static void HGet(CommandContext c)
    {
        if (!c.TryRead<RedisHash>(c.Args[1], out var hash)) return;
        WriteValue(c, hash?.Get(c.Args[2]));
    }

    public static void HMGet(CommandContext c)
    {
        var a = c.Args;
        if (!c.TryRead<RedisHash>(a[1], out var hash)) return;
        c.Reply.WriteArrayHeader(a.Length - 2);
        for (int i = 2; i < a.Length; i++) WriteValue(c, hash?.Get(a[i]));
    }

    public static void HGetAll(CommandContext c)
    {
        if (!c.TryRead<RedisHash>(c.Args[1], out var hash)) return;
        c.Reply.WriteMapHeader(hash?.Count ?? 0);
        foreach (var (field, value) in hash?.Fields ?? [])
        {
            c.Reply.WriteBulk(field);
            c.Reply.WriteBulk(value);
        }
    }

    public static void HDel(CommandContext c)
    {
        var a = c.Args;
        if (!c.TryWrite<RedisHash>(a[1], create: false, out var hash)) return;
        long removed = 0;
        if (hash is not null)
        {
            for (int i = 2; i < a.Length; i++)
                if (hash.Remove(a[i])) removed++;
            c.Written(a[1], hash);
        }
        c.Reply.WriteInteger(removed);
    }

    public static void HExists(CommandContext c)
    {
        if (c.TryRead<RedisHash>(c.Args[1], out var hash)) c.Reply.WriteInteger(hash?.Contains(c.Args[2]) == true ? 1 : 0);
    }

    public static void HLen(CommandContext c)
    {
        if (c.TryRead<RedisHash>(c.Args[1], out var hash)) c.Reply.WriteInteger(hash?.Count ?? 0);
    }

    public static void HStrLen(CommandContext c)
    {
        if (c.TryRead<RedisHash>(c.Args[1], out var hash)) c.Reply.WriteInteger(hash?.Get(c.Args[2])?.Length ?? 0);
    }

    public static void HKeys(CommandContext c) => WriteEach(c, pair => pair.Key);
    public static void HVals(CommandContext c) => WriteEach(c, pair => pair.Value);

    private static void WriteEach(CommandContext c, Func<KeyValuePair<byte[], byte[]>, byte[]> part)
    {
        if (!c.TryRead<RedisHash>(c.Args[1], out var hash)) return;
        c.Reply.WriteArrayHeader(hash?.Count ?? 0);
        foreach (var pair in hash?.Fields ?? []) c.Reply.WriteBulk(part(pair));
    }

    public static void HIncrBy(CommandContext c)
    {
        var a = c.Args;
        if (!a[3].TryInt64(out long by))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return;
        }
        if (!c.TryWrite<RedisHash>(a[1], create: true, out var hash)) return;
        // A field that is there keeps the hash non-empty, so the errors below leave no empty key behind.
        long current = 0;
        var text = hash!.Get(a[2]);
        if (text is not null && !text.TryInt64(out current))
        {
            c.Reply.WriteError("ERR hash value is not an integer");
            return;
        }
        if ((by > 0 && current > long.MaxValue - by) || (by < 0 && current < long.MinValue - by))
        {
            c.Reply.WriteError(Errors.Overflow);
            return;
        }
        hash.Set(a[2], ArgReader.Bytes(current + by));
        c.Reply.WriteInteger(current + by);
    }

    public static void HIncrByFloat(CommandContext c)
    {
        var a = c.Args;
        if (!RespNumbers.TryParseDouble(a[3], out double by))
        {
            c.Reply.WriteError(Errors.NotFloat);
            return;
        }
        if (double.IsInfinity(by))
        {
            c.Reply.WriteError("ERR value is NaN or Infinity");
            return;
        }
        if (!c.TryWrite<RedisHash>(a[1], create: true, out var hash)) return;
        var current = hash!.Get(a[2]);
        if (current is not null && !RespNumbers.TryParseDouble(current, out _))
        {
            c.Reply.WriteError("ERR hash value is not a float");
            return;
        }
        if (!FloatText.TryAdd(current ?? "0"u8.ToArray(), a[3], out var result, out var error))
        {
            c.Reply.WriteError(error!);
            return;
        }
        hash.Set(a[2], result);
        c.Reply.WriteBulk(result);
    }

    /// <summary>
    /// HRANDFIELD key [count [WITHVALUES]]: a positive count picks distinct fields, a negative one
    /// may repeat them. WITHVALUES pairs are flat in RESP2 and two-element arrays in RESP3.
    /// </summary>
    public static void HRandField(CommandContext c)
    {
        var a = c.Args;
        RedisHash? hash;
        if (a.Length == 2)
        {
            if (!c.TryRead(a[1], out hash)) return;
            WriteValue(c, hash is null ? null : hash.MemberAt(RandomSample.Position(hash.Count)));
            return;
        }
        if (!RandomSample.TryParseCount(c, a[2], out long count)) return;
        if (a.Length > 4 || (a.Length == 4 && !a[3].Is("withvalues")))
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        bool withValues = a.Length == 4;
        if (withValues && (count < -long.MaxValue / 2 || count > long.MaxValue / 2))
        {
            c.Reply.WriteError("ERR value is out of range");
            return;
        }
        if (!c.TryRead(a[1], out hash)) return;
        List<int> picks = hash is null ? [] : RandomSample.Positions(hash.Count, count);
        bool pairsAsArrays = c.Reply.Protocol == RespProtocol.Resp3;
        c.Reply.WriteArrayHeader(withValues && !pairsAsArrays ? picks.Count * 2 : picks.Count);
        foreach (int index in picks)
        {
            var (field, value) = hash!.At(index);
            if (withValues && pairsAsArrays) c.Reply.WriteArrayHeader(2);
            c.Reply.WriteBulk(field);
            if (withValues) c.Reply.WriteBulk(value);
        }
    }

    public static void HScan(CommandContext c)
    {
        var page = CollectionScan.Page<RedisHash>(c, out var hash, out ulong next);
        if (page is null) return;
        CollectionScan.WriteHeader(c, next, page.Count * 2);
        foreach (int index in page)
        {
            var (field, value) = hash!.At(index);
            c.Reply.WriteBulk(field);
            c.Reply.WriteBulk(value);
        }
    }

    private static void WriteValue(CommandContext c, byte[]? value)
    {
        if (value is null) c.Reply.WriteNull();
        else c.Reply.WriteBulk(value);
    }
}

/// <summary>
/// HSCAN and SSCAN. A listpack or intset comes back whole with cursor 0, as in Redis. A larger
/// collection is walked in order of a stable member hash (the cursor is the next hash), as the
/// keyspace SCAN does: a member present for the whole scan is returned exactly once, whatever
/// else changes meanwhile.
/// </summary>
internal static class CollectionScan
{
    /// <summary>
    /// Positions to reply (MATCH applied) and the next cursor. Redis checks the cursor, then the
    /// key, then the options: a missing key answers an empty page whatever they say. Null once
    /// replied (an error or that empty page).
    /// </summary>
    public static List<int>? Page<T>(CommandContext c, out T? collection, out ulong next) where T : class, IScannableCollection
    {
        var a = c.Args;
        collection = null;
        next = 0;
        if (!TryParseCursor(a[2], out ulong cursor))
        {
            c.Reply.WriteError("ERR invalid cursor");
            return null;
        }
        if (!c.TryRead(a[1], out collection)) return null;
        if (collection is null)
        {
            WriteHeader(c, 0, 0);
            return null;
        }
        if (!TryParseOptions(c, out long count, out var match)) return null;
        var scanned = collection;
        var page = new List<int>();
        if (scanned.IsCompact)
            for (int i = 0; i < scanned.Count; i++) page.Add(i);
        else next = HashOrderedPage(scanned, cursor, count, page);
        if (match is not null) page.RemoveAll(index => !GlobPattern.IsMatch(match, scanned.MemberAt(index)));
        return page;
    }

    public static void WriteHeader(CommandContext c, ulong next, int items)
    {
        c.Reply.WriteArrayHeader(2);
        c.Reply.WriteBulkString(next.ToString(System.Globalization.CultureInfo.InvariantCulture));
        c.Reply.WriteArrayHeader(items);
    }

    /// <summary>[MATCH pattern] [COUNT count] from argument 3 on, in any order, the last one winning.</summary>
    private static bool TryParseOptions(CommandContext c, out long count, out byte[]? match)
    {
        var a = c.Args;
        count = 10;
        match = null;
        for (int i = 3; i < a.Length; i += 2)
        {
            bool hasValue = i + 1 < a.Length;
            if (hasValue && a[i].Is("count"))
            {
                if (!a[i + 1].TryInt64(out count))
                {
                    c.Reply.WriteError(Errors.NotInteger);
                    return false;
                }
                if (count < 1)
                {
                    c.Reply.WriteError(Errors.Syntax);
                    return false;
                }
            }
            else if (hasValue && a[i].Is("match")) match = a[i + 1] is [(byte)'*'] ? null : a[i + 1];
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return false;
            }
        }
        return true;
    }

    /// <summary>About <paramref name="count"/> positions from member hash <paramref name="from"/> on; returns the next cursor (0: done).</summary>
    private static ulong HashOrderedPage(IScannableCollection collection, ulong from, long count, List<int> page)
    {
        var candidates = new List<(uint Hash, int Index)>();
        for (int i = 0; i < collection.Count; i++)
        {
            uint hash = ScanHash.Of(collection.MemberAt(i));
            if (hash >= from) candidates.Add((hash, i));
        }
        candidates.Sort((x, y) => x.Hash.CompareTo(y.Hash));
        int take = (int)Math.Min(count, candidates.Count);
        // Members sharing a hash stay on one page: the next page starts at a hash value.
        while (take > 0 && take < candidates.Count && candidates[take].Hash == candidates[take - 1].Hash) take++;
        for (int i = 0; i < take; i++) page.Add(candidates[i].Index);
        // The next hash is above the first one taken, so it is never the finishing cursor 0.
        return take < candidates.Count ? candidates[take].Hash : 0;
    }

    /// <summary>Redis reads cursors with strtoul: an optional sign, decimal digits, no overflow ("" is 0).</summary>
    private static bool TryParseCursor(byte[] arg, out ulong cursor)
    {
        cursor = 0;
        ReadOnlySpan<byte> digits = arg;
        bool negative = digits is [(byte)'-', ..];
        if (digits is [(byte)'-' or (byte)'+', ..])
        {
            digits = digits[1..];
            if (digits.IsEmpty) return false;
        }
        foreach (byte b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            ulong digit = (ulong)(b - '0');
            if (cursor > (ulong.MaxValue - digit) / 10) return false;
            cursor = cursor * 10 + digit;
        }
        if (negative) cursor = unchecked(0 - cursor);
        return true;
    }
}

/// <summary>Random picks for HRANDFIELD, SRANDMEMBER and SPOP.</summary>
internal static class RandomSample
{
    /// <summary>
    /// A count as HRANDFIELD and SRANDMEMBER read it (−LONG_MAX..LONG_MAX). A negative count asks for
    /// that many picks in one reply, so it must also fit a reply's length.
    /// </summary>
    public static bool TryParseCount(CommandContext c, byte[] arg, out long count)
    {
        if (!arg.TryInt64(out count))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return false;
        }
        if (count == long.MinValue)
        {
            c.Reply.WriteError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
            return false;
        }
        if (count < -int.MaxValue)
        {
            c.Reply.WriteError("ERR value is out of range");
            return false;
        }
        return true;
    }

    public static int Position(int size) => Random.Shared.Next(size);

    /// <summary>
    /// Positions out of <paramref name="size"/>: −count random ones (repeats allowed) for a negative
    /// count; otherwise distinct ones in ascending order (Redis replies a listpack's picks in order),
    /// all of them when count ≥ size.
    /// </summary>
    public static List<int> Positions(int size, long count)
    {
        if (count < 0)
        {
            var repeated = new List<int>((int)-count);
            for (long i = 0; i < -count; i++) repeated.Add(Position(size));
            return repeated;
        }
        if (count >= size) return [.. Enumerable.Range(0, size)];
        var distinct = new HashSet<int>();
        if (count * 3 > size)
        {
            // Many picks: drop random positions instead of drawing and retrying.
            distinct.UnionWith(Enumerable.Range(0, size));
            while (distinct.Count > count) distinct.Remove(Position(size));
        }
        else while (distinct.Count < count) distinct.Add(Position(size));
        var sorted = distinct.ToList();
        sorted.Sort();
        return sorted;
    }
}
