using OrleansLua.Protocol;

namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// A Redis set with O(1) membership and access by position (random picks). Encodings follow Redis
/// 7.2 (the version the server reports): "intset" while every member is an integer and there are
/// at most 512 (kept in ascending order, which is what Redis replies), then "listpack" up to 128
/// members of at most 64 bytes (insertion order), then "hashtable" — never back.
/// </summary>
public sealed class RedisSet : IScannableCollection
{
    public const int IntsetMaxEntries = 512;
    public const int ListpackMaxEntries = 128;
    public const int ListpackMaxValue = 64;

    private enum SetEncoding { Intset, Listpack, Hashtable }

    // Member → its integer value while an intset (the sort key); unused afterwards.
    private readonly OrderedDictionary<byte[], long> _members;
    private SetEncoding _encoding;

    public RedisSet() => _members = new(ByteArrayComparer.Instance);

    private RedisSet(RedisSet source)
    {
        _members = new(source._members, ByteArrayComparer.Instance);
        _encoding = source._encoding;
    }

    public string TypeName => "set";

    public string Encoding => _encoding switch
    {
        SetEncoding.Intset => "intset",
        SetEncoding.Listpack => "listpack",
        _ => "hashtable",
    };

    public bool IsCompact => _encoding != SetEncoding.Hashtable;
    public bool IsEmpty => _members.Count == 0;
    public int Count => _members.Count;

    /// <summary>Members are immutable byte arrays, so copies share them.</summary>
    public IRedisValue Clone() => new RedisSet(this);

    public bool Contains(byte[] member) => _members.ContainsKey(member);

    /// <summary>The member at a position, 0 ≤ index &lt; Count.</summary>
    public byte[] MemberAt(int index) => _members.GetAt(index).Key;

    public IEnumerable<byte[]> Members => _members.Keys;

    /// <summary>Adds a member; false when it was already there.</summary>
    public bool Add(byte[] member)
    {
        if (_members.ContainsKey(member)) return false;
        if (_encoding == SetEncoding.Intset)
        {
            if (RespNumbers.TryParseInt64(member, out long value) && _members.Count < IntsetMaxEntries)
            {
                _members.Insert(IntsetPosition(value), member, value);
                return true;
            }
            _encoding = SetEncoding.Listpack; // integers are at most 20 bytes, so all fit a listpack
        }
        if (_members.Count + 1 > ListpackMaxEntries || member.Length > ListpackMaxValue) _encoding = SetEncoding.Hashtable;
        _members.Add(member, 0);
        return true;
    }

    public bool Remove(byte[] member)
    {
        int index = _members.IndexOf(member);
        if (index < 0) return false;
        _members.RemoveAt(index, keepOrder: IsCompact);
        return true;
    }

    /// <summary>Where an integer goes to keep the intset ascending (binary search).</summary>
    private int IntsetPosition(long value)
    {
        int low = 0, high = _members.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (_members.GetAt(mid).Value < value) low = mid + 1;
            else high = mid;
        }
        return low;
    }
}
