using OrleansLua.Protocol;

namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// A Redis set with access by position (random picks). Encodings follow Redis 7.2 (the version
/// the server reports): "intset" while every member is an integer and there are at most 512 (kept
/// in ascending order, which is what Redis replies), then "listpack" up to 128 members of at most
/// 64 bytes (insertion order), then "hashtable" — never back. Intsets and listpacks are kept
/// compactly as a flat member array (with the integer values alongside while an intset), searched
/// linearly (binary search for an intset); a hashtable is an ordered dictionary with O(1) membership.
/// </summary>
public sealed class RedisSet : IScannableCollection
{
    public const int IntsetMaxEntries = 512;
    public const int ListpackMaxEntries = 128;
    public const int ListpackMaxValue = 64;

    private enum SetEncoding { Intset, Listpack, Hashtable }

    // Intset and listpack: the first _count slots; null once a hashtable.
    private byte[][]? _compact = [];
    // Intset: each member's integer value, ascending; null from listpack on.
    private long[]? _ints = [];
    private int _count;
    // Hashtable: null before. The values are unused.
    private OrderedDictionary<byte[], long>? _members;
    private SetEncoding _encoding;

    public RedisSet() { }

    private RedisSet(RedisSet source)
    {
        _encoding = source._encoding;
        if (source._members is not null)
        {
            _members = new(source._members, ByteArrayComparer.Instance);
            _compact = null;
            _ints = null;
        }
        else
        {
            _compact = source._compact.AsSpan(0, source._count).ToArray();
            _ints = source._ints is null ? null : source._ints.AsSpan(0, source._count).ToArray();
            _count = source._count;
        }
    }

    /// <summary>
    /// Rebuilds an intset (ValueCodec), taking ownership of both arrays (same length, at least
    /// <paramref name="count"/>): <paramref name="ints"/> strictly ascending, each member its canonical text.
    /// </summary>
    internal static RedisSet FromIntset(long[] ints, byte[][] members, int count) =>
        new() { _ints = ints, _compact = members, _count = count, _encoding = SetEncoding.Intset };

    /// <summary>Rebuilds a listpack from its members in order (ValueCodec), taking ownership of the array.</summary>
    internal static RedisSet FromListpack(byte[][] members, int count) =>
        new() { _ints = null, _compact = members, _count = count, _encoding = SetEncoding.Listpack };

    /// <summary>An empty set already in the hashtable encoding (ValueCodec fills it with <see cref="Add"/>).</summary>
    internal static RedisSet CreateHashtable(int capacity) => new()
    {
        _ints = null,
        _compact = null,
        _members = new(Math.Max(capacity, 1), ByteArrayComparer.Instance),
        _encoding = SetEncoding.Hashtable,
    };

    public string TypeName => "set";

    public string Encoding => _encoding switch
    {
        SetEncoding.Intset => "intset",
        SetEncoding.Listpack => "listpack",
        _ => "hashtable",
    };

    public bool IsCompact => _encoding != SetEncoding.Hashtable;
    public bool IsEmpty => Count == 0;
    public int Count => _members?.Count ?? _count;

    /// <summary>Members are immutable byte arrays, so copies share them.</summary>
    public IRedisValue Clone() => new RedisSet(this);

    public bool Contains(byte[] member) => _members?.ContainsKey(member) ?? IndexOf(member) >= 0;

    /// <summary>The member at a position, 0 ≤ index &lt; Count.</summary>
    public byte[] MemberAt(int index)
    {
        if (_members is not null) return _members.GetAt(index).Key;
        if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
        return _compact![index];
    }

    public IEnumerable<byte[]> Members => _members is not null ? _members.Keys : CompactMembers();

    private IEnumerable<byte[]> CompactMembers()
    {
        var members = _compact!;
        int count = _count;
        for (int i = 0; i < count; i++) yield return members[i];
    }

    /// <summary>Adds a member; false when it was already there.</summary>
    public bool Add(byte[] member)
    {
        if (Contains(member)) return false;
        if (_encoding == SetEncoding.Intset)
        {
            if (RespNumbers.TryParseInt64(member, out long value) && _count < IntsetMaxEntries)
            {
                int at = IntsetPosition(value);
                Grow();
                Array.Copy(_compact!, at, _compact!, at + 1, _count - at);
                Array.Copy(_ints!, at, _ints!, at + 1, _count - at);
                _compact![at] = member;
                _ints![at] = value;
                _count++;
                return true;
            }
            _encoding = SetEncoding.Listpack; // integers are at most 20 bytes, so all fit a listpack
            _ints = null;
        }
        if (_encoding == SetEncoding.Listpack && (_count + 1 > ListpackMaxEntries || member.Length > ListpackMaxValue))
        {
            ConvertToHashtable();
        }
        if (_members is not null)
        {
            _members.Add(member, 0);
            return true;
        }
        Grow();
        _compact![_count++] = member;
        return true;
    }

    public bool Remove(byte[] member)
    {
        if (_members is not null)
        {
            int position = _members.IndexOf(member);
            if (position < 0) return false;
            _members.RemoveAt(position, keepOrder: false);
            return true;
        }
        int index = IndexOf(member);
        if (index < 0) return false;
        int tail = _count - index - 1;
        Array.Copy(_compact!, index + 1, _compact!, index, tail);
        if (_ints is not null) Array.Copy(_ints, index + 1, _ints, index, tail);
        _count--;
        _compact![_count] = null!;
        return true;
    }

    private int IndexOf(byte[] member)
    {
        var members = _compact!;
        var span = member.AsSpan();
        if (_ints is not null)
        {
            if (!RespNumbers.TryParseInt64(member, out long value)) return -1;
            for (int i = IntsetPosition(value); i < _count && _ints[i] == value; i++)
            {
                if (span.SequenceEqual(members[i])) return i;
            }
            return -1;
        }
        for (int i = 0; i < _count; i++)
        {
            var candidate = members[i];
            if (candidate.Length == span.Length && span.SequenceEqual(candidate)) return i;
        }
        return -1;
    }

    /// <summary>Room for one more member in the compact arrays.</summary>
    private void Grow()
    {
        if (_compact!.Length > _count) return;
        int limit = _ints is not null ? IntsetMaxEntries : ListpackMaxEntries;
        int capacity = Math.Max(_count + 1, Math.Min(limit, _count + Math.Max(2, _count / 4)));
        Array.Resize(ref _compact, capacity);
        if (_ints is not null) Array.Resize(ref _ints, capacity);
    }

    private void ConvertToHashtable()
    {
        var members = new OrderedDictionary<byte[], long>(_count + 1, ByteArrayComparer.Instance);
        for (int i = 0; i < _count; i++) members.Add(_compact![i], 0);
        _members = members;
        _compact = null;
        _ints = null;
        _count = 0;
        _encoding = SetEncoding.Hashtable;
    }

    /// <summary>Where an integer goes to keep the intset ascending (binary search).</summary>
    private int IntsetPosition(long value)
    {
        var ints = _ints!;
        int low = 0, high = _count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (ints[mid] < value) low = mid + 1;
            else high = mid;
        }
        return low;
    }
}
