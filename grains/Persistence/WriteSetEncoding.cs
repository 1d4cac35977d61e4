using System.Buffers.Binary;

namespace OrleansLua.Grains.Persistence;

/// <summary>
/// Write sets as one blob, for the embedded store's everysec log: per key its slot, its length and bytes,
/// its expiry (8 bytes), then its serialized value's length and bytes, or -1 for a deletion. Integers
/// little-endian. Storage never reads a blob it did not write itself, so there is no version byte: a
/// new layout gets a new schema version.
/// </summary>
public static class WriteSetEncoding
{
    private const int Overhead = 20; // slot, key length, expiry, value length

    public static byte[] Encode(IEnumerable<WriteSet> sets)
    {
        int size = 0;
        foreach (var set in sets)
            foreach (var write in set.Writes) size += Overhead + write.Key.Length + (write.Value?.Length ?? 0);
        var blob = GC.AllocateUninitializedArray<byte>(size);
        var span = blob.AsSpan();
        foreach (var set in sets)
            foreach (var write in set.Writes)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span, set.Slot);
                BinaryPrimitives.WriteInt32LittleEndian(span[4..], write.Key.Length);
                write.Key.CopyTo(span[8..]);
                span = span[(8 + write.Key.Length)..];
                BinaryPrimitives.WriteInt64LittleEndian(span, write.ExpireAt);
                BinaryPrimitives.WriteInt32LittleEndian(span[8..], write.Value?.Length ?? -1);
                write.Value?.CopyTo(span[12..]);
                span = span[(12 + (write.Value?.Length ?? 0))..];
            }
        return blob;
    }

    /// <summary>The keys of a blob with their slots, in the order they were written.</summary>
    public static List<(int Slot, KeyWrite Write)> Decode(ReadOnlySpan<byte> blob)
    {
        var writes = new List<(int, KeyWrite)>();
        while (!blob.IsEmpty)
        {
            int slot = BinaryPrimitives.ReadInt32LittleEndian(blob);
            int keyLength = BinaryPrimitives.ReadInt32LittleEndian(blob[4..]);
            var key = blob.Slice(8, keyLength).ToArray();
            blob = blob[(8 + keyLength)..];
            long expireAt = BinaryPrimitives.ReadInt64LittleEndian(blob);
            int valueLength = BinaryPrimitives.ReadInt32LittleEndian(blob[8..]);
            var value = valueLength < 0 ? null : blob.Slice(12, valueLength).ToArray();
            blob = blob[(12 + Math.Max(valueLength, 0))..];
            writes.Add((slot, new KeyWrite(key, value, expireAt)));
        }
        return writes;
    }
}
