using OrleansLua.Fuzz;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Abuse;

/// <summary>
/// The fast subset of bench/fuzz: the same generator and runner (compiled in from bench/fuzz), fixed
/// seeds, 40,000 frames over both gateways.
/// </summary>
[Collection(ClusterCollection.Name)]
public class FuzzFrameTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Random_and_mutated_frames_corrupt_nothing_stored_and_leave_other_connections_answering()
    {
        string tag = TestValues.Tag();
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        using (var setup = new RawRespClient(fixture.Ports[1]))
        {
            Assert.Equal("+OK\r\n", setup.Call("SET", $"{tag}:string", binary));
            Assert.Equal(":2\r\n", setup.Call("HSET", $"{tag}:hash", "f1", "v1", "f2", "v2"));
            Assert.Equal(":3\r\n", setup.Call("RPUSH", $"{tag}:list", "a", "b", "c"));
        }

        var summaries = await Task.WhenAll(fixture.Ports.Select((port, i) => new FuzzRun(new FuzzOptions
        {
            Port = port,
            Frames = 20_000,
            Seed = 9001 + i,
            Connections = 6,
            CheckEvery = 4_000,
            CanaryKey = $"{tag}:bystander{i}",
            WholeServerCommands = false, // keeps it to a few seconds; bench/fuzz.sh sends them
        }).RunAsync()));

        foreach (var s in summaries)
        {
            Assert.True(s.BystanderFailures == 0, s.FirstBystanderFailure);
            Assert.Equal(20_000, s.Frames);
            Assert.True(s.BystanderChecks >= 5, $"{s.BystanderChecks} bystander checks");
            Assert.True(s.ClosedByServer > 100, $"only {s.ClosedByServer} connections ended in a protocol error");
        }
        using var after = new RawRespClient(fixture.Ports[0]);
        Assert.Equal("+PONG\r\n", after.Call("PING"));
        Assert.Equal([.. "$256\r\n"u8, .. binary, .. "\r\n"u8], after.CallBytes("GET", $"{tag}:string"));
        Assert.Equal("*2\r\n$2\r\nv1\r\n$2\r\nv2\r\n", after.Call("HMGET", $"{tag}:hash", "f1", "f2"));
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", after.Call("LRANGE", $"{tag}:list", "0", "-1"));
        Assert.Equal("+OK\r\n", after.Call("SET", $"{tag}:after", "x"));
        Assert.Equal("$1\r\nx\r\n", after.Call("GET", $"{tag}:after"));
    }
}
