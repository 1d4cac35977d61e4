using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

internal enum SortedSetRangeKind { Auto, Rank, Score, Lex }

/// <summary>
/// A parsed ZRANGE-family request (Redis's zrangeGenericCommand): which run of a sorted set, in
/// which direction, with scores or not. The legacy commands fix the kind and direction upfront.
/// </summary>
internal sealed class SortedSetRangeRequest
{
    public SortedSetRangeKind Kind { get; private set; }
    public bool Reverse { get; private set; }
    public bool WithScores { get; private set; }
    private long _start, _end, _offset, _limit = -1;
    private ScoreRange _scores;
    private LexRange _lex;

    /// <summary>
    /// Reads "key min max [options]" from <paramref name="keyIndex"/>; false after replying the
    /// error Redis gives. <paramref name="kind"/> / <paramref name="reverse"/> other than Auto / null
    /// are fixed by the command (ZRANGEBYSCORE…) and their options become syntax errors.
    /// </summary>
    public static SortedSetRangeRequest? Parse(CommandContext c, int keyIndex, SortedSetRangeKind kind, bool? reverse, bool store)
    {
        var a = c.Args;
        var r = new SortedSetRangeRequest { Kind = kind };
        for (int j = keyIndex + 3; j < a.Length; j++)
        {
            int left = a.Length - j - 1;
            if (!store && a[j].Is("withscores")) r.WithScores = true;
            else if (a[j].Is("limit") && left >= 2)
            {
                if (!a[j + 1].TryInt64(out r._offset) || !a[j + 2].TryInt64(out r._limit))
                {
                    c.Reply.WriteError(Errors.NotInteger);
                    return null;
                }
                j += 2;
            }
            else if (reverse is null && a[j].Is("rev")) reverse = true;
            else if (r.Kind == SortedSetRangeKind.Auto && a[j].Is("bylex")) r.Kind = SortedSetRangeKind.Lex;
            else if (r.Kind == SortedSetRangeKind.Auto && a[j].Is("byscore")) r.Kind = SortedSetRangeKind.Score;
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return null;
            }
        }
        r.Reverse = reverse ?? false;
        if (r.Kind == SortedSetRangeKind.Auto) r.Kind = SortedSetRangeKind.Rank;
        if (r._limit != -1 && r.Kind == SortedSetRangeKind.Rank)
        {
            c.Reply.WriteError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
            return null;
        }
        if (r.WithScores && r.Kind == SortedSetRangeKind.Lex)
        {
            c.Reply.WriteError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
            return null;
        }
        var (min, max) = (a[keyIndex + 1], a[keyIndex + 2]);
        // Reversed score and lex ranges are written max first.
        if (r.Reverse && r.Kind != SortedSetRangeKind.Rank) (min, max) = (max, min);
        switch (r.Kind)
        {
            case SortedSetRangeKind.Rank when !min.TryInt64(out r._start) || !max.TryInt64(out r._end):
                c.Reply.WriteError(Errors.NotInteger);
                return null;
            case SortedSetRangeKind.Score when !SortedSetArgs.TryParseScoreRange(min, max, out r._scores):
                c.Reply.WriteError(SortedSetCommands.NotFloatRange);
                return null;
            case SortedSetRangeKind.Lex when !SortedSetArgs.TryParseLexRange(min, max, out r._lex):
                c.Reply.WriteError(SortedSetCommands.NotLexRange);
                return null;
        }
        return r;
    }

    /// <summary>The run selected in <paramref name="set"/>: count nodes from First, walking backward when Reverse.</summary>
    public (SkipListNode? First, int Count) Select(RedisSortedSet set) => Kind switch
    {
        SortedSetRangeKind.Score => SelectIn(set, _scores),
        SortedSetRangeKind.Lex => SelectIn(set, _lex),
        _ => SelectRanks(set),
    };

    private (SkipListNode? First, int Count) SelectRanks(RedisSortedSet set)
    {
        if (!SortedSetCommands.TryClampRanks(_start, _end, set.Count, out int first, out int last)) return (null, 0);
        return (set.ByRank(Reverse ? set.Count - 1 - first : first), last - first + 1);
    }

    private (SkipListNode? First, int Count) SelectIn<TRange>(RedisSortedSet set, TRange range) where TRange : ISortedSetRange
    {
        var (low, lowRank) = set.FirstIn(range);
        // A negative offset skips everything in Redis (its skip loop never ends before the list does).
        if (low is null || _offset < 0) return (null, 0);
        int inRange = set.LastIn(range).Rank - lowRank + 1;
        if (_offset >= inRange) return (null, 0);
        int available = inRange - (int)_offset;
        int count = _limit < 0 ? available : (int)Math.Min(_limit, available);
        int start = Reverse ? lowRank + inRange - 1 - (int)_offset : lowRank + (int)_offset;
        return (set.ByRank(start), count);
    }
}
