using OrleansLua.Protocol;

namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// One node of a stream as Redis lays it out: a listpack of at most stream-node-max-entries (100)
/// entries and stream-node-max-bytes (4096) bytes, keyed in a radix tree by its master (first) ID.
/// Where nodes split decides what approximate trimming (~) removes and what XINFO STREAM reports, so
/// the listpack's byte size is modelled exactly. Deleted entries keep counting against the node's
/// limit until the whole node goes, as in Redis.
/// </summary>
internal sealed class StreamNode
{
    private const int MaxEntries = 100;
    private const long MaxBytes = 4096;

    private readonly byte[][] _masterFields;
    private long _bytes;

    public StreamId MasterId { get; }
    /// <summary>The newest ID ever added, deleted or not: the node's edge for MINID trimming.</summary>
    public StreamId LastAddedId { get; private set; }
    /// <summary>Live entries, ascending. Empty only after an exact MINID trim (Redis keeps such a node).</summary>
    public List<StreamEntry> Entries { get; }
    /// <summary>Entries marked deleted but still taking room in the listpack.</summary>
    public int Deleted { get; set; }

    public StreamNode(StreamEntry first)
    {
        MasterId = first.Id;
        _masterFields = Fields(first.FieldsAndValues);
        _bytes = ListpackSize.Empty + ListpackSize.Of(1) + ListpackSize.Of(0) + ListpackSize.Of(_masterFields.Length)
            + _masterFields.Sum(f => (long)ListpackSize.Of(f)) + ListpackSize.Of(0);
        Entries = [];
        Add(first);
    }

    /// <summary>
    /// Rebuilds a node as saved (ValueCodec): its listpack's modelled size and deleted count cannot
    /// be derived from the live entries, so they are restored as they were.
    /// </summary>
    internal StreamNode(StreamId masterId, byte[][] masterFields, long bytes, StreamId lastAddedId, List<StreamEntry> entries, int deleted)
    {
        MasterId = masterId;
        _masterFields = masterFields;
        _bytes = bytes;
        LastAddedId = lastAddedId;
        Entries = entries;
        Deleted = deleted;
    }

    /// <summary>The master entry's field names (ValueCodec).</summary>
    internal byte[][] MasterFields => _masterFields;

    /// <summary>The modelled listpack size in bytes (ValueCodec).</summary>
    internal long Bytes => _bytes;

    private StreamNode(StreamNode other)
    {
        _masterFields = other._masterFields;
        _bytes = other._bytes;
        MasterId = other.MasterId;
        LastAddedId = other.LastAddedId;
        Entries = [.. other.Entries];
        Deleted = other.Deleted;
    }

    public StreamNode Clone() => new(this);

    /// <summary>Redis starts a new node when this one's entries (deleted included) or bytes would reach the limit.</summary>
    public bool CanTake(byte[][] fieldsAndValues) =>
        Entries.Count + Deleted < MaxEntries && _bytes + fieldsAndValues.Sum(b => (long)b.Length) < MaxBytes;

    public void Add(StreamEntry entry)
    {
        var pairs = entry.FieldsAndValues;
        bool sameFields = SameFieldsAsMaster(pairs);
        long bytes = ListpackSize.Of(sameFields ? 2 : 0)
            + ListpackSize.Of(unchecked((long)(entry.Id.Ms - MasterId.Ms)))
            + ListpackSize.Of(unchecked((long)(entry.Id.Seq - MasterId.Seq)));
        if (!sameFields) bytes += ListpackSize.Of(pairs.Length / 2);
        for (int i = 0; i < pairs.Length; i++)
            if (!sameFields || i % 2 == 1) bytes += ListpackSize.Of(pairs[i]);
        bytes += ListpackSize.Of(3 + pairs.Length / 2 + (sameFields ? 0 : pairs.Length / 2 + 1));
        _bytes += bytes;
        Entries.Add(entry);
        LastAddedId = entry.Id;
    }

    /// <summary>Index of the first live entry with an ID at least <paramref name="id"/> (Count if none).</summary>
    public int LowerBound(StreamId id)
    {
        int lo = 0, hi = Entries.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Entries[mid].Id < id) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private bool SameFieldsAsMaster(byte[][] pairs)
    {
        if (pairs.Length / 2 != _masterFields.Length) return false;
        for (int i = 0; i < _masterFields.Length; i++)
            if (!pairs[2 * i].AsSpan().SequenceEqual(_masterFields[i])) return false;
        return true;
    }

    private static byte[][] Fields(byte[][] pairs)
    {
        var fields = new byte[pairs.Length / 2][];
        for (int i = 0; i < fields.Length; i++) fields[i] = pairs[2 * i];
        return fields;
    }
}

/// <summary>Bytes a value takes in a Redis listpack (encoding header, data and back-length).</summary>
internal static class ListpackSize
{
    /// <summary>Header (total bytes, element count) and end marker.</summary>
    public const int Empty = 7;

    public static int Of(long value)
    {
        int encoded = value switch
        {
            >= 0 and <= 127 => 1,
            >= -4096 and <= 4095 => 2,
            >= short.MinValue and <= short.MaxValue => 3,
            >= -8388608 and <= 8388607 => 4,
            >= int.MinValue and <= int.MaxValue => 5,
            _ => 9,
        };
        return encoded + BackLength(encoded);
    }

    /// <summary>Strings that read as a 64-bit integer are stored as one.</summary>
    public static int Of(byte[] value)
    {
        if (RespNumbers.TryParseInt64(value, out long number)) return Of(number);
        int encoded = value.Length switch
        {
            < 64 => 1,
            < 4096 => 2,
            _ => 5,
        } + value.Length;
        return encoded + BackLength(encoded);
    }

    private static int BackLength(int length) => length switch
    {
        <= 127 => 1,
        < 16383 => 2,
        < 2097151 => 3,
        < 268435455 => 4,
        _ => 5,
    };
}
