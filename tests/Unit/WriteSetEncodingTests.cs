using OrleansLua.Grains.Persistence;
using Xunit;

namespace OrleansLua.Tests.Unit;

public sealed class WriteSetEncodingTests
{
    [Fact]
    public void Keys_values_deletions_and_expiries_round_trip_in_order()
    {
        KeyWrite[] writes =
        [
            new([0, 255, 13, 10], [.. Enumerable.Range(0, 300).Select(i => (byte)i)], -1),
            new("gone"u8.ToArray(), null, -1),
            new([], [], long.MaxValue),
            new("ttl"u8.ToArray(), "v"u8.ToArray(), 1_765_000_000_123),
        ];
        var blob = WriteSetEncoding.Encode([new WriteSet(16383, 1, writes[..2]), new WriteSet(7, 1, []), new WriteSet(0, 3, writes[2..])]);
        Assert.Equal(writes.Sum(w => 20 + w.Key.Length + (w.Value?.Length ?? 0)), blob.Length);
        var decoded = WriteSetEncoding.Decode(blob);
        Assert.Equal([16383, 16383, 0, 0], decoded.Select(d => d.Slot));
        for (int i = 0; i < writes.Length; i++)
        {
            Assert.Equal(writes[i].Key, decoded[i].Write.Key);
            Assert.Equal(writes[i].Value, decoded[i].Write.Value);
            Assert.Equal(writes[i].ExpireAt, decoded[i].Write.ExpireAt);
        }
        Assert.Empty(WriteSetEncoding.Decode(WriteSetEncoding.Encode([])));
    }
}
