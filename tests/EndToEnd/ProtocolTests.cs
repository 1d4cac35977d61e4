using System.Text;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.EndToEnd;

[Collection(ClusterCollection.Name)]
public class ProtocolTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData("*x\r\n", "-ERR Protocol error: invalid multibulk length\r\n")]
    [InlineData("*1\r\n+PING\r\n", "-ERR Protocol error: expected '$', got '+'\r\n")]
    [InlineData("*1\r\n$-3\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    [InlineData("SET \"k v\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n")]
    public void Malformed_resp_gets_protocol_error_and_the_connection_closes(string frame, string expected)
    {
        using var bystander = new RawRespClient(fixture.Port);
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("+PONG\r\n", c.Call("PING"));
        c.SendRaw(frame);
        Assert.Equal(expected, c.ReadReply());
        Assert.True(c.IsClosedByServer());
        Assert.Equal("+PONG\r\n", bystander.Call("PING"));
    }

    [Fact]
    public void Commands_before_a_protocol_error_are_answered()
    {
        using var c = new RawRespClient(fixture.Port);
        c.SendRaw("PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n!oops\r\n");
        Assert.Equal("+PONG\r\n", c.ReadReply());
        Assert.Equal("+PONG\r\n", c.ReadReply());
        Assert.Equal("-ERR Protocol error: expected '$', got '!'\r\n", c.ReadReply());
        Assert.True(c.IsClosedByServer());
    }

    [Fact]
    public void Inline_commands_work()
    {
        using var c = new RawRespClient(fixture.Port);
        var k = "inline:" + Guid.NewGuid().ToString("N");
        c.SendRaw($"SET {k} \"hello world\"\r\nGET {k}\r\n\r\nPING\n");
        Assert.Equal("+OK\r\n", c.ReadReply());
        Assert.Equal("$11\r\nhello world\r\n", c.ReadReply());
        Assert.Equal("+PONG\r\n", c.ReadReply());
    }

    [Fact]
    public void Pipelined_commands_answer_in_order_across_slots()
    {
        using var c = new RawRespClient(fixture.Port);
        var prefix = "pipe:" + Guid.NewGuid().ToString("N") + ":";
        var request = new MemoryStream();
        for (int i = 0; i < 500; i++)
        {
            request.Write(RawRespClient.Encode("SET", prefix + (i % 37), i));
            request.Write(RawRespClient.Encode("GET", prefix + (i % 37)));
            request.Write(RawRespClient.Encode("INCR", prefix + "n" + (i % 5)));
            if (i % 50 == 0) request.Write(RawRespClient.Encode("PING"));
        }
        c.SendRaw(request.ToArray());
        var counters = new int[5];
        for (int i = 0; i < 500; i++)
        {
            Assert.Equal("+OK\r\n", c.ReadReply());
            Assert.Equal($"${i.ToString().Length}\r\n{i}\r\n", c.ReadReply());
            Assert.Equal($":{++counters[i % 5]}\r\n", c.ReadReply());
            if (i % 50 == 0) Assert.Equal("+PONG\r\n", c.ReadReply());
        }
    }

    [Fact]
    public void Large_values_round_trip()
    {
        using var c = new RawRespClient(fixture.Port);
        var k = "big:" + Guid.NewGuid().ToString("N");
        var value = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(value);
        Assert.Equal("+OK\r\n", c.Call("SET", k, value));
        var reply = c.CallBytes("GET", k);
        Assert.Equal(Encoding.ASCII.GetBytes($"${value.Length}\r\n"), reply[..(reply.Length - value.Length - 2)]);
        Assert.True(value.AsSpan().SequenceEqual(reply.AsSpan(reply.Length - value.Length - 2, value.Length)));
        Assert.Equal(":1\r\n", c.Call("DEL", k));
    }

    [Fact]
    public void Every_silo_serves_the_same_keyspace()
    {
        using var first = new RawRespClient(fixture.Ports[0]);
        using var second = new RawRespClient(fixture.Ports[1]);
        var k = "shared:" + Guid.NewGuid().ToString("N");
        Assert.Equal("+OK\r\n", first.Call("SET", k, "v1"));
        Assert.Equal("$2\r\nv1\r\n", second.Call("GET", k));
        Assert.Equal(":1\r\n", second.Call("DEL", k));
        Assert.Equal("$-1\r\n", first.Call("GET", k));
    }
}
