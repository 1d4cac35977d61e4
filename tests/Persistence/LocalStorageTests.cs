using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Persistence;

/// <summary>The embedded store through a real gateway: what a restarted silo finds.</summary>
public sealed class LocalStorageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orleanslua-local-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string[] Calls(int port, params string[][] commands)
    {
        using var client = new RawRespClient(port);
        return commands.Select(c => client.Call(c)).ToArray();
    }

    [Theory]
    [InlineData("always")]
    [InlineData("everysec")]
    public async Task Every_type_with_ttls_survives_a_restart(string appendFsync)
    {
        string[][] writes =
        [
            ["SET", "s", "hello"], ["SET", "ttl", "x", "EX", "1000"], ["SET", "gone", "x", "PX", "1"],
            ["HSET", "h", "f1", "v1", "f2", "v2"], ["RPUSH", "l", "a", "b", "c"], ["SADD", "set", "m1", "m2"],
            ["ZADD", "z", "1.5", "a", "-inf", "b"], ["XADD", "st", "1-1", "f", "v"], ["XGROUP", "CREATE", "st", "g", "0"],
            ["XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "st", ">"], ["INCRBY", "n", "41"], ["INCR", "n"],
            ["SET", "deleted", "x"], ["DEL", "deleted"],
        ];
        string[][] reads =
        [
            ["GET", "s"], ["TTL", "ttl"], ["EXISTS", "gone"], ["HGETALL", "h"], ["LRANGE", "l", "0", "-1"], ["SMEMBERS", "set"],
            ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["XPENDING", "st", "g"], ["GET", "n"], ["EXISTS", "deleted"], ["DBSIZE"],
        ];
        string[] before;
        await using (var first = await DurableCluster.StartAsync(DurableCluster.Local(_dir, appendFsync)))
        {
            Calls(first.Port, writes);
            await Task.Delay(5); // "gone" expires
            before = Calls(first.Port, reads);
        }
        await using var second = await DurableCluster.StartAsync(DurableCluster.Local(_dir, appendFsync));
        var after = Calls(second.Port, reads);
        Assert.Equal(before.Where((_, i) => i != 1), after.Where((_, i) => i != 1));
        Assert.Equal("$5\r\nhello\r\n", after[0]);
        Assert.InRange(long.Parse(after[1].Trim(':', '\r', '\n')), 990, 1000); // the TTL counts down across the restart
        Assert.Equal(":0\r\n", after[2]);
        Assert.Equal("*4\r\n$1\r\nb\r\n$4\r\n-inf\r\n$1\r\na\r\n$3\r\n1.5\r\n", after[6]);
        Assert.Equal("$2\r\n42\r\n", after[8]);
        Assert.Equal(":8\r\n", after[10]);
    }

    [Fact]
    public async Task A_failing_script_leaves_nothing_on_disk_and_a_passing_one_everything()
    {
        await using (var first = await DurableCluster.StartAsync(DurableCluster.Local(_dir)))
        {
            var replies = Calls(first.Port,
                ["EVAL", "redis.call('SET', KEYS[1], 'a'); redis.call('SET', KEYS[2], 'b'); return redis.call('INCR', KEYS[1])", "2", "{t}x", "{t}y"],
                ["EVAL", "redis.call('SET', KEYS[1], 'ok'); redis.call('SET', KEYS[2], 'ok'); error({err='STOP here'})", "2", "{t}p", "{t}q"],
                ["EVAL", "redis.call('SET', KEYS[1], 'ok'); return redis.call('INCR', KEYS[2])", "2", "{t}r", "{t}y"]);
            Assert.StartsWith("-ERR value is not an integer", replies[0]);
            Assert.StartsWith("-STOP here", replies[1]);
            Assert.Equal(":1\r\n", replies[2]);
        }
        await using var second = await DurableCluster.StartAsync(DurableCluster.Local(_dir));
        // Scripts that fail roll back: none of their writes may reach the disk.
        Assert.Equal(["$-1\r\n", "$1\r\n1\r\n", "$-1\r\n", "$-1\r\n", "$2\r\nok\r\n", ":2\r\n"],
            Calls(second.Port, ["GET", "{t}x"], ["GET", "{t}y"], ["GET", "{t}p"], ["GET", "{t}q"], ["GET", "{t}r"], ["DBSIZE"]));
    }

    [Fact]
    public async Task Loaded_scripts_and_config_survive_so_evalsha_works_after_a_restart()
    {
        string sha;
        await using (var first = await DurableCluster.StartAsync(DurableCluster.Local(_dir)))
        {
            var replies = Calls(first.Port, ["SCRIPT", "LOAD", "return 'loaded'"], ["EVAL", "return 'evaluated'", "0"],
                ["CONFIG", "SET", "busy-reply-threshold", "1234"]);
            sha = replies[0].Split("\r\n")[1];
            Assert.Equal("+OK\r\n", replies[2]);
        }
        await using var second = await DurableCluster.StartAsync(DurableCluster.Local(_dir));
        var evaluatedSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData("return 'evaluated'"u8));
        Assert.Equal(["$6\r\nloaded\r\n", "$9\r\nevaluated\r\n", "*2\r\n$20\r\nbusy-reply-threshold\r\n$4\r\n1234\r\n"],
            Calls(second.Port, ["EVALSHA", sha, "0"], ["EVALSHA", evaluatedSha, "0"], ["CONFIG", "GET", "busy-reply-threshold"]));
    }

    [Fact]
    public async Task Twenty_connections_of_script_increments_are_all_on_disk()
    {
        const int connections = 20, perConnection = 100, keys = 10;
        await using (var first = await DurableCluster.StartAsync(DurableCluster.Local(_dir)))
        {
            var tasks = Enumerable.Range(0, connections).Select(i => Task.Factory.StartNew(() =>
            {
                using var c = new RawRespClient(first.Port);
                for (int n = 0; n < perConnection; n++)
                {
                    Assert.StartsWith(":", c.Call("EVAL", "return redis.call('INCR', KEYS[1])", "1", "ctr:" + (n % keys)));
                    Assert.StartsWith(":", c.Call("SADD", "members:" + (n % keys), $"{i}:{n}"));
                }
            }, TaskCreationOptions.LongRunning));
            await Task.WhenAll(tasks);
        }
        await using var second = await DurableCluster.StartAsync(DurableCluster.Local(_dir));
        for (int k = 0; k < keys; k++)
        {
            string expected = (connections * perConnection / keys).ToString();
            Assert.Equal([$"${expected.Length}\r\n{expected}\r\n", $":{connections * perConnection / keys}\r\n"],
                Calls(second.Port, ["GET", "ctr:" + k], ["SCARD", "members:" + k]));
        }
    }
}
