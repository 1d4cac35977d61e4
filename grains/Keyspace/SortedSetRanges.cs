namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// A contiguous run of a sorted set's order. The skip list finds, counts and deletes runs through
/// this test alone: nodes "below" come before the run, nodes "above" after it.
/// </summary>
public interface ISortedSetRange
{
    /// <summary>The node (at 1-based <paramref name="rank"/>) comes before the run.</summary>
    bool IsBelow(SkipListNode node, int rank);

    /// <summary>The node (at 1-based <paramref name="rank"/>) comes after the run.</summary>
    bool IsAbove(SkipListNode node, int rank);
}

/// <summary>Scores between min and max, each inclusive or exclusive ("(" in Redis syntax).</summary>
public readonly record struct ScoreRange(double Min, bool MinExclusive, double Max, bool MaxExclusive) : ISortedSetRange
{
    public bool IsBelow(SkipListNode node, int rank) => MinExclusive ? node.Score <= Min : node.Score < Min;

    public bool IsAbove(SkipListNode node, int rank) => MaxExclusive ? node.Score >= Max : node.Score > Max;
}

/// <summary>One end of a lexicographic range: "-" (before everything), "+" (after everything), "[value" or "(value".</summary>
public readonly record struct LexBound(byte[] Value, bool Exclusive, int Infinity)
{
    public static readonly LexBound Minus = new([], false, -1);
    public static readonly LexBound Plus = new([], false, 1);

    /// <summary>Sign of (member − bound), with the infinities ordered outside every member.</summary>
    public int CompareMember(byte[] member) =>
        Infinity != 0 ? -Infinity : ByteArrayComparer.Instance.Compare(member, Value);
}

/// <summary>Members between min and max by byte order (meaningful when all scores are equal).</summary>
public readonly record struct LexRange(LexBound Min, LexBound Max) : ISortedSetRange
{
    public bool IsBelow(SkipListNode node, int rank)
    {
        int c = Min.CompareMember(node.Member);
        return Min.Exclusive ? c <= 0 : c < 0;
    }

    public bool IsAbove(SkipListNode node, int rank)
    {
        int c = Max.CompareMember(node.Member);
        return Max.Exclusive ? c >= 0 : c > 0;
    }
}

/// <summary>Ranks first..last, 1-based and inclusive.</summary>
public readonly record struct RankRange(int First, int Last) : ISortedSetRange
{
    public bool IsBelow(SkipListNode node, int rank) => rank < First;

    public bool IsAbove(SkipListNode node, int rank) => rank > Last;
}
