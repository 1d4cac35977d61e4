using System.Buffers;
using OrleansLua.Protocol;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Abuse;

/// <summary>
/// Arguments at and past Redis's size limits. Error texts and the closing of the connection are
/// redis-server 7.0.15's (checked side by side); where our limit differs, README's "Limits" says so.
/// </summary>
[Collection(ClusterCollection.Name)]
public class HugeArgumentTests(ClusterFixture fixture)
{
    [Fact]
    public void A_64_MB_value_round_trips_byte_exact_through_both_gateways()
    {
        // one of the two gateways is on the other silo than the key's slot: the value also crosses Orleans messaging
        var value = new byte[64 * 1024 * 1024];
        new Random(64).NextBytes(value);
        string key = "abuse:huge:" + Guid.NewGuid().ToString("N");
        using var first = new RawRespClient(fixture.Ports[0]);
        using var second = new RawRespClient(fixture.Ports[1]);
        Assert.Equal("+OK\r\n", first.Call("SET", key, value));
        byte[] expected = [.. "$67108864\r\n"u8, .. value, .. "\r\n"u8];
        Assert.True(expected.AsSpan().SequenceEqual(second.CallBytes("GET", key)), "GET through the second gateway");
        Assert.True(expected.AsSpan().SequenceEqual(first.CallBytes("GET", key)), "GET through the first gateway");
        Assert.Equal(":67108864\r\n", second.Call("STRLEN", key));
        Assert.Equal(":1\r\n", first.Call("DEL", key));
    }

    [Theory]
    [InlineData("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870913\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    [InlineData("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$-2\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    // Redis 7.0.15 answers this only above INT_MAX; we refuse counts above 1024 * 1024 (README, Limits)
    [InlineData("*1073741825\r\n", "-ERR Protocol error: invalid multibulk length\r\n")]
    [InlineData("*2147483648\r\n", "-ERR Protocol error: invalid multibulk length\r\n")]
    [InlineData("*1\r\n$99999999999999999999\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    public void Oversized_lengths_get_the_redis_error_and_only_that_connection_closes(string request, string error)
    {
        using var other = new RawRespClient(fixture.Port);
        Assert.Equal("+PONG\r\n", other.Call("PING"));
        using var c = new RawRespClient(fixture.Port);
        c.SendRaw(request);
        Assert.Equal(error, c.ReadReply());
        Assert.True(c.IsClosedByServer());
        Assert.Equal("+PONG\r\n", other.Call("PING"));
    }

    [Fact]
    public void Setrange_at_an_offset_near_long_max_is_refused_not_overflowed()
    {
        using var c = new RawRespClient(fixture.Port);
        string key = "abuse:setrange:" + Guid.NewGuid().ToString("N");
        Assert.Equal("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
            c.Call("SETRANGE", key, "9223372036854775807", "x"));
        Assert.Equal(":0\r\n", c.Call("EXISTS", key));
    }

    [Fact]
    public void A_writer_lets_go_of_a_buffer_grown_for_one_big_reply()
    {
        // a shard grain's writer lives as long as its slot: one 64 MB GET must not pin 64 MB for good
        var writer = new RespWriter(RespProtocol.Resp2, 1024);
        writer.WriteBulk(new byte[4 * 1024 * 1024]);
        writer.Reset();
        Assert.True(((IBufferWriter<byte>)writer).GetSpan(1).Length <= 64 * 1024);
        writer.WriteBulk(new byte[20 * 1024]);
        writer.Reset();
        Assert.True(((IBufferWriter<byte>)writer).GetSpan(1).Length >= 20 * 1024, "small growth is kept");
    }
}
