namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// A Redis hash: fields in insertion order (what a listpack replies) with access by position
/// (random picks). Encoding follows Redis 7.0's defaults (hash-max-listpack-entries 512,
/// hash-max-listpack-value 64): "listpack" up to 512 fields whose names and values are at most 64
/// bytes, kept compactly as one flat array (field, value, field, value…) searched linearly;
/// "hashtable" from then on (never back), an ordered dictionary with O(1) lookup.
/// </summary>
public sealed class RedisHash : IScannableCollection
{
    public const int ListpackMaxEntries = 512;
    public const int ListpackMaxValue = 64;

    // Listpack: field, value, field, value… (first 2 * _count slots used); null once a hashtable.
    private byte[][]? _pairs;
    private int _count;
    // Hashtable: null while a listpack.
    private OrderedDictionary<byte[], byte[]>? _fields;

    public RedisHash() => _pairs = [];

    private RedisHash(RedisHash source)
    {
        if (source._fields is not null)
        {
            _fields = new(source._fields, ByteArrayComparer.Instance);
        }
        else
        {
            _pairs = source._pairs.AsSpan(0, source._count * 2).ToArray();
            _count = source._count;
        }
    }

    /// <summary>
    /// Rebuilds a listpack from its field, value, field, value… array (ValueCodec), taking ownership
    /// of <paramref name="pairs"/>; the caller has checked the listpack limits and that names are unique.
    /// </summary>
    internal static RedisHash FromListpack(byte[][] pairs, int count) => new() { _pairs = pairs, _count = count };

    /// <summary>An empty hash already in the hashtable encoding (ValueCodec fills it with <see cref="Set"/>).</summary>
    internal static RedisHash CreateHashtable(int capacity) =>
        new() { _pairs = null, _fields = new(Math.Max(capacity, 1), ByteArrayComparer.Instance) };

    public string TypeName => "hash";
    public string Encoding => _fields is not null ? "hashtable" : "listpack";
    public bool IsCompact => _fields is null;
    public bool IsEmpty => Count == 0;
    public int Count => _fields?.Count ?? _count;

    /// <summary>Names and values are immutable byte arrays, so copies share them.</summary>
    public IRedisValue Clone() => new RedisHash(this);

    public byte[]? Get(byte[] field)
    {
        if (_fields is not null) return _fields.TryGetValue(field, out var value) ? value : null;
        int index = IndexOf(field);
        return index < 0 ? null : _pairs![index * 2 + 1];
    }

    public bool Contains(byte[] field) => _fields?.ContainsKey(field) ?? IndexOf(field) >= 0;

    /// <summary>The field at a position, 0 ≤ index &lt; Count.</summary>
    public KeyValuePair<byte[], byte[]> At(int index)
    {
        if (_fields is not null) return _fields.GetAt(index);
        if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
        return new(_pairs![index * 2], _pairs[index * 2 + 1]);
    }

    public byte[] MemberAt(int index) => At(index).Key;

    public IEnumerable<KeyValuePair<byte[], byte[]>> Fields => _fields ?? CompactFields();

    private IEnumerable<KeyValuePair<byte[], byte[]>> CompactFields()
    {
        var pairs = _pairs!;
        int count = _count;
        for (int i = 0; i < count; i++) yield return new(pairs[i * 2], pairs[i * 2 + 1]);
    }

    /// <summary>Sets a field's value; true when the field is new.</summary>
    public bool Set(byte[] field, byte[] value)
    {
        if (_fields is null)
        {
            int index = IndexOf(field);
            if (field.Length > ListpackMaxValue || value.Length > ListpackMaxValue
                || (index < 0 && _count + 1 > ListpackMaxEntries))
            {
                ConvertToHashtable();
            }
            else if (index >= 0)
            {
                _pairs![index * 2 + 1] = value;
                return false;
            }
            else
            {
                if (_pairs!.Length < (_count + 1) * 2)
                {
                    int pairs = Math.Max(_count + 1, Math.Min(ListpackMaxEntries, _count + Math.Max(2, _count / 4)));
                    Array.Resize(ref _pairs, pairs * 2);
                }
                _pairs[_count * 2] = field;
                _pairs[_count * 2 + 1] = value;
                _count++;
                return true;
            }
        }
        if (!_fields!.TryAdd(field, value, out int position))
        {
            _fields.SetAt(position, value);
            return false;
        }
        return true;
    }

    public bool Remove(byte[] field)
    {
        if (_fields is not null)
        {
            int position = _fields.IndexOf(field);
            if (position < 0) return false;
            _fields.RemoveAt(position, keepOrder: false);
            return true;
        }
        int index = IndexOf(field);
        if (index < 0) return false;
        var pairs = _pairs!;
        Array.Copy(pairs, (index + 1) * 2, pairs, index * 2, (_count - index - 1) * 2);
        _count--;
        pairs[_count * 2] = null!;
        pairs[_count * 2 + 1] = null!;
        return true;
    }

    private int IndexOf(byte[] field)
    {
        var pairs = _pairs!;
        var span = field.AsSpan();
        for (int i = 0; i < _count; i++)
        {
            var candidate = pairs[i * 2];
            if (candidate.Length == span.Length && span.SequenceEqual(candidate)) return i;
        }
        return -1;
    }

    private void ConvertToHashtable()
    {
        var fields = new OrderedDictionary<byte[], byte[]>(Math.Max(_count, 1) + 1, ByteArrayComparer.Instance);
        for (int i = 0; i < _count; i++) fields.Add(_pairs![i * 2], _pairs[i * 2 + 1]);
        _fields = fields;
        _pairs = null;
        _count = 0;
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
