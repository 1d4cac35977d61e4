using OrleansLua.Grains.Keyspace;
using Kind = OrleansLua.Grains.Commands.SortedSetRangeKind;

namespace OrleansLua.Grains.Commands;

/// <summary>Ranges by rank, score and lex: reading, counting, storing, removing.</summary>
public static partial class SortedSetCommands
{
    internal const string NotFloatRange = "ERR min or max is not a float";
    internal const string NotLexRange = "ERR min or max not valid string range item";

    public static void ZRange(CommandContext c) => Range(c, Kind.Auto, reverse: null);
    public static void ZRevRange(CommandContext c) => Range(c, Kind.Rank, reverse: true);
    public static void ZRangeByScore(CommandContext c) => Range(c, Kind.Score, reverse: false);
    public static void ZRevRangeByScore(CommandContext c) => Range(c, Kind.Score, reverse: true);
    public static void ZRangeByLex(CommandContext c) => Range(c, Kind.Lex, reverse: false);
    public static void ZRevRangeByLex(CommandContext c) => Range(c, Kind.Lex, reverse: true);

    private static void Range(CommandContext c, Kind kind, bool? reverse)
    {
        var request = SortedSetRangeRequest.Parse(c, 1, kind, reverse, store: false);
        if (request is null || !c.TryRead<RedisSortedSet>(c.Args[1], out var set)) return;
        var (first, count) = set is null ? (null, 0) : request.Select(set);
        c.Reply.WriteMembers(first, count, request.Reverse, request.WithScores);
    }

    public static void ZRangeStore(CommandContext c)
    {
        var request = SortedSetRangeRequest.Parse(c, 2, Kind.Auto, reverse: null, store: true);
        if (request is null || !c.TryRead<RedisSortedSet>(c.Args[2], out var source)) return;
        var result = new RedisSortedSet();
        if (source is not null)
        {
            var (node, count) = request.Select(source);
            for (int i = 0; i < count && node is not null; i++, node = request.Reverse ? node.Previous : node.Next)
                result.Add(node.Member, node.Score);
        }
        Store(c, c.Args[1], result);
    }

    public static void ZCount(CommandContext c)
    {
        if (!SortedSetArgs.TryParseScoreRange(c.Args[2], c.Args[3], out var range)) c.Reply.WriteError(NotFloatRange);
        else if (c.TryRead<RedisSortedSet>(c.Args[1], out var set)) c.Reply.WriteInteger(set?.CountIn(range) ?? 0);
    }

    public static void ZLexCount(CommandContext c)
    {
        if (!SortedSetArgs.TryParseLexRange(c.Args[2], c.Args[3], out var range)) c.Reply.WriteError(NotLexRange);
        else if (c.TryRead<RedisSortedSet>(c.Args[1], out var set)) c.Reply.WriteInteger(set?.CountIn(range) ?? 0);
    }

    public static void ZRemRangeByScore(CommandContext c)
    {
        if (!SortedSetArgs.TryParseScoreRange(c.Args[2], c.Args[3], out var range)) c.Reply.WriteError(NotFloatRange);
        else RemoveRange(c, set => range);
    }

    public static void ZRemRangeByLex(CommandContext c)
    {
        if (!SortedSetArgs.TryParseLexRange(c.Args[2], c.Args[3], out var range)) c.Reply.WriteError(NotLexRange);
        else RemoveRange(c, set => range);
    }

    public static void ZRemRangeByRank(CommandContext c)
    {
        if (!c.Args[2].TryInt64(out long start) || !c.Args[3].TryInt64(out long end)) c.Reply.WriteError(Errors.NotInteger);
        // An empty rank range (1-based first > last) removes nothing.
        else RemoveRange(c, set => TryClampRanks(start, end, set.Count, out int first, out int last)
            ? new RankRange(first + 1, last + 1) : new RankRange(1, 0));
    }

    /// <summary>Removes the range <paramref name="rangeOf"/> gives for the key's set; replies how many went.</summary>
    private static void RemoveRange<TRange>(CommandContext c, Func<RedisSortedSet, TRange> rangeOf) where TRange : ISortedSetRange
    {
        var key = c.Args[1];
        if (!c.TryWrite<RedisSortedSet>(key, create: false, out var set)) return;
        int removed = 0;
        if (set is not null)
        {
            removed = set.RemoveRange(rangeOf(set));
            c.Written(key, set);
        }
        c.Reply.WriteInteger(removed);
    }

    /// <summary>
    /// Redis's rank arithmetic: negative ranks count from the end, start clamps to 0, end to the
    /// last rank; false when nothing is left.
    /// </summary>
    internal static bool TryClampRanks(long start, long end, int length, out int first, out int last)
    {
        if (start < 0) start += length;
        if (end < 0) end += length;
        if (start < 0) start = 0;
        if (end >= length) end = length - 1;
        first = (int)start;
        last = (int)Math.Max(end, -1);
        return start <= end && start < length;
    }

    /// <summary>
    /// Replaces <paramref name="destination"/> with a result (its TTL goes too), or deletes it when the
    /// result is empty; replies the result's size.
    /// </summary>
    private static void Store(CommandContext c, byte[] destination, RedisSortedSet result)
    {
        if (result.IsEmpty) c.Keys.Delete(destination, c.Now);
        else c.Keys.Set(destination, result, c.Now);
        c.Reply.WriteInteger(result.Count);
    }
}
