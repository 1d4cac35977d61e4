using OrleansLua.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit;

namespace OrleansLua.Tests.EndToEnd;

/// <summary>Many connections at once; the final state must be exact.</summary>
[Collection(ClusterCollection.Name)]
public class ConcurrencyTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Fifty_connections_incr_shared_and_spread_keys_to_exact_totals()
    {
        var prefix = "conc:" + Guid.NewGuid().ToString("N") + ":";
        const int connections = 50, perConnection = 200;
        // Dedicated threads: blocking sockets on pool threads would starve the in-process silos.
        var tasks = Enumerable.Range(0, connections).Select(i => Task.Factory.StartNew(() =>
        {
            // Alternate gateways: both silos serve the same slots.
            using var c = new RawRespClient(fixture.Ports[i % fixture.Ports.Length]);
            for (int n = 0; n < perConnection; n++)
            {
                Assert.StartsWith(":", c.Call("INCR", prefix + "shared"));
                Assert.StartsWith(":", c.Call("INCR", prefix + "spread:" + (n % 20)));
            }
        }, TaskCreationOptions.LongRunning));
        await Task.WhenAll(tasks);
        using var check = new RawRespClient(fixture.Port);
        Assert.Equal($"$5\r\n{connections * perConnection}\r\n", check.Call("GET", prefix + "shared"));
        for (int k = 0; k < 20; k++)
            Assert.Equal($"$3\r\n{connections * perConnection / 20}\r\n", check.Call("GET", prefix + "spread:" + k));
    }

    [Fact]
    public async Task Pipelined_incr_from_many_stackexchange_connections()
    {
        var prefix = "conc-se:" + Guid.NewGuid().ToString("N") + ":";
        var muxers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Port}")));
        try
        {
            // Each multiplexer pipelines its 1000 INCRs over one socket.
            await Task.WhenAll(muxers.Select(m =>
                Task.WhenAll(Enumerable.Range(0, 1000).Select(n => m.GetDatabase().StringIncrementAsync(prefix + (n % 7))))));
            var db = muxers[0].GetDatabase();
            long total = 0;
            for (int k = 0; k < 7; k++) total += (long)await db.StringGetAsync(prefix + k);
            Assert.Equal(10_000, total);
        }
        finally
        {
            foreach (var m in muxers) await m.DisposeAsync();
        }
    }
}
