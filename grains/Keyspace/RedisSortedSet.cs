namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// A sorted set. Encoding follows Redis 7.0: "listpack" up to 128 members of at most 64 bytes,
/// kept compactly as parallel score and member arrays sorted by (score, member bytes) and searched
/// linearly; "skiplist" from then on (never back): a member → node dictionary (O(1) scores) over a
/// skip list ordered by score, then member bytes (O(log N) ranks and ranges). The node-based API
/// (First, Last, ByRank, FirstIn, LastIn) reads a compact set through a chain of nodes built on
/// demand and dropped at the next write.
/// </summary>
public sealed class RedisSortedSet : IScannableCollection
{
    public const int ListpackMaxEntries = 128;
    public const int ListpackMaxValue = 64;

    // Listpack: the first _count slots, ascending by (score, member); null once a skip list.
    private double[]? _scores = [];
    private byte[][]? _compactMembers = [];
    private int _count;
    // A read-only node chain over the listpack, built when a node is asked for; null after writes.
    private SkipListNode[]? _view;

    // Skip list: null while a listpack.
    private Dictionary<byte[], SkipListNode>? _members;
    private SortedSetSkipList? _list;

    /// <summary>
    /// Rebuilds a listpack (ValueCodec), taking ownership of both arrays (same length, at least
    /// <paramref name="count"/>), already ascending by (score, member) with unique members.
    /// </summary>
    internal static RedisSortedSet FromListpack(double[] scores, byte[][] members, int count) =>
        new() { _scores = scores, _compactMembers = members, _count = count };

    /// <summary>
    /// Rebuilds a skip list (ValueCodec) from members already strictly ascending by (score, member),
    /// in O(N); null when a member repeats.
    /// </summary>
    internal static RedisSortedSet? FromSkiplist(ReadOnlySpan<double> scores, ReadOnlySpan<byte[]> members)
    {
        var index = new Dictionary<byte[], SkipListNode>(members.Length, ByteArrayComparer.Instance);
        var list = new SortedSetSkipList();
        if (!list.AppendSorted(scores, members, index)) return null;
        return new RedisSortedSet { _scores = null, _compactMembers = null, _members = index, _list = list };
    }

    /// <summary>A listpack's score at a position, 0 ≤ index &lt; Count (what <see cref="MemberAt"/> pairs with).</summary>
    internal double CompactScoreAt(int index) => _scores![index];

    public string TypeName => "zset";
    public string Encoding => _list is not null ? "skiplist" : "listpack";
    public bool IsCompact => _list is null;
    public bool IsEmpty => Count == 0;
    public int Count => _members?.Count ?? _count;
    public SkipListNode? First => _list is not null ? _list.First : _count == 0 ? null : View()[0];
    public SkipListNode? Last => _list is not null ? _list.Last : _count == 0 ? null : View()[_count - 1];

    public IRedisValue Clone()
    {
        var copy = new RedisSortedSet();
        if (_list is not null)
        {
            copy.ConvertToSkiplist();
            for (var node = _list.First; node is not null; node = node.Next) copy.Add(node.Member, node.Score);
        }
        else
        {
            copy._scores = _scores.AsSpan(0, _count).ToArray();
            copy._compactMembers = _compactMembers.AsSpan(0, _count).ToArray();
            copy._count = _count;
        }
        return copy;
    }

    public bool TryGetScore(byte[] member, out double score)
    {
        if (_members is not null)
        {
            bool found = _members.TryGetValue(member, out var node);
            score = found ? node!.Score : 0;
            return found;
        }
        int index = IndexOf(member);
        score = index < 0 ? 0 : _scores![index];
        return index >= 0;
    }

    /// <summary>
    /// Redis converts before a write of <paramref name="elements"/> members that could not fit a
    /// listpack (and, for a new key, members longer than the listpack limit).
    /// </summary>
    public void PrepareForAdding(int elements, int longestMember = 0)
    {
        if (elements > ListpackMaxEntries || longestMember > ListpackMaxValue) ConvertToSkiplist();
    }

    /// <summary>Adds a member that is not in the set.</summary>
    public void Add(byte[] member, double score)
    {
        if (Count + 1 > ListpackMaxEntries || member.Length > ListpackMaxValue) ConvertToSkiplist();
        if (_list is not null)
        {
            _members!.Add(member, _list.Insert(score, member));
            return;
        }
        score = Stored(score);
        if (_scores!.Length == _count)
        {
            int capacity = Math.Max(_count + 1, Math.Min(ListpackMaxEntries, _count + Math.Max(2, _count / 4)));
            Array.Resize(ref _scores, capacity);
            Array.Resize(ref _compactMembers, capacity);
        }
        int at = InsertPosition(score, member);
        Array.Copy(_scores, at, _scores, at + 1, _count - at);
        Array.Copy(_compactMembers!, at, _compactMembers!, at + 1, _count - at);
        _scores[at] = score;
        _compactMembers![at] = member;
        _count++;
        _view = null;
    }

    /// <summary>Changes the score of a member that is in the set.</summary>
    public void Update(byte[] member, double score)
    {
        if (_list is not null)
        {
            ref var node = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_members!, member);
            node = _list.UpdateScore(node, score);
            return;
        }
        int index = IndexOf(member);
        var stored = _compactMembers![index];
        RemoveCompactAt(index, 1);
        score = Stored(score);
        int at = InsertPosition(score, stored);
        Array.Copy(_scores!, at, _scores!, at + 1, _count - at);
        Array.Copy(_compactMembers, at, _compactMembers, at + 1, _count - at);
        _scores![at] = score;
        _compactMembers[at] = stored;
        _count++;
    }

    public bool Remove(byte[] member)
    {
        if (_list is not null)
        {
            if (!_members!.Remove(member, out var node)) return false;
            _list.Delete(node.Score, member);
            return true;
        }
        int index = IndexOf(member);
        if (index < 0) return false;
        RemoveCompactAt(index, 1);
        return true;
    }

    /// <summary>0-based rank in ascending order, or -1 when absent.</summary>
    public int RankOf(byte[] member)
    {
        if (_list is not null) return _members!.TryGetValue(member, out var node) ? _list.RankOf(node) - 1 : -1;
        return IndexOf(member);
    }

    /// <summary>The member at a 0-based ascending rank, or null.</summary>
    public SkipListNode? ByRank(int rank)
    {
        if (_list is not null) return _list.ByRank(rank + 1);
        return (uint)rank < (uint)_count ? View()[rank] : null;
    }

    /// <summary>ZSCAN walks members by rank.</summary>
    public byte[] MemberAt(int index) => _list is not null ? ByRank(index)!.Member : _compactMembers![index];

    /// <summary>First node of a range with its 0-based rank, or (null, -1).</summary>
    public (SkipListNode? Node, int Rank) FirstIn<TRange>(in TRange range) where TRange : ISortedSetRange
    {
        if (_list is not null)
        {
            var (node, rank) = _list.FirstIn(range);
            return (node, rank - 1);
        }
        int first = CompactFirstIn(range);
        return first < 0 ? (null, -1) : (View()[first], first);
    }

    /// <summary>Last node of a range with its 0-based rank, or (null, -1).</summary>
    public (SkipListNode? Node, int Rank) LastIn<TRange>(in TRange range) where TRange : ISortedSetRange
    {
        if (_list is not null)
        {
            var (node, rank) = _list.LastIn(range);
            return (node, rank - 1);
        }
        int last = CompactLastIn(range);
        return last < 0 ? (null, -1) : (View()[last], last);
    }

    public int CountIn<TRange>(in TRange range) where TRange : ISortedSetRange
    {
        if (_list is not null)
        {
            var (first, firstRank) = _list.FirstIn(range);
            return first is null ? 0 : _list.LastIn(range).Rank - firstRank + 1;
        }
        int firstIndex = CompactFirstIn(range);
        return firstIndex < 0 ? 0 : CompactLastIn(range) - firstIndex + 1;
    }

    /// <summary>Removes a range; returns how many members went.</summary>
    public int RemoveRange<TRange>(in TRange range) where TRange : ISortedSetRange
    {
        if (_list is not null) return _list.DeleteRange(range, node => _members!.Remove(node.Member));
        int first = CompactFirstIn(range);
        if (first < 0) return 0;
        int removed = CompactLastIn(range) - first + 1;
        RemoveCompactAt(first, removed);
        return removed;
    }

    /// <summary>A listpack stores integral scores as integers, which turns -0 into 0; a skip list keeps -0.</summary>
    private double Stored(double score) => _list is null && score == 0 ? 0 : score;

    private int IndexOf(byte[] member)
    {
        var members = _compactMembers!;
        var span = member.AsSpan();
        for (int i = 0; i < _count; i++)
        {
            var candidate = members[i];
            if (candidate.Length == span.Length && span.SequenceEqual(candidate)) return i;
        }
        return -1;
    }

    /// <summary>Where (score, member) goes to keep the listpack ascending (binary search).</summary>
    private int InsertPosition(double score, byte[] member)
    {
        int low = 0, high = _count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            double s = _scores![mid];
            if (s < score || (s == score && ByteArrayComparer.Instance.Compare(_compactMembers![mid], member) < 0)) low = mid + 1;
            else high = mid;
        }
        return low;
    }

    private void RemoveCompactAt(int index, int length)
    {
        int tail = _count - index - length;
        Array.Copy(_scores!, index + length, _scores!, index, tail);
        Array.Copy(_compactMembers!, index + length, _compactMembers!, index, tail);
        _count -= length;
        Array.Clear(_compactMembers!, _count, length);
        _view = null;
    }

    /// <summary>0-based index of the range's first member in the listpack, or -1.</summary>
    private int CompactFirstIn<TRange>(in TRange range) where TRange : ISortedSetRange
    {
        var view = View();
        int i = 0;
        while (i < _count && range.IsBelow(view[i], i + 1)) i++;
        return i == _count || range.IsAbove(view[i], i + 1) ? -1 : i;
    }

    /// <summary>0-based index of the range's last member in the listpack, or -1.</summary>
    private int CompactLastIn<TRange>(in TRange range) where TRange : ISortedSetRange
    {
        var view = View();
        int i = _count - 1;
        while (i >= 0 && range.IsAbove(view[i], i + 1)) i--;
        return i < 0 || range.IsBelow(view[i], i + 1) ? -1 : i;
    }

    /// <summary>The listpack as a doubly linked chain of one-level nodes (read-only).</summary>
    private SkipListNode[] View()
    {
        if (_view is { } view) return view;
        view = new SkipListNode[_count];
        for (int i = 0; i < _count; i++)
        {
            var node = new SkipListNode(1, _scores![i], _compactMembers![i]);
            if (i > 0)
            {
                node.Previous = view[i - 1];
                view[i - 1].Levels[0].Forward = node;
            }
            view[i] = node;
        }
        return _view = view;
    }

    private void ConvertToSkiplist()
    {
        if (_list is not null) return;
        var members = new Dictionary<byte[], SkipListNode>(_count, ByteArrayComparer.Instance);
        var list = new SortedSetSkipList();
        for (int i = 0; i < _count; i++) members.Add(_compactMembers![i], list.Insert(_scores![i], _compactMembers[i]));
        _members = members;
        _list = list;
        _scores = null;
        _compactMembers = null;
        _count = 0;
        _view = null;
    }
}
