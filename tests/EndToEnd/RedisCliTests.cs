using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.EndToEnd;

/// <summary>The real redis-cli binary: one-shot commands and piped input.</summary>
[Collection(ClusterCollection.Name)]
public class RedisCliTests(ClusterFixture fixture)
{
    [Fact]
    public void One_shot_commands()
    {
        var k = "cli:" + Guid.NewGuid().ToString("N");
        Assert.Equal("PONG\n", RedisCli.Exec(fixture.Port, "PING"));
        Assert.Equal("OK\n", RedisCli.Exec(fixture.Port, "SET", k, "hello world"));
        Assert.Equal("hello world\n", RedisCli.Exec(fixture.Port, "GET", k));
        Assert.Equal("1\n", RedisCli.Exec(fixture.Port, "INCR", k + ":n"));
        Assert.Equal("\n", RedisCli.Exec(fixture.Port, "GET", k + ":none"));
        Assert.Equal("12182\n", RedisCli.Exec(fixture.Port, "CLUSTER", "KEYSLOT", "foo"));
        // redis-cli (non-tty) prints an error reply followed by an empty line, as it does against redis-server.
        Assert.Equal("ERR wrong number of arguments for 'get' command\n\n", RedisCli.Exec(fixture.Port, "GET"));
        Assert.Equal("CROSSSLOT Keys in request don't hash to the same slot\n\n", RedisCli.Exec(fixture.Port, "MSET", "foo", "1", "bar1", "2"));
    }

    [Fact]
    public void Resp3_one_shot()
    {
        var k = "cli3:" + Guid.NewGuid().ToString("N");
        Assert.Equal("OK\n", RedisCli.Exec(fixture.Port, "-3", "SET", k, "v"));
        Assert.Equal("v\n", RedisCli.Exec(fixture.Port, "-3", "GET", k));
        Assert.Equal("(nil)\n", RedisCli.Run(fixture.Port, ["-3", "--no-raw", "GET", k + "x"]).Output);
    }

    [Fact]
    public void Piped_input()
    {
        var k = "clipipe:" + Guid.NewGuid().ToString("N");
        var input = string.Join("\n", Enumerable.Range(0, 100).Select(i => $"INCR {k}")) + $"\nGET {k}\n";
        var (output, exit) = RedisCli.Run(fixture.Port, [], input);
        Assert.Equal(0, exit);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(101, lines.Length);
        Assert.Equal("100", lines[^1]);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => i.ToString()), lines[..^1]);
    }

    [Fact]
    public void Pipe_mode_mass_insert()
    {
        var k = "climass:" + Guid.NewGuid().ToString("N") + ":";
        var input = string.Concat(Enumerable.Range(0, 1000).Select(i =>
            System.Text.Encoding.UTF8.GetString(RawRespClient.Encode("SET", k + i, i))));
        var (output, exit) = RedisCli.Run(fixture.Port, ["--pipe"], input);
        Assert.Equal(0, exit);
        Assert.Contains("errors: 0, replies: 1000", output);
        Assert.Equal("999\n", RedisCli.Exec(fixture.Port, "GET", k + "999"));
    }
}
