namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// A sorted set: a member → node dictionary (O(1) scores) over a skip list ordered by score, then
/// member bytes (O(log N) ranks and ranges). Encoding follows Redis 7.0: "listpack" up to 128
/// members of at most 64 bytes, "skiplist" from then on (never back).
/// </summary>
public sealed class RedisSortedSet : IScannableCollection
{
    public const int ListpackMaxEntries = 128;
    public const int ListpackMaxValue = 64;

    private readonly Dictionary<byte[], SkipListNode> _members = new(ByteArrayComparer.Instance);
    private readonly SortedSetSkipList _list = new();
    private bool _skiplist;

    public string TypeName => "zset";
    public string Encoding => _skiplist ? "skiplist" : "listpack";
    public bool IsCompact => !_skiplist;
    public bool IsEmpty => _members.Count == 0;
    public int Count => _members.Count;
    public SkipListNode? First => _list.First;
    public SkipListNode? Last => _list.Last;

    public IRedisValue Clone()
    {
        var copy = new RedisSortedSet { _skiplist = _skiplist };
        for (var node = _list.First; node is not null; node = node.Next) copy.Add(node.Member, node.Score);
        return copy;
    }

    public bool TryGetScore(byte[] member, out double score)
    {
        bool found = _members.TryGetValue(member, out var node);
        score = found ? node!.Score : 0;
        return found;
    }

    /// <summary>
    /// Redis converts before a write of <paramref name="elements"/> members that could not fit a
    /// listpack (and, for a new key, members longer than the listpack limit).
    /// </summary>
    public void PrepareForAdding(int elements, int longestMember = 0)
    {
        if (elements > ListpackMaxEntries || longestMember > ListpackMaxValue) _skiplist = true;
    }

    /// <summary>Adds a member that is not in the set.</summary>
    public void Add(byte[] member, double score)
    {
        if (_members.Count + 1 > ListpackMaxEntries || member.Length > ListpackMaxValue) _skiplist = true;
        _members.Add(member, _list.Insert(Stored(score), member));
    }

    /// <summary>Changes the score of a member that is in the set.</summary>
    public void Update(byte[] member, double score)
    {
        ref var node = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_members, member);
        node = _list.UpdateScore(node, Stored(score));
    }

    public bool Remove(byte[] member)
    {
        if (!_members.Remove(member, out var node)) return false;
        _list.Delete(node.Score, member);
        return true;
    }

    /// <summary>0-based rank in ascending order, or -1 when absent.</summary>
    public int RankOf(byte[] member) => _members.TryGetValue(member, out var node) ? _list.RankOf(node) - 1 : -1;

    /// <summary>The member at a 0-based ascending rank, or null.</summary>
    public SkipListNode? ByRank(int rank) => _list.ByRank(rank + 1);

    /// <summary>ZSCAN walks members by rank.</summary>
    public byte[] MemberAt(int index) => ByRank(index)!.Member;

    /// <summary>First node of a range with its 0-based rank, or (null, -1).</summary>
    public (SkipListNode? Node, int Rank) FirstIn<TRange>(in TRange range) where TRange : ISortedSetRange
    {
        var (node, rank) = _list.FirstIn(range);
        return (node, rank - 1);
    }

    /// <summary>Last node of a range with its 0-based rank, or (null, -1).</summary>
    public (SkipListNode? Node, int Rank) LastIn<TRange>(in TRange range) where TRange : ISortedSetRange
    {
        var (node, rank) = _list.LastIn(range);
        return (node, rank - 1);
    }

    public int CountIn<TRange>(in TRange range) where TRange : ISortedSetRange
    {
        var (first, firstRank) = _list.FirstIn(range);
        return first is null ? 0 : _list.LastIn(range).Rank - firstRank + 1;
    }

    /// <summary>Removes a range; returns how many members went.</summary>
    public int RemoveRange<TRange>(in TRange range) where TRange : ISortedSetRange => _list.DeleteRange(range, node => _members.Remove(node.Member));

    /// <summary>A listpack stores integral scores as integers, which turns -0 into 0; a skip list keeps -0.</summary>
    private double Stored(double score) => !_skiplist && score == 0 ? 0 : score;
}
