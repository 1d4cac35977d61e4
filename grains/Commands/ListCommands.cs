using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

/// <summary>List commands (LPUSH, LRANGE, …), Redis 7 semantics.</summary>
public static class ListCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
        ["lpush"] = LPush,
        ["rpush"] = RPush,
        ["lpushx"] = LPushX,
        ["rpushx"] = RPushX,
        ["lpop"] = LPop,
        ["rpop"] = RPop,
        ["llen"] = LLen,
        ["lrange"] = LRange,
        ["lindex"] = LIndex,
        ["lset"] = LSet,
        ["linsert"] = LInsert,
        ["lrem"] = LRem,
        ["ltrim"] = LTrim,
        ["lpos"] = LPos,
        ["lmove"] = LMove,
        ["rpoplpush"] = RPopLPush,
        ["lmpop"] = LMPop,
    };

    private const string MustBePositive = "ERR value is out of range, must be positive";
    private const string CountNotPositive = "ERR count should be greater than 0";
    private const string IndexOutOfRange = "ERR index out of range";
    private const string RankZero = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
    private const string LposCountNegative = "ERR COUNT can't be negative";
    private const string MaxLenNegative = "ERR MAXLEN can't be negative";

    /// <summary>How popped elements are replied: LPOP, LPOP with a count, BLPOP, LMPOP and BLMPOP.</summary>
    internal enum PopReply { Element, Elements, KeyAndElement, KeyAndElements }

    public static void LPush(CommandContext c) => Push(c, ListEnd.Left, create: true);
    public static void RPush(CommandContext c) => Push(c, ListEnd.Right, create: true);
    public static void LPushX(CommandContext c) => Push(c, ListEnd.Left, create: false);
    public static void RPushX(CommandContext c) => Push(c, ListEnd.Right, create: false);

    private static void Push(CommandContext c, ListEnd end, bool create)
    {
        if (!c.TryWrite<RedisList>(c.Args[1], create, out var list)) return;
        if (list is null)
        {
            c.Reply.WriteInteger(0);
            return;
        }
        for (int i = 2; i < c.Args.Length; i++) list.Push(end, c.Args[i]);
        c.Reply.WriteInteger(list.Count);
    }

    public static void LPop(CommandContext c) => Pop(c, ListEnd.Left);
    public static void RPop(CommandContext c) => Pop(c, ListEnd.Right);

    private static void Pop(CommandContext c, ListEnd end)
    {
        // The table's arity (-2) lets any count of arguments through; LPOP takes at most a count.
        if (c.Args.Length > 3)
        {
            c.Reply.WriteError(CommandTable.Find(c.Args[0])!.ArityError);
            return;
        }
        bool hasCount = c.Args.Length == 3;
        long count = 1;
        if (hasCount && (!c.Args[2].TryInt64(out count) || count < 0))
        {
            c.Reply.WriteError(MustBePositive);
            return;
        }
        if (TryPopFirst(c, c.Args.AsSpan(1, 1), end, count, hasCount ? PopReply.Elements : PopReply.Element)) return;
        if (hasCount) c.Reply.WriteNullArray();
        else c.Reply.WriteNull();
    }

    public static void LMPop(CommandContext c)
    {
        if (!TryParseMultiPop(c, 1, out var keys, out var end, out long count)) return;
        if (!TryPopFirst(c, c.Args.AsSpan(keys), end, count, PopReply.KeyAndElements)) c.Reply.WriteNullArray();
    }

    /// <summary>
    /// Pops up to <paramref name="count"/> elements from one end of the first of
    /// <paramref name="keys"/> that holds a list, and replies in <paramref name="shape"/>.
    /// False, with nothing replied, when no key holds a list (the caller replies nil or blocks);
    /// true once it replied, WRONGTYPE included (a key of another type met before any list).
    /// </summary>
    internal static bool TryPopFirst(CommandContext c, ReadOnlySpan<byte[]> keys, ListEnd end, long count, PopReply shape)
    {
        foreach (var key in keys)
        {
            if (!c.TryRead<RedisList>(key, out var list)) return true;
            if (list is null) continue;
            int n = (int)Math.Min(count, list.Count);
            if (n > 0) Changing(c, key);
            if (shape is PopReply.KeyAndElement or PopReply.KeyAndElements)
            {
                c.Reply.WriteArrayHeader(2);
                c.Reply.WriteBulk(key);
            }
            if (shape is PopReply.Elements or PopReply.KeyAndElements) c.Reply.WriteArrayHeader(n);
            for (int i = 0; i < n; i++) c.Reply.WriteBulk(list.Pop(end));
            c.Written(key, list);
            return true;
        }
        return false;
    }

    /// <summary>
    /// LMPOP's and BLMPOP's arguments from numkeys on: "numkeys key… LEFT|RIGHT [COUNT count]".
    /// The key spec has already checked numkeys and that an argument follows the keys. Replies the
    /// error and returns false when malformed; <paramref name="keys"/> is where the keys are in the arguments.
    /// </summary>
    internal static bool TryParseMultiPop(CommandContext c, int numKeysIndex, out Range keys, out ListEnd end, out long count)
    {
        var a = c.Args;
        _ = a[numKeysIndex].TryInt64(out long numKeys);
        int i = numKeysIndex + 1 + (int)numKeys;
        keys = (numKeysIndex + 1)..i;
        count = 1;
        if (!TryParseEnd(a[i], out end))
        {
            c.Reply.WriteError(Errors.Syntax);
            return false;
        }
        bool hasCount = false;
        for (i++; i < a.Length; i++)
        {
            if (!hasCount && a[i].Is("count") && i + 1 < a.Length)
            {
                if (!a[++i].TryInt64(out count) || count < 1)
                {
                    c.Reply.WriteError(CountNotPositive);
                    return false;
                }
                hasCount = true;
            }
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return false;
            }
        }
        return true;
    }

    /// <summary>LEFT or RIGHT, in any case.</summary>
    internal static bool TryParseEnd(byte[] arg, out ListEnd end)
    {
        if (arg.Is("left"))
        {
            end = ListEnd.Left;
            return true;
        }
        end = ListEnd.Right;
        return arg.Is("right");
    }

    public static void LMove(CommandContext c)
    {
        if (!TryParseEnd(c.Args[3], out var from) || !TryParseEnd(c.Args[4], out var to))
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        if (!TryMove(c, c.Args[1], c.Args[2], from, to)) c.Reply.WriteNull();
    }

    public static void RPopLPush(CommandContext c)
    {
        if (!TryMove(c, c.Args[1], c.Args[2], ListEnd.Right, ListEnd.Left)) c.Reply.WriteNull();
    }

    /// <summary>
    /// Moves one element from an end of <paramref name="source"/> to an end of
    /// <paramref name="destination"/> (the same key rotates it) and replies the element.
    /// False, with nothing replied, when the source holds no list (the caller replies nil or
    /// blocks); true once it replied, WRONGTYPE for either key included.
    /// </summary>
    internal static bool TryMove(CommandContext c, byte[] source, byte[] destination, ListEnd from, ListEnd to)
    {
        if (!c.TryRead<RedisList>(source, out var list)) return true;
        if (list is null) return false;
        if (!c.TryRead<RedisList>(destination, out _)) return true;
        Changing(c, source);
        var element = list.Pop(from);
        c.TryWrite<RedisList>(destination, create: true, out var target);
        target!.Push(to, element);
        c.Written(source, list);
        c.Reply.WriteBulk(element);
        return true;
    }

    public static void LLen(CommandContext c)
    {
        if (c.TryRead<RedisList>(c.Args[1], out var list)) c.Reply.WriteInteger(list?.Count ?? 0);
    }

    public static void LRange(CommandContext c)
    {
        if (!c.Args[2].TryInt64(out long start) || !c.Args[3].TryInt64(out long stop))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return;
        }
        if (!c.TryRead<RedisList>(c.Args[1], out var list)) return;
        var (first, count) = Range(start, stop, list?.Count ?? 0);
        c.Reply.WriteArrayHeader(count);
        for (int i = 0; i < count; i++) c.Reply.WriteBulk(list![first + i]);
    }

    public static void LTrim(CommandContext c)
    {
        if (!c.Args[2].TryInt64(out long start) || !c.Args[3].TryInt64(out long stop))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return;
        }
        var key = c.Args[1];
        if (!c.TryWrite<RedisList>(key, create: false, out var list)) return;
        if (list is not null)
        {
            var (first, count) = Range(start, stop, list.Count);
            list.Trim(first, count);
            c.Written(key, list);
        }
        c.Reply.WriteOk();
    }

    /// <summary>
    /// LRANGE's and LTRIM's start/stop: negative ones count from the end, then they are clamped to
    /// the list; an empty range has count 0.
    /// </summary>
    private static (int First, int Count) Range(long start, long stop, int length)
    {
        if (start < 0) start += length;
        if (stop < 0) stop += length;
        if (start < 0) start = 0;
        if (start > stop || start >= length) return (0, 0);
        if (stop >= length) stop = length - 1;
        return ((int)start, (int)(stop - start + 1));
    }

    public static void LIndex(CommandContext c)
    {
        if (!c.TryRead<RedisList>(c.Args[1], out var list)) return;
        if (list is null)
        {
            c.Reply.WriteNull();
            return;
        }
        if (!c.Args[2].TryInt64(out long index))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return;
        }
        if (TryPosition(index, list.Count, out int position)) c.Reply.WriteBulk(list[position]);
        else c.Reply.WriteNull();
    }

    public static void LSet(CommandContext c)
    {
        var key = c.Args[1];
        if (!c.TryRead<RedisList>(key, out var list)) return;
        if (list is null)
        {
            c.Reply.WriteError(Errors.NoSuchKey);
            return;
        }
        if (!c.Args[2].TryInt64(out long index))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return;
        }
        if (!TryPosition(index, list.Count, out int position))
        {
            c.Reply.WriteError(IndexOutOfRange);
            return;
        }
        Changing(c, key);
        list[position] = c.Args[3];
        c.Reply.WriteOk();
    }

    /// <summary>LINDEX's and LSET's index: negative ones count from the end.</summary>
    private static bool TryPosition(long index, int length, out int position)
    {
        if (index < 0) index += length;
        position = (int)index;
        return index >= 0 && index < length;
    }

    public static void LInsert(CommandContext c)
    {
        var a = c.Args;
        bool before = a[2].Is("before");
        if (!before && !a[2].Is("after"))
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        if (!c.TryRead<RedisList>(a[1], out var list)) return;
        if (list is null)
        {
            c.Reply.WriteInteger(0);
            return;
        }
        int pivot = list.IndexOf(a[3]);
        if (pivot < 0)
        {
            c.Reply.WriteInteger(-1);
            return;
        }
        Changing(c, a[1]);
        list.Insert(before ? pivot : pivot + 1, a[4]);
        c.Reply.WriteInteger(list.Count);
    }

    public static void LRem(CommandContext c)
    {
        var a = c.Args;
        if (!a[2].TryInt64(out long count))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return;
        }
        if (!c.TryRead<RedisList>(a[1], out var list)) return;
        if (list is null)
        {
            c.Reply.WriteInteger(0);
            return;
        }
        // Journal only when something goes: WATCH and blocked clients see no change otherwise.
        if (list.IndexOf(a[3]) < 0)
        {
            c.Reply.WriteInteger(0);
            return;
        }
        Changing(c, a[1]);
        // 0 removes all; so does -2^63, which Redis cannot negate either.
        long limit = count is 0 or long.MinValue ? long.MaxValue : Math.Abs(count);
        int removed = list.Remove(a[3], limit, count < 0 ? ListEnd.Right : ListEnd.Left);
        c.Written(a[1], list);
        c.Reply.WriteInteger(removed);
    }

    public static void LPos(CommandContext c)
    {
        var a = c.Args;
        long rank = 1, count = 0, maxLen = 0;
        bool hasCount = false;
        for (int i = 3; i < a.Length; i++)
        {
            bool hasValue = i + 1 < a.Length;
            if (a[i].Is("rank") && hasValue)
            {
                if (!a[++i].TryInt64(out rank))
                {
                    c.Reply.WriteError(Errors.NotInteger);
                    return;
                }
                if (rank == 0)
                {
                    c.Reply.WriteError(RankZero);
                    return;
                }
            }
            else if (a[i].Is("count") && hasValue)
            {
                if (!a[++i].TryInt64(out count) || count < 0)
                {
                    c.Reply.WriteError(LposCountNegative);
                    return;
                }
                hasCount = true;
            }
            else if (a[i].Is("maxlen") && hasValue)
            {
                if (!a[++i].TryInt64(out maxLen) || maxLen < 0)
                {
                    c.Reply.WriteError(MaxLenNegative);
                    return;
                }
            }
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
        }
        if (!c.TryRead<RedisList>(a[1], out var list)) return;
        var matches = Find(list, a[2], rank, hasCount ? count : 1, maxLen);
        if (hasCount)
        {
            c.Reply.WriteArrayHeader(matches.Count);
            foreach (int index in matches) c.Reply.WriteInteger(index);
        }
        else if (matches.Count == 0) c.Reply.WriteNull();
        else c.Reply.WriteInteger(matches[0]);
    }

    /// <summary>
    /// LPOS's search: indexes of the matches from the <paramref name="rank"/>-th on (negative
    /// ranks walk from the tail), at most <paramref name="count"/> of them (0: all), comparing at
    /// most <paramref name="maxLen"/> elements (0: all).
    /// </summary>
    private static List<int> Find(RedisList? list, byte[] element, long rank, long count, long maxLen)
    {
        var found = new List<int>();
        if (list is null) return found;
        bool fromTail = rank < 0;
        // Redis 7.0 negates without an overflow check: RANK -2^63 stays negative, so the first match counts.
        if (fromTail) rank = unchecked(-rank);
        long matches = 0, scan = maxLen == 0 ? list.Count : Math.Min(maxLen, list.Count);
        for (int n = 0; n < scan; n++)
        {
            int index = fromTail ? list.Count - 1 - n : n;
            if (!list[index].AsSpan().SequenceEqual(element) || ++matches < rank) continue;
            found.Add(index);
            if (found.Count == count) break;
        }
        return found;
    }

    /// <summary>Journals a list read with TryRead just before it changes in place.</summary>
    private static void Changing(CommandContext c, byte[] key) => c.TryWrite<RedisList>(key, create: false, out _);
}
