namespace OrleansLua.Grains.Keyspace;

/// <summary>The two ends of a list: Redis's LEFT (head) and RIGHT (tail).</summary>
public enum ListEnd { Left, Right }

/// <summary>
/// A Redis list: a growable ring buffer of binary-safe elements, so pushes and pops at both ends
/// and access by index are O(1).
/// </summary>
public sealed class RedisList : IRedisValue
{
    // Redis 7.2 keeps a list as one listpack up to list-max-listpack-size -2 (8 KB) and turns a
    // quicklist back into a listpack only below half of that, so the encoding does not flap.
    private const long ListpackMaxBytes = 8 * 1024;
    // Rough listpack per-entry overhead (encoding header and back-length).
    private const int EntryOverhead = 2;
    private const int MinCapacity = 4;

    private byte[][] _items;
    private int _head;
    private long _bytes;
    private bool _quicklist;

    public RedisList() => _items = new byte[MinCapacity][];

    private RedisList(RedisList source)
    {
        _items = new byte[Math.Max(MinCapacity, source.Count)][];
        for (int i = 0; i < source.Count; i++) _items[i] = source[i];
        Count = source.Count;
        _bytes = source._bytes;
        _quicklist = source._quicklist;
    }

    /// <summary>
    /// Rebuilds a list from its elements in order (ValueCodec), taking ownership of
    /// <paramref name="items"/> (the first <paramref name="count"/> slots). The saved encoding is
    /// kept, then checked against the size thresholds as after any change.
    /// </summary>
    internal static RedisList FromElements(byte[][] items, int count, bool quicklist)
    {
        if (items.Length < MinCapacity) Array.Resize(ref items, MinCapacity);
        var list = new RedisList { _items = items, Count = count, _quicklist = quicklist };
        long bytes = 0;
        for (int i = 0; i < count; i++) bytes += Size(items[i]);
        list._bytes = bytes;
        list.UpdateEncoding();
        return list;
    }

    public int Count { get; private set; }

    public string TypeName => "list";
    public string Encoding => _quicklist ? "quicklist" : "listpack";
    public bool IsEmpty => Count == 0;

    /// <summary>Elements are immutable byte arrays, so sharing them between copies is safe.</summary>
    public IRedisValue Clone() => new RedisList(this);

    /// <summary>The element at a position from the head, 0 ≤ index &lt; Count.</summary>
    public byte[] this[int index]
    {
        get => _items[Slot(index)];
        set
        {
            int slot = Slot(index);
            _bytes += Size(value) - Size(_items[slot]);
            _items[slot] = value;
            UpdateEncoding();
        }
    }

    public void Push(ListEnd end, byte[] element)
    {
        EnsureCapacity(Count + 1);
        if (end == ListEnd.Left)
        {
            _head = _head == 0 ? _items.Length - 1 : _head - 1;
            _items[_head] = element;
        }
        else _items[Slot(Count)] = element;
        Count++;
        Added(element);
    }

    /// <summary>Removes and returns the element at one end; the list must not be empty.</summary>
    public byte[] Pop(ListEnd end)
    {
        int slot = end == ListEnd.Left ? _head : Slot(Count - 1);
        var element = _items[slot];
        _items[slot] = null!;
        if (end == ListEnd.Left) _head = Slot(1);
        Count--;
        Removed(element);
        return element;
    }

    /// <summary>Position of the first element equal to <paramref name="element"/> from the head, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> element)
    {
        for (int i = 0; i < Count; i++)
            if (_items[Slot(i)].AsSpan().SequenceEqual(element)) return i;
        return -1;
    }

    /// <summary>Inserts so that the element ends up at <paramref name="index"/>, moving the shorter side.</summary>
    public void Insert(int index, byte[] element)
    {
        EnsureCapacity(Count + 1);
        if (index < Count / 2)
        {
            _head = _head == 0 ? _items.Length - 1 : _head - 1;
            for (int i = 0; i < index; i++) _items[Slot(i)] = _items[Slot(i + 1)];
        }
        else
        {
            for (int i = Count; i > index; i--) _items[Slot(i)] = _items[Slot(i - 1)];
        }
        _items[Slot(index)] = element;
        Count++;
        Added(element);
    }

    /// <summary>
    /// Removes up to <paramref name="limit"/> elements equal to <paramref name="element"/>, the
    /// first ones met when walking from <paramref name="from"/> (LREM). Returns how many went.
    /// </summary>
    public int Remove(ReadOnlySpan<byte> element, long limit, ListEnd from)
    {
        int Position(int n) => from == ListEnd.Left ? n : Count - 1 - n;
        int kept = 0;
        for (int read = 0; read < Count; read++)
        {
            var item = _items[Slot(Position(read))];
            if (read - kept < limit && item.AsSpan().SequenceEqual(element))
            {
                _bytes -= Size(item);
                continue;
            }
            _items[Slot(Position(kept++))] = item;
        }
        int removed = Count - kept;
        // The compacted elements sit at the `from` end; the freed positions are at the other.
        for (int n = kept; n < Count; n++) _items[Slot(Position(n))] = null!;
        if (from == ListEnd.Right) _head = Slot(removed);
        Count = kept;
        Shrunk();
        return removed;
    }

    /// <summary>Keeps only <paramref name="count"/> elements from <paramref name="start"/> (LTRIM).</summary>
    public void Trim(int start, int count)
    {
        for (int i = 0; i < start; i++) Clear(i);
        for (int i = start + count; i < Count; i++) Clear(i);
        _head = Slot(start);
        Count = count;
        Shrunk();
    }

    private int Slot(int index)
    {
        int slot = _head + index;
        return slot >= _items.Length ? slot - _items.Length : slot;
    }

    private void Clear(int index)
    {
        int slot = Slot(index);
        _bytes -= Size(_items[slot]);
        _items[slot] = null!;
    }

    private static long Size(byte[] element) => element.Length + EntryOverhead;

    private void Added(byte[] element)
    {
        _bytes += Size(element);
        UpdateEncoding();
    }

    private void Removed(byte[] element)
    {
        _bytes -= Size(element);
        Shrunk();
    }

    private void Shrunk()
    {
        UpdateEncoding();
        // Give memory back once a list that grew large is mostly drained.
        if (_items.Length > MinCapacity && Count < _items.Length / 4) Resize(Math.Max(MinCapacity, _items.Length / 2));
    }

    private void UpdateEncoding()
    {
        if (!_quicklist && _bytes > ListpackMaxBytes) _quicklist = true;
        else if (_quicklist && _bytes <= ListpackMaxBytes / 2) _quicklist = false;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed > _items.Length) Resize(Math.Max(needed, _items.Length * 2));
    }

    private void Resize(int capacity)
    {
        var items = new byte[capacity][];
        for (int i = 0; i < Count; i++) items[i] = _items[Slot(i)];
        _items = items;
        _head = 0;
    }
}
