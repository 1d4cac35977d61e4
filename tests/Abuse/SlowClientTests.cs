using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Abuse;

/// <summary>
/// Slowloris-style clients: requests that arrive a byte at a time. They must cost the server about
/// what their bytes cost, not a re-parse (or an 8 MB argument array for a bare "*1048576") per byte;
/// <see cref="RequestParserResumeTests"/> pins that down in the parser.
/// </summary>
[Collection(ClusterCollection.Name)]
public class SlowClientTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Byte_at_a_time_clients_do_not_delay_other_connections()
    {
        using var stop = new CancellationTokenSource();
        string tag = TestValues.Tag();
        // ordinary commands sent a byte every 10 ms: each one completes, exactly
        var slowSets = Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            SlowSetAsync(fixture.Ports[i % 2], $"{tag}:slow{i}", $"value-{i}", stop.Token))).ToArray();
        // a huge multibulk header, then its arguments a byte every 2 ms (some after 2 MB already sent):
        // these never complete, they only must not cost the server more than their bytes. Own threads:
        // on the thread pool, next to the in-process silos, they would send a fraction of that.
        var tricklers = Enumerable.Range(0, 8)
            .Select(i => new Thread(() => Trickle(fixture.Port, prefixArguments: i < 2 ? 300_000 : 0, stop.Token)) { IsBackground = true })
            .ToArray();
        foreach (var t in tricklers) t.Start();
        try
        {
            await Task.Delay(500);
            await BystanderKeepsPaceAsync(tag, slowSets);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var t in tricklers) t.Join();
        }
    }

    private async Task BystanderKeepsPaceAsync(string tag, Task<string>[] slowSets)
    {
        using var bystander = new RawRespClient(fixture.Port);
        var clock = Stopwatch.StartNew();
        int done = 0;
        while (done < 200 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            Assert.Equal("+OK\r\n", bystander.Call("SET", $"{tag}:bystander", done));
            Assert.Equal($"${done.ToString().Length}\r\n{done}\r\n", bystander.Call("GET", $"{tag}:bystander"));
            done++;
        }
        var elapsed = clock.Elapsed;
        Assert.Equal(200, done);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"200 SET/GET pairs took {elapsed.TotalSeconds:0.0} s next to the slow clients");

        Assert.All(await Task.WhenAll(slowSets).WaitAsync(TimeSpan.FromSeconds(20)), reply => Assert.Equal("+OK\r\n", reply));
        for (int i = 0; i < slowSets.Length; i++)
            Assert.Equal($"$7\r\nvalue-{i}\r\n", bystander.Call("GET", $"{tag}:slow{i}"));
    }

    private static async Task<string> SlowSetAsync(int port, string key, string value, CancellationToken cancellation)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port, cancellation);
        var stream = tcp.GetStream();
        foreach (byte b in RawRespClient.Encode("SET", key, value))
        {
            await stream.WriteAsync(new[] { b }, cancellation);
            await Task.Delay(10, cancellation);
        }
        var reply = new byte[64];
        int n = await stream.ReadAsync(reply, cancellation);
        return Encoding.ASCII.GetString(reply, 0, n);
    }

    private static void Trickle(int port, int prefixArguments, CancellationToken cancellation)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(System.Net.IPAddress.Loopback, port);
        var argument = "$1\r\na\r\n"u8.ToArray();
        socket.Send("*1048576\r\n"u8);
        var prefix = new byte[argument.Length * prefixArguments];
        for (int i = 0; i < prefixArguments; i++) argument.CopyTo(prefix, i * argument.Length);
        socket.Send(prefix);
        try
        {
            for (int i = 0; !cancellation.IsCancellationRequested; i++)
            {
                socket.Send(argument.AsSpan(i % argument.Length, 1));
                Thread.Sleep(2);
            }
        }
        catch (SocketException)
        {
            // the server closed it: the bystander's checks say whether that was wrong
        }
    }
}
