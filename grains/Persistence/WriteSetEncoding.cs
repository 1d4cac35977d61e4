using System.Buffers.Binary;

namespace OrleansLua.Grains.Persistence;

/// <summary>
/// A write set's keys as one blob, for the embedded store's everysec log: per key its length and bytes,
/// its expiry (8 bytes), then its serialized value's length and bytes, or -1 for a deletion. Integers
/// little-endian. Storage never reads a blob it did not write itself, so there is no version byte: a
/// new layout gets a new schema version.
/// </summary>
public static class WriteSetEncoding
{
    public static byte[] Encode(IReadOnlyList<KeyWrite> writes)
    {
        int size = 0;
        foreach (var write in writes) size += 16 + write.Key.Length + (write.Value?.Length ?? 0);
        var blob = GC.AllocateUninitializedArray<byte>(size);
        var span = blob.AsSpan();
        foreach (var write in writes)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span, write.Key.Length);
            write.Key.CopyTo(span[4..]);
            span = span[(4 + write.Key.Length)..];
            BinaryPrimitives.WriteInt64LittleEndian(span, write.ExpireAt);
            BinaryPrimitives.WriteInt32LittleEndian(span[8..], write.Value?.Length ?? -1);
            write.Value?.CopyTo(span[12..]);
            span = span[(12 + (write.Value?.Length ?? 0))..];
        }
        return blob;
    }

    /// <summary>The keys of a blob in the order they were written.</summary>
    public static List<KeyWrite> Decode(ReadOnlySpan<byte> blob)
    {
        var writes = new List<KeyWrite>();
        while (!blob.IsEmpty)
        {
            int keyLength = BinaryPrimitives.ReadInt32LittleEndian(blob);
            var key = blob.Slice(4, keyLength).ToArray();
            blob = blob[(4 + keyLength)..];
            long expireAt = BinaryPrimitives.ReadInt64LittleEndian(blob);
            int valueLength = BinaryPrimitives.ReadInt32LittleEndian(blob[8..]);
            var value = valueLength < 0 ? null : blob.Slice(12, valueLength).ToArray();
            blob = blob[(12 + Math.Max(valueLength, 0))..];
            writes.Add(new KeyWrite(key, value, expireAt));
        }
        return writes;
    }
}
