using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.EndToEnd;

[Collection(ClusterCollection.Name)]
public class KeyCommandTests(ClusterFixture fixture)
{
    private readonly RawRespClient _c = new(fixture.Port);
    private static string K(string name) => "key:" + Guid.NewGuid().ToString("N")[..8] + ":" + name;

    [Fact]
    public void Del_exists_touch_unlink_split_over_slots()
    {
        string a = K("a"), b = K("b"), c = K("c");
        _c.Call("SET", a, "1");
        _c.Call("SET", b, "2");
        Assert.Equal(":3\r\n", _c.Call("EXISTS", a, b, c, a));
        Assert.Equal(":2\r\n", _c.Call("TOUCH", a, b, c));
        Assert.Equal(":1\r\n", _c.Call("DEL", a, c));
        Assert.Equal(":1\r\n", _c.Call("UNLINK", b, c));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", a, b, c));
    }

    [Fact]
    public void Memory_usage_grows_with_the_value_and_checks_samples_as_redis_does()
    {
        string small = K("m1"), large = K("m2"), hash = K("m3");
        Assert.Equal("$-1\r\n", _c.Call("MEMORY", "USAGE", small));
        _c.Call("SET", small, "x");
        _c.Call("SET", large, new string('x', 100));
        long Usage(string key, params string[] options) => long.Parse(_c.Call(["MEMORY", "USAGE", key, .. options]).Trim(':', '\r', '\n'));
        Assert.True(Usage(small) > small.Length + 1, $"{Usage(small)} bytes for a 1-byte value");
        Assert.Equal(99, Usage(large) - Usage(small)); // same key length, 99 more value bytes
        Assert.Equal(Usage(small), Usage(small, "SAMPLES", "0"));
        _c.Call("HSET", hash, "a", "1", "b", "2");
        Assert.True(Usage(hash) > Usage(small));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("MEMORY", "USAGE", small, "SAMPLES"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("MEMORY", "USAGE", small, "SAMPLES", "-1"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("MEMORY", "USAGE", small, "FOO", "1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("MEMORY", "USAGE", small, "SAMPLES", "x"));
    }

    [Fact]
    public void Expire_family_with_conditions()
    {
        var k = K("e");
        Assert.Equal(":0\r\n", _c.Call("EXPIRE", k, "100"));
        _c.Call("SET", k, "v");
        Assert.Equal(":-1\r\n", _c.Call("TTL", k));
        Assert.Equal(":-1\r\n", _c.Call("EXPIRETIME", k));
        Assert.Equal(":0\r\n", _c.Call("EXPIRE", k, "100", "XX"));
        Assert.Equal(":0\r\n", _c.Call("EXPIRE", k, "100", "GT"));
        Assert.Equal(":1\r\n", _c.Call("EXPIRE", k, "100", "LT"));
        Assert.Equal(":0\r\n", _c.Call("EXPIRE", k, "200", "NX"));
        Assert.Equal(":1\r\n", _c.Call("EXPIRE", k, "200", "GT"));
        Assert.Equal(":200\r\n", _c.Call("TTL", k));
        Assert.Equal(":0\r\n", _c.Call("EXPIRE", k, "300", "LT"));
        Assert.Equal(":1\r\n", _c.Call("PEXPIRE", k, "50000"));
        Assert.Equal(":50\r\n", _c.Call("TTL", k));
        long at = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 500;
        Assert.Equal(":1\r\n", _c.Call("EXPIREAT", k, at));
        Assert.Equal($":{at}\r\n", _c.Call("EXPIRETIME", k));
        Assert.Equal(":1\r\n", _c.Call("PEXPIREAT", k, at * 1000 + 7));
        Assert.Equal($":{at * 1000 + 7}\r\n", _c.Call("PEXPIRETIME", k));
        Assert.Equal(":1\r\n", _c.Call("PERSIST", k));
        Assert.Equal(":0\r\n", _c.Call("PERSIST", k));
        Assert.Equal(":-1\r\n", _c.Call("PTTL", k));
        Assert.Equal(":-2\r\n", _c.Call("PTTL", K("none")));
        Assert.Equal(":-2\r\n", _c.Call("TTL", K("none")));
    }

    [Fact]
    public void Expire_errors()
    {
        var k = K("ee");
        _c.Call("SET", k, "v");
        Assert.Equal("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n", _c.Call("EXPIRE", k, "10", "NX", "XX"));
        Assert.Equal("-ERR GT and LT options at the same time are not compatible\r\n", _c.Call("EXPIRE", k, "10", "GT", "LT"));
        Assert.Equal("-ERR Unsupported option foo\r\n", _c.Call("EXPIRE", k, "10", "foo"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("EXPIRE", k, "ten"));
        Assert.Equal("-ERR invalid expire time in 'expire' command\r\n", _c.Call("EXPIRE", k, "9223372036854775807"));
        Assert.Equal("-ERR wrong number of arguments for 'expire' command\r\n", _c.Call("EXPIRE", k));
    }

    [Fact]
    public void Negative_expire_deletes_the_key()
    {
        var k = K("neg");
        _c.Call("SET", k, "v");
        Assert.Equal(":1\r\n", _c.Call("EXPIRE", k, "-1"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", k));
    }

    [Fact]
    public async Task Keys_expire_lazily_and_actively()
    {
        string lazy = K("lazy"), active = K("active");
        _c.Call("SET", lazy, "v", "PX", "100");
        _c.Call("SET", active, "v", "PX", "100");
        await Task.Delay(300);
        Assert.Equal("$-1\r\n", _c.Call("GET", lazy));
        // The active expiry cycle of the slot reclaims the other key without any access to it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && !_c.Call("KEYS", active).StartsWith("*0")) await Task.Delay(200);
        Assert.Equal("*0\r\n", _c.Call("KEYS", active));
    }

    [Fact]
    public void Rename_and_renamenx()
    {
        string t = "{" + Guid.NewGuid().ToString("N") + "}";
        string a = t + "a", b = t + "b", c = t + "c";
        Assert.Equal("-ERR no such key\r\n", _c.Call("RENAME", a, b));
        _c.Call("SET", a, "1", "EX", "100");
        Assert.Equal("+OK\r\n", _c.Call("RENAME", a, b));
        Assert.Equal("$1\r\n1\r\n", _c.Call("GET", b));
        Assert.Equal(":100\r\n", _c.Call("TTL", b));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", a));
        Assert.Equal("+OK\r\n", _c.Call("RENAME", b, b));
        _c.Call("SET", c, "3");
        Assert.Equal(":0\r\n", _c.Call("RENAMENX", b, c));
        Assert.Equal(":1\r\n", _c.Call("RENAMENX", b, a));
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", _c.Call("RENAME", "foo", "bar1"));
    }

    [Fact]
    public void Keys_scan_dbsize_randomkey_and_flushall_cover_all_slots()
    {
        Assert.Equal("+OK\r\n", _c.Call("FLUSHALL"));
        Assert.Equal(":0\r\n", _c.Call("DBSIZE"));
        Assert.Equal("$-1\r\n", _c.Call("RANDOMKEY"));
        var keys = Enumerable.Range(0, 300).Select(i => $"scan:{i}").ToHashSet();
        foreach (var k in keys) _c.Call("SET", k, "v");
        _c.Call("SET", "other:1", "v");
        Assert.Equal(":301\r\n", _c.Call("DBSIZE"));
        Assert.StartsWith("*1\r\n", _c.Call("KEYS", "other:*"));

        var found = new List<string>();
        string cursor = "0";
        int rounds = 0;
        do
        {
            var reply = ParseScan(_c.Call("SCAN", cursor, "MATCH", "scan:*", "COUNT", "50"));
            cursor = reply.Cursor;
            found.AddRange(reply.Keys);
            rounds++;
        } while (cursor != "0" && rounds < 1000);
        Assert.Equal(keys.Order(), found.Order());

        var typed = ParseScan(_c.Call("SCAN", "0", "TYPE", "hash", "COUNT", "1000"));
        Assert.Empty(typed.Keys);
        Assert.StartsWith("$", _c.Call("RANDOMKEY"));
        Assert.Equal("-ERR invalid cursor\r\n", _c.Call("SCAN", "abc"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("SCAN", "0", "COUNT", "0"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("FLUSHALL", "NOW"));
        Assert.Equal("+OK\r\n", _c.Call("FLUSHDB", "ASYNC"));
        Assert.Equal(":0\r\n", _c.Call("DBSIZE"));
        Assert.Equal("*0\r\n", _c.Call("KEYS", "*"));
    }

    private static (string Cursor, List<string> Keys) ParseScan(string raw)
    {
        var lines = raw.Split("\r\n");
        // *2, $n, cursor, *m, then $len/key pairs
        var keys = new List<string>();
        for (int i = 4; i + 1 < lines.Length; i += 2) keys.Add(lines[i + 1]);
        return (lines[2], keys);
    }
}
