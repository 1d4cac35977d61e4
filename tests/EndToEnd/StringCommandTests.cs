using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.EndToEnd;

/// <summary>String commands over TCP, asserting the exact RESP bytes a Redis 7 server sends.</summary>
[Collection(ClusterCollection.Name)]
public class StringCommandTests(ClusterFixture fixture)
{
    private readonly RawRespClient _c = new(fixture.Port);
    private static string K(string name) => "str:" + Guid.NewGuid().ToString("N")[..8] + ":" + name;

    [Fact]
    public void Set_get_and_missing_key()
    {
        var k = K("a");
        Assert.Equal("$-1\r\n", _c.Call("GET", k));
        Assert.Equal("+OK\r\n", _c.Call("SET", k, "hello"));
        Assert.Equal("$5\r\nhello\r\n", _c.Call("GET", k));
    }

    [Fact]
    public void Binary_safe_values_and_keys()
    {
        var key = new byte[] { 0, 1, 13, 10, 255, (byte)'k' };
        var value = new byte[] { 0, 13, 10, 0, 200 };
        Assert.Equal("+OK\r\n", _c.Call("SET", key, value));
        Assert.Equal(value, _c.CallBytes("GET", key)[4..^2]);
        Assert.Equal(":1\r\n", _c.Call("EXISTS", key));
    }

    [Fact]
    public void Set_options()
    {
        var k = K("opts");
        Assert.Equal("$-1\r\n", _c.Call("SET", k, "1", "XX"));
        Assert.Equal("+OK\r\n", _c.Call("SET", k, "1", "NX"));
        Assert.Equal("$-1\r\n", _c.Call("SET", k, "2", "NX"));
        Assert.Equal("$1\r\n1\r\n", _c.Call("SET", k, "3", "XX", "GET"));
        Assert.Equal("+OK\r\n", _c.Call("SET", k, "4", "EX", "100"));
        Assert.Equal(":100\r\n", _c.Call("TTL", k));
        Assert.Equal("+OK\r\n", _c.Call("SET", k, "5", "KEEPTTL"));
        Assert.Equal(":100\r\n", _c.Call("TTL", k));
        Assert.Equal("+OK\r\n", _c.Call("SET", k, "6"));
        Assert.Equal(":-1\r\n", _c.Call("TTL", k));
        Assert.Equal("+OK\r\n", _c.Call("SET", k, "7", "PX", "50000"));
        Assert.InRange(long.Parse(_c.Call("PTTL", k)[1..^2]), 49000, 50000);
        long at = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1000;
        Assert.Equal("+OK\r\n", _c.Call("SET", k, "8", "EXAT", at));
        Assert.Equal($":{at}\r\n", _c.Call("EXPIRETIME", k));
        Assert.Equal("+OK\r\n", _c.Call("SET", k, "9", "PXAT", at * 1000 + 5));
        Assert.Equal($":{at * 1000 + 5}\r\n", _c.Call("PEXPIRETIME", k));
    }

    [Theory]
    [InlineData(new[] { "NX", "XX" }, "-ERR syntax error\r\n")]
    [InlineData(new[] { "EX", "10", "PX", "10" }, "-ERR syntax error\r\n")]
    [InlineData(new[] { "EX", "10", "KEEPTTL" }, "-ERR syntax error\r\n")]
    [InlineData(new[] { "EX" }, "-ERR syntax error\r\n")]
    [InlineData(new[] { "BOGUS" }, "-ERR syntax error\r\n")]
    [InlineData(new[] { "EX", "abc" }, "-ERR value is not an integer or out of range\r\n")]
    [InlineData(new[] { "EX", "0" }, "-ERR invalid expire time in 'set' command\r\n")]
    [InlineData(new[] { "PX", "-5" }, "-ERR invalid expire time in 'set' command\r\n")]
    [InlineData(new[] { "EX", "9223372036854775807" }, "-ERR invalid expire time in 'set' command\r\n")]
    public void Set_option_errors(string[] options, string expected)
    {
        var k = K("bad");
        Assert.Equal(expected, _c.Call(["SET", k, "v", .. options]));
        Assert.Equal("$-1\r\n", _c.Call("GET", k));
    }

    [Fact]
    public void Setnx_setex_psetex_getset_getdel()
    {
        var k = K("x");
        Assert.Equal(":1\r\n", _c.Call("SETNX", k, "a"));
        Assert.Equal(":0\r\n", _c.Call("SETNX", k, "b"));
        Assert.Equal("+OK\r\n", _c.Call("SETEX", k, "10", "c"));
        Assert.Equal(":10\r\n", _c.Call("TTL", k));
        Assert.Equal("-ERR invalid expire time in 'setex' command\r\n", _c.Call("SETEX", k, "0", "c"));
        Assert.Equal("+OK\r\n", _c.Call("PSETEX", k, "10000", "d"));
        Assert.Equal(":10\r\n", _c.Call("TTL", k));
        Assert.Equal("$1\r\nd\r\n", _c.Call("GETSET", k, "e"));
        Assert.Equal(":-1\r\n", _c.Call("TTL", k));
        Assert.Equal("$1\r\ne\r\n", _c.Call("GETDEL", k));
        Assert.Equal("$-1\r\n", _c.Call("GETDEL", k));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", k));
    }

    [Fact]
    public void Getex_sets_and_clears_ttl()
    {
        var k = K("gx");
        Assert.Equal("$-1\r\n", _c.Call("GETEX", k, "EX", "10"));
        _c.Call("SET", k, "v");
        Assert.Equal("$1\r\nv\r\n", _c.Call("GETEX", k, "EX", "100"));
        Assert.Equal(":100\r\n", _c.Call("TTL", k));
        Assert.Equal("$1\r\nv\r\n", _c.Call("GETEX", k, "PERSIST"));
        Assert.Equal(":-1\r\n", _c.Call("TTL", k));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("GETEX", k, "EX", "10", "PERSIST"));
        Assert.Equal("-ERR invalid expire time in 'getex' command\r\n", _c.Call("GETEX", k, "EX", "-1"));
    }

    [Fact]
    public void Incr_family_and_errors()
    {
        var k = K("n");
        Assert.Equal(":1\r\n", _c.Call("INCR", k));
        Assert.Equal(":11\r\n", _c.Call("INCRBY", k, "10"));
        Assert.Equal(":10\r\n", _c.Call("DECR", k));
        Assert.Equal(":-5\r\n", _c.Call("DECRBY", k, "15"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("INCRBY", k, "1.5"));
        _c.Call("SET", k, "9223372036854775807");
        Assert.Equal("-ERR increment or decrement would overflow\r\n", _c.Call("INCR", k));
        _c.Call("SET", k, " 1");
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("INCR", k));
        _c.Call("SET", k, "abc");
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("DECR", k));
        Assert.Equal("$3\r\nabc\r\n", _c.Call("GET", k));
    }

    [Fact]
    public void Incr_keeps_ttl()
    {
        var k = K("t");
        _c.Call("SET", k, "1", "EX", "100");
        Assert.Equal(":2\r\n", _c.Call("INCR", k));
        Assert.Equal(":100\r\n", _c.Call("TTL", k));
    }

    [Fact]
    public void Incrbyfloat_prints_like_redis()
    {
        var k = K("f");
        Assert.Equal("$3\r\n0.1\r\n", _c.Call("INCRBYFLOAT", k, "0.1"));
        Assert.Equal("$3\r\n0.3\r\n", _c.Call("INCRBYFLOAT", k, "0.2"));
        Assert.Equal("$4\r\n10.3\r\n", _c.Call("INCRBYFLOAT", k, "10"));
        Assert.Equal("$1\r\n3\r\n", _c.Call("INCRBYFLOAT", k, "-7.3"));
        Assert.Equal("$4\r\n5000\r\n", _c.Call("INCRBYFLOAT", k, "4.997e3"));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("INCRBYFLOAT", k, "abc"));
        Assert.Equal("-ERR increment would produce NaN or Infinity\r\n", _c.Call("INCRBYFLOAT", k, "inf"));
        Assert.Equal("$4\r\n5000\r\n", _c.Call("GET", k));
    }

    [Fact]
    public void Append_strlen_getrange_setrange()
    {
        var k = K("s");
        Assert.Equal(":5\r\n", _c.Call("APPEND", k, "Hello"));
        Assert.Equal(":11\r\n", _c.Call("APPEND", k, " World"));
        Assert.Equal(":11\r\n", _c.Call("STRLEN", k));
        Assert.Equal(":0\r\n", _c.Call("STRLEN", K("none")));
        Assert.Equal("$4\r\nHell\r\n", _c.Call("GETRANGE", k, "0", "3"));
        Assert.Equal("$3\r\nrld\r\n", _c.Call("GETRANGE", k, "-3", "-1"));
        Assert.Equal("$11\r\nHello World\r\n", _c.Call("GETRANGE", k, "0", "-1"));
        Assert.Equal("$0\r\n\r\n", _c.Call("GETRANGE", k, "5", "3"));
        Assert.Equal("$0\r\n\r\n", _c.Call("GETRANGE", K("none"), "0", "-1"));
        Assert.Equal(":11\r\n", _c.Call("SETRANGE", k, "6", "Redis"));
        Assert.Equal("$11\r\nHello Redis\r\n", _c.Call("GET", k));
        var z = K("z");
        Assert.Equal(":8\r\n", _c.Call("SETRANGE", z, "5", "abc"));
        Assert.Equal("$8\r\n\0\0\0\0\0abc\r\n", _c.Call("GET", z));
        Assert.Equal("-ERR offset is out of range\r\n", _c.Call("SETRANGE", z, "-1", "x"));
        Assert.Equal("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", _c.Call("SETRANGE", z, "536870911", "xx"));
        Assert.Equal(":0\r\n", _c.Call("SETRANGE", K("empty"), "5", ""));
    }

    [Fact]
    public void Mget_mset_msetnx_across_slots()
    {
        string a = K("a"), b = K("b"), c = K("c");
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", _c.Call("MSET", a, "1", b, "2"));
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", _c.Call("MSETNX", a, "1", b, "2"));
        _c.Call("SET", a, "1");
        _c.Call("SET", c, "3");
        Assert.Equal("*4\r\n$1\r\n1\r\n$-1\r\n$1\r\n3\r\n$1\r\n1\r\n", _c.Call("MGET", a, b, c, a));
        string t = "{" + Guid.NewGuid().ToString("N") + "}";
        Assert.Equal("+OK\r\n", _c.Call("MSET", t + "1", "x", t + "2", "y"));
        Assert.Equal(":0\r\n", _c.Call("MSETNX", t + "2", "z", t + "3", "w"));
        Assert.Equal(":1\r\n", _c.Call("MSETNX", t + "3", "z", t + "4", "w"));
        Assert.Equal("*4\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\nw\r\n", _c.Call("MGET", t + "1", t + "2", t + "3", t + "4"));
        Assert.Equal("-ERR wrong number of arguments for 'mset' command\r\n", _c.Call("MSET", t + "1", "x", t + "2"));
    }

    [Fact]
    public void Wrongtype_is_reported()
    {
        // Only strings exist so far; a key that holds a string is not a WRONGTYPE for string commands.
        var k = K("w");
        _c.Call("SET", k, "v");
        Assert.Equal("+string\r\n", _c.Call("TYPE", k));
        Assert.Equal("+none\r\n", _c.Call("TYPE", K("none")));
    }
}
