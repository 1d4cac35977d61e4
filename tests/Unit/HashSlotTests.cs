using System.Text;
using OrleansLua.GrainInterfaces;
using Xunit;

namespace OrleansLua.Tests.Unit;

public class HashSlotTests
{
    // Expected values read from a real Redis in cluster mode (CLUSTER KEYSLOT).
    [Theory]
    [InlineData("foo", 12182)]
    [InlineData("bar", 5061)]
    [InlineData("hello", 866)]
    [InlineData("123456789", 12739)]
    [InlineData("counter", 6680)]
    [InlineData("{user1000}.following", 3443)]
    [InlineData("{user1000}.followers", 3443)]
    [InlineData("foo{}{bar}", 8363)]
    [InlineData("foo{{bar}}zap", 4015)]
    [InlineData("foo{bar}{zap}", 5061)]
    public void Slot_matches_redis_cluster(string key, int expected) =>
        Assert.Equal(expected, HashSlot.Of(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void Crc16_xmodem_check_value() => Assert.Equal(0x31C3, HashSlot.Crc16("123456789"u8));

    [Fact]
    public void Empty_key_and_unclosed_tag_hash_the_whole_key()
    {
        Assert.Equal(0, HashSlot.Of([]));
        Assert.Equal(HashSlot.Crc16("{abc"u8) & 16383, HashSlot.Of("{abc"u8));
    }
}
