using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Scripting;

/// <summary>Scripts hammered from many connections at once; final states must be exact.</summary>
[Collection(ClusterCollection.Name)]
public class ScriptAtomicityTests(ClusterFixture fixture)
{
    private static Task Parallel(int connections, Action<int, RawRespClient> body, int[] ports) =>
        Task.WhenAll(Enumerable.Range(0, connections).Select(i => Task.Factory.StartNew(() =>
        {
            // Dedicated threads: blocking sockets on pool threads would starve the in-process silos.
            using var c = new RawRespClient(ports[i % ports.Length]);
            body(i, c);
        }, TaskCreationOptions.LongRunning)));

    [Fact]
    public async Task Read_compare_write_script_from_50_connections_ends_at_exactly_10000()
    {
        var k = "{" + Guid.NewGuid().ToString("N") + "}counter";
        // Not INCR: a read, a compare and a write that would lose updates if runs interleaved.
        const string script = """
            local v = tonumber(redis.call('GET', KEYS[1]) or '0')
            if v >= 0 then redis.call('SET', KEYS[1], v + 1) end
            return v + 1
            """;
        await Parallel(50, (_, c) =>
        {
            for (int n = 0; n < 200; n++) Assert.StartsWith(":", c.Call("EVAL", script, "1", k));
        }, fixture.Ports);
        using var check = new RawRespClient(fixture.Port);
        Assert.Equal("$5\r\n10000\r\n", check.Call("GET", k));
    }

    [Fact]
    public async Task Transfers_keep_the_sum_while_readers_watch()
    {
        var t = "{" + Guid.NewGuid().ToString("N") + "}";
        string a = t + "a", b = t + "b";
        using (var setup = new RawRespClient(fixture.Port))
        {
            setup.Call("SET", a, "1000");
            setup.Call("SET", b, "1000");
        }
        const string transfer = """
            local from = tonumber(redis.call('GET', KEYS[1]))
            local amount = tonumber(ARGV[1])
            if from < amount then return 0 end
            redis.call('DECRBY', KEYS[1], amount)
            if ARGV[2] == 'fail' then error('abort after debit') end
            redis.call('INCRBY', KEYS[2], amount)
            return 1
            """;
        const string sum = "return tonumber(redis.call('GET', KEYS[1])) + tonumber(redis.call('GET', KEYS[2]))";
        int badSums = 0, reads = 0;
        await Parallel(40, (i, c) =>
        {
            var rnd = new Random(i);
            for (int n = 0; n < 150; n++)
            {
                if (i % 4 == 0)
                {
                    var reply = c.Call("EVAL", sum, "2", a, b);
                    Interlocked.Increment(ref reads);
                    if (reply != ":2000\r\n") Interlocked.Increment(ref badSums);
                    var mget = c.Call("MGET", a, b).Split("\r\n");
                    if (long.Parse(mget[2]) + long.Parse(mget[4]) != 2000) Interlocked.Increment(ref badSums);
                }
                else
                {
                    bool forward = rnd.Next(2) == 0;
                    string mode = rnd.Next(5) == 0 ? "fail" : "ok";
                    var reply = c.Call("EVAL", transfer, "2", forward ? a : b, forward ? b : a, rnd.Next(1, 50).ToString(), mode);
                    if (mode == "fail" && reply != ":0\r\n") Assert.Contains("abort after debit", reply);
                    else if (mode == "ok") Assert.Matches(@"^:[01]\r\n$", reply);
                }
            }
        }, fixture.Ports);
        Assert.Equal(0, badSums);
        Assert.True(reads > 0);
        using var check = new RawRespClient(fixture.Port);
        var final = check.Call("MGET", a, b).Split("\r\n");
        Assert.Equal(2000, long.Parse(final[2]) + long.Parse(final[4]));
    }

    [Fact]
    public async Task Many_failing_scripts_in_parallel_leave_no_partial_writes_and_keep_engines_healthy()
    {
        var t = "{" + Guid.NewGuid().ToString("N") + "}";
        const string script = """
            redis.call('INCR', KEYS[1])
            if tonumber(ARGV[1]) % 2 == 0 then
              return redis.call('INCR', KEYS[2])
            end
            error('odd')
            """;
        await Parallel(20, (i, c) =>
        {
            for (int n = 0; n < 250; n++)
            {
                var reply = c.Call("EVAL", script, "2", t + "attempts", t + "committed", (i * 1000 + n).ToString());
                if (n % 2 == 0) Assert.StartsWith(":", reply);
                else Assert.StartsWith("-ERR user_script:5: odd script:", reply);
            }
        }, fixture.Ports);
        using var check = new RawRespClient(fixture.Port);
        // Every failed run rolled back its first INCR too: attempts == committed.
        Assert.Equal("$4\r\n2500\r\n", check.Call("GET", t + "committed"));
        Assert.Equal("$4\r\n2500\r\n", check.Call("GET", t + "attempts"));
    }
}
