using OrleansLua.Grains.Keyspace;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Commands;

/// <summary>The shape of a pop reply (Redis's genericZpopCommand: emitkey × use_nested_array).</summary>
internal enum SortedSetPopReply
{
    /// <summary>ZPOPMIN/ZPOPMAX in RESP2, or without a count: member, score, member, score…</summary>
    Flat,
    /// <summary>ZPOPMIN/ZPOPMAX with a count in RESP3: [member, score] pairs.</summary>
    Pairs,
    /// <summary>BZPOPMIN/BZPOPMAX: key, member, score.</summary>
    KeyFlat,
    /// <summary>ZMPOP/BZMPOP: key, then an array of [member, score] pairs.</summary>
    KeyPairs,
}

/// <summary>Popping and sampling: ZPOPMIN, ZPOPMAX, ZMPOP, ZRANDMEMBER.</summary>
public static partial class SortedSetCommands
{
    public static void ZPopMin(CommandContext c) => PopCommand(c, max: false);
    public static void ZPopMax(CommandContext c) => PopCommand(c, max: true);

    private static void PopCommand(CommandContext c, bool max)
    {
        if (c.Args.Length > 3)
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        long count = 1;
        if (c.Args.Length == 3 && !SortedSetArgs.TryParseNonNegative(c, c.Args[2], out count)) return;
        // With an explicit count, RESP3 nests each pair.
        var shape = c.Args.Length == 3 && c.Reply.Protocol != RespProtocol.Resp2 ? SortedSetPopReply.Pairs : SortedSetPopReply.Flat;
        if (!TryPop(c, c.Args.AsSpan(1, 1), max, count, shape)) c.Reply.WriteArrayHeader(0);
    }

    public static void ZMPop(CommandContext c) => MultiPop(c, numKeysIndex: 1);

    /// <summary>ZMPOP and BZMPOP from their numkeys argument on: "numkeys key… MIN|MAX [COUNT n]".</summary>
    internal static void MultiPop(CommandContext c, int numKeysIndex)
    {
        var a = c.Args;
        // The key spec already checked numkeys (1 or more, and room for MIN|MAX after the keys).
        a[numKeysIndex].TryInt64(out long numKeys);
        int where = numKeysIndex + 1 + (int)numKeys;
        bool max = a[where].Is("max");
        if (!max && !a[where].Is("min"))
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        long count = -1;
        for (int j = where + 1; j < a.Length; j++)
        {
            if (count == -1 && a[j].Is("count") && j + 1 < a.Length)
            {
                if (!a[++j].TryInt64(out count) || count < 1)
                {
                    c.Reply.WriteError("ERR count should be greater than 0");
                    return;
                }
            }
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
        }
        if (!TryPop(c, a.AsSpan(numKeysIndex + 1, (int)numKeys), max, Math.Max(count, 1), SortedSetPopReply.KeyPairs))
            c.Reply.WriteNullArray();
    }

    /// <summary>
    /// Pops up to <paramref name="count"/> members (lowest scores, or highest when
    /// <paramref name="max"/>) from the first of <paramref name="keys"/> that holds a sorted set,
    /// replying in <paramref name="shape"/>; the set is deleted when emptied. Returns false, having
    /// replied nothing, when no key holds a sorted set (ZMPOP replies null, a blocking pop waits);
    /// true once it replied: the members, an empty array for count 0, or WRONGTYPE for a key of
    /// another type met first. Reusable by the blocking variants (BZPOPMIN: KeyFlat, count 1;
    /// BZMPOP: KeyPairs).
    /// </summary>
    internal static bool TryPop(CommandContext c, ReadOnlySpan<byte[]> keys, bool max, long count, SortedSetPopReply shape)
    {
        foreach (var key in keys)
        {
            if (!c.TryWrite<RedisSortedSet>(key, create: false, out var set)) return true;
            if (set is null) continue;
            if (count == 0)
            {
                c.Reply.WriteArrayHeader(0);
                return true;
            }
            int popped = (int)Math.Min(count, set.Count);
            bool pairs = shape is SortedSetPopReply.Pairs or SortedSetPopReply.KeyPairs;
            switch (shape)
            {
                case SortedSetPopReply.Flat: c.Reply.WriteArrayHeader(popped * 2); break;
                case SortedSetPopReply.Pairs: c.Reply.WriteArrayHeader(popped); break;
                case SortedSetPopReply.KeyFlat:
                    c.Reply.WriteArrayHeader(popped * 2 + 1);
                    c.Reply.WriteBulk(key);
                    break;
                case SortedSetPopReply.KeyPairs:
                    c.Reply.WriteArrayHeader(2);
                    c.Reply.WriteBulk(key);
                    c.Reply.WriteArrayHeader(popped);
                    break;
            }
            for (int i = 0; i < popped; i++)
            {
                var node = (max ? set.Last : set.First)!;
                if (pairs) c.Reply.WriteArrayHeader(2);
                c.Reply.WriteBulk(node.Member);
                c.Reply.WriteScore(node.Score);
                set.Remove(node.Member);
            }
            c.Written(key, set);
            return true;
        }
        return false;
    }

    public static void ZRandMember(CommandContext c)
    {
        var a = c.Args;
        if (a.Length == 2)
        {
            if (!c.TryRead<RedisSortedSet>(a[1], out var one)) return;
            if (one is null) c.Reply.WriteNull();
            else c.Reply.WriteBulk(one.ByRank(Random.Shared.Next(one.Count))!.Member);
            return;
        }
        if (!a[2].TryInt64(out long count))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return;
        }
        if (count == long.MinValue)
        {
            c.Reply.WriteError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
            return;
        }
        if (a.Length > 4 || (a.Length == 4 && !a[3].Is("withscores")))
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        bool withScores = a.Length == 4;
        // Redis's own bound for WITHSCORES; beyond int range no reply could be built here at all.
        if ((withScores && (count < -long.MaxValue / 2 || count > long.MaxValue / 2)) || count < -int.MaxValue / 2)
        {
            c.Reply.WriteError("ERR value is out of range");
            return;
        }
        if (!c.TryRead<RedisSortedSet>(a[1], out var set)) return;
        if (set is null || count == 0) c.Reply.WriteArrayHeader(0);
        else if (count < 0) WriteRandomWithRepeats(c.Reply, set, (int)-count, withScores);
        // The whole set, highest first: Redis's set iterator starts at the tail.
        else if (count >= set.Count) c.Reply.WriteMembers(set.Last, set.Count, reverse: true, withScores);
        else WriteRandomDistinct(c.Reply, set, (int)count, withScores);
    }

    /// <summary>A negative ZRANDMEMBER count: that many independent draws, repeats allowed.</summary>
    private static void WriteRandomWithRepeats(IReplyWriter w, RedisSortedSet set, int count, bool withScores)
    {
        w.WriteMembersHeader(count, withScores);
        for (int i = 0; i < count; i++)
        {
            var node = set.ByRank(Random.Shared.Next(set.Count))!;
            w.WriteMember(node.Member, node.Score, withScores);
        }
    }

    /// <summary>
    /// A positive ZRANDMEMBER count below the size: distinct members in random order. Large
    /// samples shuffle the whole set; small ones draw ranks until enough are distinct.
    /// </summary>
    private static void WriteRandomDistinct(IReplyWriter w, RedisSortedSet set, int count, bool withScores)
    {
        w.WriteMembersHeader(count, withScores);
        if (count * 3L > set.Count)
        {
            var nodes = new SkipListNode[set.Count];
            int n = 0;
            for (var node = set.First; node is not null; node = node.Next) nodes[n++] = node;
            for (int i = 0; i < count; i++)
            {
                int j = Random.Shared.Next(i, nodes.Length);
                (nodes[i], nodes[j]) = (nodes[j], nodes[i]);
                w.WriteMember(nodes[i].Member, nodes[i].Score, withScores);
            }
            return;
        }
        var picked = new HashSet<int>();
        while (picked.Count < count)
        {
            int rank = Random.Shared.Next(set.Count);
            if (!picked.Add(rank)) continue;
            var node = set.ByRank(rank)!;
            w.WriteMember(node.Member, node.Score, withScores);
        }
    }
}
