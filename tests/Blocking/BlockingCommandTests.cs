using System.Diagnostics;
using OrleansLua.Tests.Infrastructure;
using static OrleansLua.Tests.Infrastructure.TestValues;
using Xunit;

namespace OrleansLua.Tests.Blocking;

/// <summary>Blocking pops: timeouts, wake-ups from any write path, FIFO fairness, disconnects.</summary>
[Collection(ClusterCollection.Name)]
public class BlockingCommandTests(ClusterFixture fixture)
{

    /// <summary>
    /// Runs the blocking path once through every gateway (grain activation, observers, JIT), so the
    /// waiters a test starts a few hundred ms apart also register in that order.
    /// </summary>
    private void WarmUp(string key)
    {
        foreach (int port in fixture.Ports)
        {
            using var c = new RawRespClient(port);
            Assert.Equal("*-1\r\n", c.Call("BLPOP", key, "0.01"));
        }
    }

    /// <summary>Starts a blocking call on a dedicated thread and returns its reply later.</summary>
    private Task<string> Blocked(int port, params object[] command) => Task.Factory.StartNew(() =>
    {
        using var c = new RawRespClient(port);
        return c.Call(command);
    }, TaskCreationOptions.LongRunning);

    [Fact]
    public void Data_present_answers_at_once()
    {
        using var c = new RawRespClient(fixture.Port);
        var q = Tag() + "q";
        c.Call("RPUSH", q, "a", "b");
        Assert.Equal($"*2\r\n${q.Length}\r\n{q}\r\n$1\r\na\r\n", c.Call("BLPOP", q, "0"));
        Assert.Equal($"*2\r\n${q.Length}\r\n{q}\r\n$1\r\nb\r\n", c.Call("BRPOP", q, "0"));
        Assert.Equal(":0\r\n", c.Call("EXISTS", q));
    }

    [Theory]
    [InlineData("0.1", 80, 1500)]
    [InlineData("0.001", 0, 1000)]
    public void Timeouts_are_real_and_on_time(string timeout, int minMs, int maxMs)
    {
        using var c = new RawRespClient(fixture.Port);
        var watch = Stopwatch.StartNew();
        Assert.Equal("*-1\r\n", c.Call("BLPOP", Tag() + "empty", timeout));
        Assert.InRange(watch.ElapsedMilliseconds, minMs, maxMs);
        c.Call("HELLO", "3");
        Assert.Equal("_\r\n", c.Call("BZPOPMIN", Tag() + "empty", "0.01"));
        Assert.Equal("_\r\n", c.Call("BLPOP", Tag() + "empty", "0.01"));
    }

    [Fact]
    public async Task A_push_through_another_silo_wakes_the_waiter_without_stalling_the_slot()
    {
        var t = Tag();
        var waiting = Blocked(fixture.Ports[0], "BLPOP", t + "q", "10");
        await Task.Delay(200);
        using var other = new RawRespClient(fixture.Ports[1]);
        // The slot keeps serving while a client waits on one of its keys.
        Assert.Equal("+OK\r\n", other.Call("SET", t + "x", "1"));
        Assert.Equal("$1\r\n1\r\n", other.Call("GET", t + "x"));
        Assert.False(waiting.IsCompleted);
        Assert.Equal(":1\r\n", other.Call("LPUSH", t + "q", "job"));
        Assert.Equal($"*2\r\n${(t + "q").Length}\r\n{t}q\r\n$3\r\njob\r\n", await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(":0\r\n", other.Call("LLEN", t + "q"));
    }

    [Fact]
    public async Task Waiters_are_served_first_come_first_served()
    {
        var q = Tag() + "q";
        WarmUp(q);
        var waiters = new List<Task<string>>();
        for (int i = 0; i < 3; i++)
        {
            waiters.Add(Blocked(fixture.Ports[i % 2], "BLPOP", q, "10"));
            await Task.Delay(150);
        }
        using var c = new RawRespClient(fixture.Port);
        c.Call("RPUSH", q, "first", "second", "third");
        var replies = await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.EndsWith("first\r\n", replies[0]);
        Assert.EndsWith("second\r\n", replies[1]);
        Assert.EndsWith("third\r\n", replies[2]);
    }

    [Theory]
    [InlineData("EVAL")]
    [InlineData("MULTI")]
    public async Task Writes_in_scripts_and_transactions_wake_waiters(string how)
    {
        var t = Tag();
        var waiting = Blocked(fixture.Port, "BRPOP", t + "q", "10");
        await Task.Delay(200);
        using var c = new RawRespClient(fixture.Ports[1]);
        if (how == "EVAL") c.Call("EVAL", "redis.call('RPUSH', KEYS[1], 'from-script') return 1", "1", t + "q");
        else
        {
            c.Call("MULTI");
            c.Call("RPUSH", t + "q", "from-multi");
            c.Call("EXEC");
        }
        Assert.EndsWith(how == "EVAL" ? "from-script\r\n" : "from-multi\r\n", await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_rolled_back_script_does_not_feed_waiters()
    {
        var t = Tag();
        var waiting = Blocked(fixture.Port, "BLPOP", t + "q", "1");
        await Task.Delay(200);
        using var c = new RawRespClient(fixture.Port);
        Assert.StartsWith("-ERR user_script:1: no", c.Call("EVAL", "redis.call('RPUSH', KEYS[1], 'x') error('no')", "1", t + "q"));
        Assert.Equal("*-1\r\n", await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Blmove_feeds_a_waiter_of_its_destination()
    {
        var t = Tag();
        WarmUp(t + "b");
        var second = Blocked(fixture.Port, "BLPOP", t + "b", "10");
        await Task.Delay(150);
        var first = Blocked(fixture.Port, "BLMOVE", t + "a", t + "b", "LEFT", "RIGHT", "10");
        await Task.Delay(150);
        using var c = new RawRespClient(fixture.Ports[1]);
        c.Call("RPUSH", t + "a", "item");
        Assert.Equal("$4\r\nitem\r\n", await first.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.EndsWith("$4\r\nitem\r\n", await second.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task One_entry_wakes_readers_of_every_consumer_group()
    {
        var s = Tag() + "s";
        using var c = new RawRespClient(fixture.Port);
        c.Call("XGROUP", "CREATE", s, "g1", "$", "MKSTREAM");
        c.Call("XGROUP", "CREATE", s, "g2", "$");
        var first = Blocked(fixture.Port, "XREADGROUP", "GROUP", "g1", "c1", "BLOCK", "10000", "STREAMS", s, ">");
        await Task.Delay(150);
        var second = Blocked(fixture.Port, "XREADGROUP", "GROUP", "g1", "c2", "BLOCK", "10000", "STREAMS", s, ">");
        await Task.Delay(150);
        var other = Blocked(fixture.Ports[1], "XREADGROUP", "GROUP", "g2", "c3", "BLOCK", "10000", "STREAMS", s, ">");
        await Task.Delay(150);
        c.Call("XADD", s, "1-1", "f", "v");
        Assert.Contains("$3\r\n1-1\r\n", await first.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("$3\r\n1-1\r\n", await other.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(second.IsCompleted);
        c.Call("XADD", s, "1-2", "f", "v");
        Assert.Contains("$3\r\n1-2\r\n", await second.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_disconnected_waiter_is_cleaned_up()
    {
        var q = Tag() + "q";
        var gone = new RawRespClient(fixture.Port);
        gone.SendRaw(RawRespClient.Encode("BLPOP", q, "0"));
        await Task.Delay(200);
        gone.Dispose();
        await Task.Delay(300);
        using var c = new RawRespClient(fixture.Port);
        c.Call("RPUSH", q, "kept");
        await Task.Delay(200);
        Assert.Equal(":1\r\n", c.Call("LLEN", q));
    }

    [Fact]
    public void Errors_and_non_blocking_contexts()
    {
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("-ERR timeout is negative\r\n", c.Call("BLPOP", "k", "-1"));
        Assert.Equal("-ERR timeout is not a float or out of range\r\n", c.Call("BLPOP", "k", "soon"));
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", c.Call("BLPOP", "a", "b", "0"));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", c.Call("BLMPOP", "0", "0", "k", "LEFT"));
        var q = Tag() + "q";
        c.Call("MULTI");
        Assert.Equal("+QUEUED\r\n", c.Call("BLPOP", q, "0"));
        Assert.Equal("*1\r\n*-1\r\n", c.Call("EXEC"));
        c.Call("SET", q + "s", "string");
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", c.Call("BLPOP", q + "s", "0"));
        c.Call("RPUSH", q, "1", "2", "3");
        Assert.Equal($"*2\r\n${q.Length}\r\n{q}\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\n", c.Call("BLMPOP", "0", "1", q, "LEFT", "COUNT", "2"));
    }
}
