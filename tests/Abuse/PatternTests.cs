using System.Diagnostics;
using System.Text;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Abuse;

/// <summary>
/// Glob patterns that were exponential before Redis's CVE-2022-36021 fix, from every side that
/// matches them: KEYS, SCAN/HSCAN/SSCAN/ZSCAN MATCH, PSUBSCRIBE, CONFIG GET and ACL key patterns.
/// Each answers at once, and the slot (and every fan-out command) keeps serving afterwards.
/// </summary>
[Collection(ClusterCollection.Name)]
public class PatternTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly string Nested = string.Concat(Enumerable.Repeat("a*", 20)) + "b";
    private static readonly string LongA = new('a', 64 * 1024);
    private static readonly string DeepNested = string.Concat(Enumerable.Repeat("*a", 200)) + "*b";

    private static TimeSpan Timed(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed;
    }

    /// <summary>Redis's "Regression for pattern matching long nested loops" (tests/unit/keyspace.tcl).</summary>
    [Fact]
    public void Redis_regression_for_long_nested_loops_answers_at_once_and_FLUSHALL_still_works()
    {
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("+OK\r\n", c.Call("SET", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "1"));
        Assert.Equal("*0\r\n", c.Call("KEYS", "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b")); // warm
        var elapsed = Timed(() => Assert.Equal("*0\r\n", c.Call("KEYS", "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b")));
        output.WriteLine($"[measured] KEYS a*a*…*b over every active slot: {elapsed.TotalMilliseconds:F1} ms");
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"KEYS took {elapsed}");
        Assert.Equal("+OK\r\n", c.Call("FLUSHALL"));
        Assert.Equal(":0\r\n", c.Call("DBSIZE"));
    }

    [Fact]
    public void Pathological_patterns_against_64_KB_names_answer_at_once_from_every_side()
    {
        using var c = new RawRespClient(fixture.Port);
        var tag = TestValues.Tag();
        var key = tag + LongA;
        Assert.Equal("+OK\r\n", c.Call("SET", key, "1"));
        Assert.Equal(":1\r\n", c.Call("HSET", tag + "h", LongA, "1"));
        Assert.Equal(":1\r\n", c.Call("SADD", tag + "s", LongA));
        Assert.Equal(":1\r\n", c.Call("ZADD", tag + "z", "1", LongA));
        var elapsed = Timed(() =>
        {
            foreach (var pattern in new[] { Nested, DeepNested, "*" + DeepNested })
            {
                Assert.Equal("*0\r\n", c.Call("KEYS", tag + pattern));
                Assert.EndsWith("*0\r\n", c.Call("SCAN", "0", "MATCH", tag + pattern, "COUNT", "100000"));
                Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", c.Call("HSCAN", tag + "h", "0", "MATCH", pattern));
                Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", c.Call("SSCAN", tag + "s", "0", "MATCH", pattern));
                Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", c.Call("ZSCAN", tag + "z", "0", "MATCH", pattern));
                Assert.Equal("*0\r\n", c.Call("CONFIG", "GET", pattern + LongA));
            }
        });
        output.WriteLine($"[measured] 18 pathological KEYS/SCAN/HSCAN/SSCAN/ZSCAN/CONFIG GET calls on 64 KB names: {elapsed.TotalMilliseconds:F0} ms");
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
        Assert.Equal(":1\r\n", c.Call("EXISTS", key));
        Assert.Equal(":4\r\n", c.Call("DEL", key, tag + "h", tag + "s", tag + "z"));
    }

    [Fact]
    public void A_pathological_PSUBSCRIBE_pattern_meets_a_64_KB_channel_and_publishing_stays_quick()
    {
        using var subscriber = new RawRespClient(fixture.Port);
        using var publisher = new RawRespClient(fixture.Ports[1]);
        var channel = "chan:" + LongA;
        var subscribed = subscriber.Call("PSUBSCRIBE", "chan:" + DeepNested);
        Assert.StartsWith("*3\r\n$10\r\npsubscribe\r\n", subscribed);
        var elapsed = Timed(() => Assert.Equal(":0\r\n", publisher.Call("PUBLISH", channel, "x")));
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"PUBLISH took {elapsed}");
        Assert.StartsWith("*3\r\n$12\r\npunsubscribe\r\n", subscriber.Call("PUNSUBSCRIBE"));
    }

    [Fact]
    public void A_pathological_ACL_key_pattern_checks_a_64_KB_key_at_once()
    {
        using var admin = new RawRespClient(fixture.Port);
        var user = "pattern-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal("+OK\r\n", admin.Call("ACL", "SETUSER", user, "on", ">pw", "+@all", "~" + DeepNested));
        try
        {
            using var c = new RawRespClient(fixture.Port);
            Assert.Equal("+OK\r\n", c.Call("AUTH", user, "pw"));
            var elapsed = Timed(() => Assert.Equal(
                "-NOPERM this user has no permissions to access one of the keys used as arguments\r\n", c.Call("GET", LongA)));
            Assert.True(elapsed < TimeSpan.FromSeconds(2), $"GET took {elapsed}");
        }
        finally
        {
            Assert.Equal(":1\r\n", admin.Call("ACL", "DELUSER", user));
        }
    }
}
