using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.DataTypes;

/// <summary>LCS over TCP: Redis's documented example, its errors, and random strings answered as redis-server answers them.</summary>
[Collection(ClusterCollection.Name)]
public class LcsCommandTests(ClusterFixture fixture)
{
    private readonly RawRespClient _c = new(fixture.Port);
    private static string Tag() => "{lcs:" + Guid.NewGuid().ToString("N")[..8] + "}";

    [Fact]
    public void Documented_example_and_errors()
    {
        string t = Tag(), k1 = t + "1", k2 = t + "2";
        _c.Call("MSET", k1, "ohmytext", k2, "mynewtext");
        Assert.Equal("$6\r\nmytext\r\n", _c.Call("LCS", k1, k2));
        Assert.Equal(":6\r\n", _c.Call("LCS", k1, k2, "LEN"));
        Assert.Equal("*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n",
            _c.Call("LCS", k1, k2, "IDX"));
        Assert.Equal("*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n",
            _c.Call("LCS", k1, k2, "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"));
        Assert.Equal("$0\r\n\r\n", _c.Call("LCS", k1, t + "missing"));
        Assert.Equal("-ERR If you want both the length and indexes, please just use IDX.\r\n", _c.Call("LCS", k1, k2, "LEN", "IDX"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LCS", k1, k2, "MINMATCHLEN"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LCS", k1, k2, "MINMATCHLEN", "x"));
        _c.Call("RPUSH", t + "list", "a");
        Assert.Equal("-ERR The specified keys must contain string values\r\n", _c.Call("LCS", k1, t + "list"));
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", _c.Call("LCS", k1, "other" + Guid.NewGuid()));
    }

    [Fact]
    public void Random_strings_agree_with_redis_server()
    {
        using var redis = new RedisServerProcess();
        using var reference = redis.Connect();
        var random = new Random(20261208);
        string Word() => new([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => "abcab"[random.Next(5)])]);
        for (int i = 0; i < 300; i++)
        {
            string t = Tag();
            object[] set = ["MSET", t + "a", Word(), t + "b", Word()];
            Assert.Equal(reference.Call(set), _c.Call(set));
            var options = new List<object> { "LCS", t + "a", t + "b" };
            switch (random.Next(4))
            {
                case 0: options.Add("LEN"); break;
                case 1: options.Add("IDX"); break;
                case 2: options.AddRange(["IDX", "MINMATCHLEN", random.Next(0, 5).ToString(), "WITHMATCHLEN"]); break;
            }
            var call = options.ToArray();
            string expected = reference.Call(call), ours = _c.Call(call);
            Assert.True(expected == ours, $"{string.Join(' ', set)} / {string.Join(' ', call)}: redis {expected} ours {ours}");
        }
    }
}
