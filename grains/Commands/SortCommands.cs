using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Commands;

/// <summary>
/// SORT and SORT_RO, as Redis 7.0's sort.c, run in the sorted key's slot. BY and GET patterns read other
/// keys, so — as Redis 8 allows in cluster mode — a pattern is accepted only when every key it can form
/// is in the sorted key's slot (a hash tag before any wildcard); GET # reads no key and is always allowed.
/// </summary>
public static class SortCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
        ["sort"] = c => Sort(c, readOnly: false),
        ["sort_ro"] = c => Sort(c, readOnly: true),
    };

    private sealed class Item(byte[] element)
    {
        public byte[] Element { get; } = element;
        public double Score;
        public byte[]? By;
    }

    private static void Sort(CommandContext c, bool readOnly)
    {
        var a = c.Args;
        bool desc = false, alpha = false, dontSort = false;
        long limitStart = 0, limitCount = -1;
        byte[]? by = null, store = null;
        var gets = new List<byte[]>();
        int slot = HashSlot.Of(a[1]);
        for (int j = 2; j < a.Length; j++)
        {
            int left = a.Length - j - 1;
            if (a[j].Is("asc")) desc = false;
            else if (a[j].Is("desc")) desc = true;
            else if (a[j].Is("alpha")) alpha = true;
            else if (a[j].Is("limit") && left >= 2)
            {
                if (!a[j + 1].TryInt64(out limitStart) || !a[j + 2].TryInt64(out limitCount))
                {
                    c.Reply.WriteError(Errors.NotInteger);
                    return;
                }
                j += 2;
            }
            else if (!readOnly && a[j].Is("store") && left >= 1) store = a[++j];
            else if (a[j].Is("by") && left >= 1)
            {
                by = a[++j];
                if (Array.IndexOf(by, (byte)'*') < 0) dontSort = true;
                else if (PatternRefusal(c, "BY", by, slot) is { } error)
                {
                    c.Reply.WriteError(error);
                    return;
                }
            }
            else if (a[j].Is("get") && left >= 1)
            {
                var pattern = a[++j];
                if (!pattern.AsSpan().SequenceEqual("#"u8) && PatternRefusal(c, "GET", pattern, slot) is { } error)
                {
                    c.Reply.WriteError(error);
                    return;
                }
                gets.Add(pattern);
            }
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
        }

        var entry = c.Keys.Get(a[1], c.Now);
        if (entry is not null && entry.Value is not (RedisList or RedisSet or RedisSortedSet))
        {
            c.Reply.WriteError(Errors.WrongType);
            return;
        }
        // A set has no order of its own: sorted anyway when the result is stored or a script sees it.
        if (dontSort && entry?.Value is RedisSet && (store is not null || c.InScript))
        {
            dontSort = false;
            alpha = true;
            by = null;
        }

        var items = Elements(entry?.Value, dontSort, desc);
        int length = items.Count;
        long start = Math.Min(Math.Max(limitStart, 0), length);
        long count = Math.Min(Math.Max(limitCount, -1), length);
        long end = count < 0 ? length - 1 : start + count - 1;
        if (start >= length)
        {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) end = length - 1;

        if (!dontSort)
        {
            bool badScore = false;
            foreach (var item in items)
            {
                byte[]? value = by is null ? item.Element : Lookup(c, by, item.Element);
                if (value is null) continue;
                if (alpha)
                {
                    if (by is not null) item.By = value;
                }
                else if (!TryStrtod(value, out item.Score)) badScore = true;
            }
            items.Sort((x, y) => Compare(x, y, alpha, by is not null, desc));
            if (badScore)
            {
                c.Reply.WriteError("ERR One or more scores can't be converted into double");
                return;
            }
        }

        var output = new List<byte[]?>();
        for (long j = start; j <= end; j++)
        {
            var element = items[(int)j].Element;
            if (gets.Count == 0) output.Add(element);
            foreach (var pattern in gets) output.Add(Lookup(c, pattern, element));
        }
        if (store is null)
        {
            c.Reply.WriteArrayHeader(output.Count);
            foreach (var value in output)
                if (value is null) c.Reply.WriteNull();
                else c.Reply.WriteBulk(value);
            return;
        }
        if (output.Count == 0) c.Keys.Delete(store, c.Now);
        else
        {
            var list = new RedisList();
            foreach (var value in output) list.Push(ListEnd.Right, value ?? []);
            c.Keys.Set(store, list, c.Now);
        }
        c.Reply.WriteInteger(output.Count);
    }

    /// <summary>The elements to sort; without sorting, a list or sorted set in its own order (reversed for DESC).</summary>
    private static List<Item> Elements(object? value, bool dontSort, bool desc)
    {
        var items = new List<Item>();
        switch (value)
        {
            case RedisList list:
                for (int i = 0; i < list.Count; i++) items.Add(new Item(list[i]));
                break;
            case RedisSet set:
                foreach (var member in set.Members) items.Add(new Item(member));
                break;
            case RedisSortedSet zset:
                for (int i = 0; i < zset.Count; i++) items.Add(new Item(zset.MemberAt(i)));
                break;
        }
        if (dontSort && desc && value is not RedisSet) items.Reverse();
        return items;
    }

    private static int Compare(Item x, Item y, bool alpha, bool byPattern, bool desc)
    {
        int cmp;
        if (!alpha)
        {
            cmp = x.Score.CompareTo(y.Score);
            // Equal scores: the elements decide, so the order is deterministic.
            if (x.Score == y.Score) cmp = x.Element.AsSpan().SequenceCompareTo(y.Element);
        }
        else if (byPattern)
            cmp = x.By is null || y.By is null ? (x.By is null ? (y.By is null ? 0 : -1) : 1) : x.By.AsSpan().SequenceCompareTo(y.By);
        else cmp = x.Element.AsSpan().SequenceCompareTo(y.Element);
        return desc ? -cmp : cmp;
    }

    /// <summary>
    /// lookupKeyByPattern: "#" is the element; otherwise the first '*' is replaced by it, and "->field" after it
    /// reads that field of a hash. Null when the pattern has no '*' or the key is missing or of another type.
    /// </summary>
    private static byte[]? Lookup(CommandContext c, byte[] pattern, byte[] element)
    {
        if (pattern.AsSpan().SequenceEqual("#"u8)) return element;
        int star = Array.IndexOf(pattern, (byte)'*');
        if (star < 0) return null;
        int arrow = pattern.AsSpan(star + 1).IndexOf("->"u8);
        byte[]? field = null;
        int keyEnd = pattern.Length;
        if (arrow >= 0 && star + 1 + arrow + 2 < pattern.Length)
        {
            keyEnd = star + 1 + arrow;
            field = pattern[(keyEnd + 2)..];
        }
        byte[] key = [.. pattern.AsSpan(0, star), .. element, .. pattern.AsSpan(star + 1, keyEnd - star - 1)];
        var value = c.Keys.Get(key, c.Now)?.Value;
        return field is null ? value as byte[] : (value as RedisHash)?.Get(field);
    }

    /// <summary>Why a BY/GET pattern may not be used here: keys outside the slot, or a user without access to every key.</summary>
    private static string? PatternRefusal(CommandContext c, string option, byte[] pattern, int slot)
    {
        if (PatternSlot(pattern) != slot)
            return $"ERR {option} option of SORT denied in Cluster mode when keys formed by the pattern may be in different slots.";
        if (c.User is { AllKeys: false })
            return $"ERR {option} option of SORT denied due to insufficient ACL permissions.";
        return null;
    }

    /// <summary>Redis 8's patternHashSlot: the one slot every key matching the pattern is in, or -1.</summary>
    private static int PatternSlot(byte[] pattern)
    {
        int open = -1;
        for (int i = 0; i < pattern.Length; i++)
        {
            byte b = pattern[i];
            if (b is (byte)'*' or (byte)'?' or (byte)'[' or (byte)'\\') return -1;
            if (open == -1 && b == (byte)'{') open = i;
            else if (open >= 0 && b == (byte)'}' && i == open + 1) open = -2;
            else if (open >= 0 && b == (byte)'}') return HashSlot.Crc16(pattern.AsSpan(open + 1, i - open - 1)) & 0x3FFF;
        }
        return HashSlot.Crc16(pattern) & 0x3FFF;
    }

    /// <summary>strtod over the whole value (leading spaces allowed, "" is 0), refusing NaN and overflow as SORT does.</summary>
    private static bool TryStrtod(byte[] value, out double score)
    {
        score = 0;
        if (value.Length == 0) return true; // strtod converts nothing and stops at the end: Redis takes it as 0
        int skip = 0;
        while (skip < value.Length && value[skip] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r') skip++;
        var text = value.AsSpan(skip);
        if (!RespNumbers.TryParseDouble(text, out score)) return false;
        return !double.IsInfinity(score) || text.IndexOfAny("iI"u8) >= 0;
    }
}
