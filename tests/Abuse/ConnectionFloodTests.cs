using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Abuse;

[Collection(ClusterCollection.Name)]
public partial class ConnectionFloodTests(ClusterFixture fixture)
{
    [GeneratedRegex(@"connected_clients:(\d+)")]
    private static partial Regex ConnectedClients();

    private static int Connected(RawRespClient c) => int.Parse(ConnectedClients().Match(c.Call("INFO", "clients")).Groups[1].Value);

    [Fact]
    public async Task A_thousand_connections_at_once_leave_a_bystander_answering_and_are_all_forgotten()
    {
        using var bystander = new RawRespClient(fixture.Port);
        // other test classes leave unclosed clients to the finalizer: let those go first
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int before = await SettledAsync(bystander, _ => true, TimeSpan.FromSeconds(5));

        using var stop = new CancellationTokenSource();
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("+PONG\r\n", c.Call("PING"));
        var pinger = Task.Run(async () =>
        {
            var worst = TimeSpan.Zero;
            int pings = 0;
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                Assert.Equal("+PONG\r\n", c.Call("PING"));
                worst = clock.Elapsed > worst ? clock.Elapsed : worst;
                pings++;
                await Task.Delay(10);
            }
            return (worst, pings);
        });

        var clients = new Socket[1000];
        await Parallel.ForEachAsync(Enumerable.Range(0, clients.Length), new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (i, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, fixture.Port, ct);
            clients[i] = socket;
        });
        // every one of them is served
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (socket, ct) =>
        {
            await socket.SendAsync("PING\r\n"u8.ToArray(), ct);
            var reply = new byte[7];
            int n = 0;
            while (n < 7) n += await socket.ReceiveAsync(reply.AsMemory(n), ct) is > 0 and var got ? got : throw new IOException("closed");
            Assert.Equal("+PONG\r\n"u8.ToArray(), reply);
        });
        Assert.Equal(before + 1001, Connected(bystander)); // the flood and the pinger

        // half say goodbye, half vanish with a reset
        for (int i = 0; i < clients.Length; i++)
        {
            if (i % 2 == 1) clients[i].LingerState = new LingerOption(true, 0);
            clients[i].Dispose();
        }
        await stop.CancelAsync();
        var (worst, pings) = await pinger;
        c.Dispose();
        Assert.True(pings > 0);
        Assert.True(worst < TimeSpan.FromSeconds(3), $"a PING took {worst.TotalMilliseconds:0} ms during the flood");
        int after = await SettledAsync(bystander, n => n == before, TimeSpan.FromSeconds(15));
        Assert.True(after == before, $"connected_clients {after} after the flood, {before} before");
    }

    [Fact]
    public async Task Connections_that_subscribed_are_freed_when_they_close()
    {
        // A subscriber's push pump used to wait forever on a registration with the server's stopping
        // token, which kept every such connection (and its buffers) alive: ~8 KB per connection.
        await SubscribeAndCloseAsync(200); // JIT, pools, the hub's channels
        long before = LiveBytes();
        await SubscribeAndCloseAsync(2000);
        using var c = new RawRespClient(fixture.Port);
        await SettledAsync(c, n => n == 1, TimeSpan.FromSeconds(10)); // every closed connection has ended
        long grown = LiveBytes() - before;
        Assert.True(grown < 8 * 1024 * 1024, $"{grown / 1024} KiB still live after 2000 subscribed connections closed");
    }

    private async Task SubscribeAndCloseAsync(int connections)
    {
        for (int i = 0; i < connections; i++)
        {
            using var c = new RawRespClient(fixture.Ports[i % 2]);
            Assert.Equal($"*3\r\n$9\r\nsubscribe\r\n$11\r\nabuse:chan{i % 10}\r\n:1\r\n", c.Call("SUBSCRIBE", $"abuse:chan{i % 10}"));
        }
        await Task.Yield();
    }

    private static long LiveBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>connected_clients once it satisfies <paramref name="done"/> and holds for 300 ms, or the last value seen.</summary>
    private static async Task<int> SettledAsync(RawRespClient c, Func<int, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        int last = Connected(c), stableSince = 0;
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(100);
            int now = Connected(c);
            stableSince = now == last ? stableSince + 100 : 0;
            last = now;
            if (done(now) && stableSince >= 300) return now;
        }
        return last;
    }
}
