namespace OrleansLua.Grains.Keyspace;

/// <summary>One member of a sorted set in its skip list.</summary>
public sealed class SkipListNode
{
    internal SkipListNode(int levels, double score, byte[] member)
    {
        Levels = new SkipListLink[levels];
        Score = score;
        Member = member;
    }

    public byte[] Member { get; }
    public double Score { get; internal set; }
    public SkipListNode? Next => Levels[0].Forward;
    public SkipListNode? Previous { get; internal set; }

    /// <summary>Forward links, one per level; only the header's array ever grows.</summary>
    internal SkipListLink[] Levels;
}

/// <summary>A forward link and how many level-0 steps it spans (what makes ranks O(log N)).</summary>
internal struct SkipListLink
{
    public SkipListNode? Forward;
    public int Span;
}

/// <summary>
/// Redis's zskiplist: nodes ordered by (score, member bytes), with spans so that rank lookups,
/// range searches and range deletes all cost O(log N) plus the elements touched.
/// </summary>
internal sealed class SortedSetSkipList
{
    private const int MaxLevel = 32;
    private const int PromoteOneIn = 4;

    // Search paths; every operation is synchronous, so one pair per thread serves every list.
    [ThreadStatic] private static SkipListNode[]? t_update;
    [ThreadStatic] private static int[]? t_rank;

    // The header starts low and grows to MaxLevel on demand: most sorted sets are small and many.
    private readonly SkipListNode _header = new(4, 0, []);
    private int _level = 1;

    public int Length { get; private set; }
    public SkipListNode? First => _header.Levels[0].Forward;
    public SkipListNode? Last { get; private set; }

    private static SkipListNode[] Update => t_update ??= new SkipListNode[MaxLevel];
    private static int[] Ranks => t_rank ??= new int[MaxLevel];

    private static bool Precedes(SkipListNode node, double score, byte[] member) =>
        node.Score < score || (node.Score == score && ByteArrayComparer.Instance.Compare(node.Member, member) < 0);

    private static int RandomLevel()
    {
        int level = 1;
        while (level < MaxLevel && Random.Shared.Next(PromoteOneIn) == 0) level++;
        return level;
    }

    /// <summary>Adds a member that is not in the list yet.</summary>
    public SkipListNode Insert(double score, byte[] member)
    {
        var update = Update;
        var rank = Ranks;
        var x = _header;
        for (int i = _level - 1; i >= 0; i--)
        {
            rank[i] = i == _level - 1 ? 0 : rank[i + 1];
            while (x.Levels[i].Forward is { } next && Precedes(next, score, member))
            {
                rank[i] += x.Levels[i].Span;
                x = next;
            }
            update[i] = x;
        }
        int level = RandomLevel();
        if (level > _level)
        {
            if (level > _header.Levels.Length) Array.Resize(ref _header.Levels, MaxLevel);
            for (int i = _level; i < level; i++)
            {
                rank[i] = 0;
                update[i] = _header;
                _header.Levels[i].Span = Length;
            }
            _level = level;
        }
        var node = new SkipListNode(level, score, member);
        for (int i = 0; i < level; i++)
        {
            ref var before = ref update[i].Levels[i];
            node.Levels[i].Forward = before.Forward;
            before.Forward = node;
            node.Levels[i].Span = before.Span - (rank[0] - rank[i]);
            before.Span = rank[0] - rank[i] + 1;
        }
        for (int i = level; i < _level; i++) update[i].Levels[i].Span++;
        node.Previous = update[0] == _header ? null : update[0];
        if (node.Levels[0].Forward is { } after) after.Previous = node;
        else Last = node;
        Length++;
        return node;
    }

    /// <summary>
    /// Bulk load into an empty list: appends members already strictly ascending by (score, member),
    /// each after the last node, in O(1) expected per member, adding each node to
    /// <paramref name="index"/>. False (the list is then unusable) when a member is already in the index.
    /// </summary>
    public bool AppendSorted(ReadOnlySpan<double> scores, ReadOnlySpan<byte[]> members, Dictionary<byte[], SkipListNode> index)
    {
        if (Length != 0) throw new InvalidOperationException("bulk loading needs an empty skip list");
        // The last node reaching each level (the header at first) and its rank.
        var last = new SkipListNode[MaxLevel];
        var lastRank = new int[MaxLevel];
        Array.Fill(last, _header);
        for (int n = 0; n < members.Length; n++)
        {
            int level = RandomLevel();
            if (level > _level)
            {
                if (level > _header.Levels.Length) Array.Resize(ref _header.Levels, MaxLevel);
                for (int i = _level; i < level; i++) _header.Levels[i].Span = Length;
                _level = level;
            }
            var node = new SkipListNode(level, scores[n], members[n]);
            if (!index.TryAdd(node.Member, node)) return false;
            int rank = Length + 1;
            for (int i = 0; i < level; i++)
            {
                ref var before = ref last[i].Levels[i];
                before.Forward = node;
                before.Span = rank - lastRank[i];
                last[i] = node;
                lastRank[i] = rank;
            }
            // Links ending the list count the nodes after them, as Insert keeps them.
            for (int i = level; i < _level; i++) last[i].Levels[i].Span++;
            node.Previous = Last;
            Last = node;
            Length++;
        }
        return true;
    }

    /// <summary>Removes the node holding exactly this score and member; false if there is none.</summary>
    public bool Delete(double score, byte[] member)
    {
        var update = Update;
        var x = _header;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } next && Precedes(next, score, member)) x = next;
            update[i] = x;
        }
        var target = x.Levels[0].Forward;
        if (target is null || target.Score != score || !ByteArrayComparer.Instance.Equals(target.Member, member)) return false;
        Unlink(target, update);
        return true;
    }

    /// <summary>The node at a 1-based rank, or null.</summary>
    public SkipListNode? ByRank(int rank)
    {
        if (rank < 1 || rank > Length) return null;
        var x = _header;
        int traversed = 0;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } next && traversed + x.Levels[i].Span <= rank)
            {
                traversed += x.Levels[i].Span;
                x = next;
            }
            if (traversed == rank) return x;
        }
        return null;
    }

    /// <summary>The 1-based rank of a node of this list.</summary>
    public int RankOf(SkipListNode node)
    {
        var x = _header;
        int rank = 0;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } next
                   && (next.Score < node.Score || (next.Score == node.Score && ByteArrayComparer.Instance.Compare(next.Member, node.Member) <= 0)))
            {
                rank += x.Levels[i].Span;
                x = next;
            }
            if (x == node) return rank;
        }
        throw new InvalidOperationException("node is not in this skip list");
    }

    /// <summary>The first node of the range and its 1-based rank, or (null, 0) when the range is empty.</summary>
    public (SkipListNode? Node, int Rank) FirstIn<TRange>(in TRange range) where TRange : ISortedSetRange
    {
        var (before, rank) = SeekBelow(range, fillUpdate: false);
        var node = before.Levels[0].Forward;
        return node is null || range.IsAbove(node, rank + 1) ? (null, 0) : (node, rank + 1);
    }

    /// <summary>The last node of the range and its 1-based rank, or (null, 0) when the range is empty.</summary>
    public (SkipListNode? Node, int Rank) LastIn<TRange>(in TRange range) where TRange : ISortedSetRange
    {
        var x = _header;
        int rank = 0;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } next && !range.IsAbove(next, rank + x.Levels[i].Span))
            {
                rank += x.Levels[i].Span;
                x = next;
            }
        }
        return x == _header || range.IsBelow(x, rank) ? (null, 0) : (x, rank);
    }

    /// <summary>Removes every node of the range, telling <paramref name="removed"/> about each; returns how many.</summary>
    public int DeleteRange<TRange>(in TRange range, Action<SkipListNode> removed) where TRange : ISortedSetRange
    {
        var (before, rank) = SeekBelow(range, fillUpdate: true);
        var x = before.Levels[0].Forward;
        int deleted = 0;
        // Ranks are those before the delete began: the range was defined on them.
        while (x is not null && !range.IsAbove(x, rank + 1 + deleted))
        {
            var next = x.Levels[0].Forward;
            Unlink(x, Update);
            removed(x);
            deleted++;
            x = next;
        }
        return deleted;
    }

    /// <summary>
    /// Changes a node's score: in place when its neighbours keep it in order (a counter bumped by
    /// ZINCRBY usually is), else by moving it. Returns the node now holding the member.
    /// </summary>
    public SkipListNode UpdateScore(SkipListNode node, double score)
    {
        if ((node.Previous is null || node.Previous.Score < score) && (node.Next is null || node.Next.Score > score))
        {
            node.Score = score;
            return node;
        }
        Delete(node.Score, node.Member);
        return Insert(score, node.Member);
    }

    /// <summary>
    /// Walks to the last node below the range (the header if none), with its rank; records the
    /// path in the update vector when a delete follows.
    /// </summary>
    private (SkipListNode Before, int Rank) SeekBelow<TRange>(in TRange range, bool fillUpdate) where TRange : ISortedSetRange
    {
        var update = Update;
        var x = _header;
        int rank = 0;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Levels[i].Forward is { } next && range.IsBelow(next, rank + x.Levels[i].Span))
            {
                rank += x.Levels[i].Span;
                x = next;
            }
            if (fillUpdate) update[i] = x;
        }
        return (x, rank);
    }

    private void Unlink(SkipListNode node, SkipListNode[] update)
    {
        for (int i = 0; i < _level; i++)
        {
            ref var before = ref update[i].Levels[i];
            if (before.Forward == node)
            {
                before.Span += node.Levels[i].Span - 1;
                before.Forward = node.Levels[i].Forward;
            }
            else before.Span--;
        }
        if (node.Levels[0].Forward is { } after) after.Previous = node.Previous;
        else Last = node.Previous;
        while (_level > 1 && _header.Levels[_level - 1].Forward is null) _level--;
        Length--;
    }
}
