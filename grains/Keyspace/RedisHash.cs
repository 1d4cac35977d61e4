namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// A Redis hash: fields in insertion order (what a listpack replies) with O(1) lookup and access by
/// position (random picks). Encoding follows Redis 7.0's defaults (hash-max-listpack-entries 512,
/// hash-max-listpack-value 64): "listpack" up to 512 fields whose names and values are at most 64
/// bytes, "hashtable" from then on (never back).
/// </summary>
public sealed class RedisHash : IScannableCollection
{
    public const int ListpackMaxEntries = 512;
    public const int ListpackMaxValue = 64;

    private readonly OrderedDictionary<byte[], byte[]> _fields;
    private bool _hashtable;

    public RedisHash() => _fields = new(ByteArrayComparer.Instance);

    private RedisHash(RedisHash source)
    {
        _fields = new(source._fields, ByteArrayComparer.Instance);
        _hashtable = source._hashtable;
    }

    public string TypeName => "hash";
    public string Encoding => _hashtable ? "hashtable" : "listpack";
    public bool IsCompact => !_hashtable;
    public bool IsEmpty => _fields.Count == 0;
    public int Count => _fields.Count;

    /// <summary>Names and values are immutable byte arrays, so copies share them.</summary>
    public IRedisValue Clone() => new RedisHash(this);

    public byte[]? Get(byte[] field) => _fields.TryGetValue(field, out var value) ? value : null;

    public bool Contains(byte[] field) => _fields.ContainsKey(field);

    /// <summary>The field at a position, 0 ≤ index &lt; Count.</summary>
    public KeyValuePair<byte[], byte[]> At(int index) => _fields.GetAt(index);

    public byte[] MemberAt(int index) => _fields.GetAt(index).Key;

    public IEnumerable<KeyValuePair<byte[], byte[]>> Fields => _fields;

    /// <summary>Sets a field's value; true when the field is new.</summary>
    public bool Set(byte[] field, byte[] value)
    {
        if (field.Length > ListpackMaxValue || value.Length > ListpackMaxValue) _hashtable = true;
        if (!_fields.TryAdd(field, value, out int index))
        {
            _fields.SetAt(index, value);
            return false;
        }
        if (_fields.Count > ListpackMaxEntries) _hashtable = true;
        return true;
    }

    public bool Remove(byte[] field)
    {
        int index = _fields.IndexOf(field);
        if (index < 0) return false;
        _fields.RemoveAt(index, keepOrder: !_hashtable);
        return true;
    }
}

/// <summary>What HSCAN and SSCAN walk: members (hash fields) by position.</summary>
public interface IScannableCollection : IRedisValue
{
    int Count { get; }
    /// <summary>A listpack or intset: Redis replies it whole, in order, in one SCAN call.</summary>
    bool IsCompact { get; }
    byte[] MemberAt(int index);
}

internal static class OrderedDictionaryRemoval
{
    /// <summary>
    /// Removes the entry at <paramref name="index"/>: keeping the others in order (listpack, intset),
    /// or in O(1) by moving the last entry into its place when the order does not matter (hashtable).
    /// </summary>
    public static void RemoveAt<TValue>(this OrderedDictionary<byte[], TValue> entries, int index, bool keepOrder)
    {
        int last = entries.Count - 1;
        if (keepOrder || index == last)
        {
            entries.RemoveAt(index);
            return;
        }
        var moved = entries.GetAt(last);
        entries.RemoveAt(last);
        entries.SetAt(index, moved.Key, moved.Value);
    }
}
