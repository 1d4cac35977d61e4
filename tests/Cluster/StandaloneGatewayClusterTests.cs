using System.Diagnostics;
using System.Net.Sockets;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Cluster;

/// <summary>
/// The standalone gateway process (client/) joins silos clustered through PostgreSQL membership with the
/// silos' own switches, whatever starts first, and keeps serving when a silo is killed.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class StandaloneGatewayClusterTests(ITestOutputHelper output) : IDisposable
{
    private readonly List<SiloProcess> _processes = [];
    private PostgresServer? _postgres;

    public void Dispose()
    {
        foreach (var process in _processes) process.Dispose();
        _postgres?.Dispose();
    }

    [Fact]
    public async Task A_gateway_started_before_the_silos_joins_their_postgres_cluster_and_serves_redis_cli()
    {
        _postgres = PostgresServer.Start();
        string[] cluster = ["--clustering", "postgres", "--postgres", _postgres.ConnectionString, "--cluster-id", "standalone"];
        try
        {
            // First on an empty database: it applies the membership schema and waits for silos, RESP port closed.
            var gateway = await SiloProcess.StartGatewayAsync("gateway", cluster, wait: false);
            _processes.Add(gateway);
            await Task.Delay(3000);
            Assert.False(gateway.HasExited, $"the gateway gave up without silos:\n{gateway.LogTail()}");
            Assert.False(Listens(gateway.RespPort), "the gateway listens before it has joined a cluster");

            var clock = Stopwatch.StartNew();
            var silos = await Task.WhenAll(Enumerable.Range(1, 2).Select(i =>
                SiloProcess.StartAsync($"silo{i}", [.. cluster, "--storage", "postgres", "--appendfsync", "always"])));
            _processes.AddRange(silos);
            var silosUp = clock.Elapsed;
            await gateway.WaitForPingAsync(TimeSpan.FromSeconds(60));
            Measurements.Report(output, $"standalone gateway: 2 silos answered PING {silosUp.TotalSeconds:F1} s after they were started, " +
                $"the waiting gateway {clock.Elapsed.TotalSeconds:F1} s");

            Assert.Equal("OK", RedisCli.Exec(gateway.RespPort, "SET", "standalone:hello", "world").Trim());
            Assert.Equal("world", RedisCli.Exec(gateway.RespPort, "GET", "standalone:hello").Trim());
            Assert.Equal("world", RedisCli.Exec(silos[0].RespPort, "GET", "standalone:hello").Trim());
            Assert.Equal("OK", RedisCli.Exec(silos[1].RespPort, "SET", "standalone:back", "via-silo").Trim());
            Assert.Equal("via-silo", RedisCli.Exec(gateway.RespPort, "GET", "standalone:back").Trim());

            // Keys over many slots (so on both silos) through the gateway; one silo killed: all still there, via the gateway.
            var values = Enumerable.Range(0, 200).ToDictionary(i => $"standalone:key:{i}", i => $"v{i}-{Guid.NewGuid():N}");
            var (set, exit) = RedisCli.Run(gateway.RespPort, [], string.Concat(values.Select(kv => $"SET {kv.Key} {kv.Value}\n")));
            Assert.Equal(0, exit);
            Assert.All(Lines(set), line => Assert.Equal("OK", line));
            silos[1].Kill();
            var failover = Stopwatch.StartNew();
            var (get, _) = RedisCli.Run(gateway.RespPort, [], string.Concat(values.Keys.Select(k => $"GET {k}\n")));
            Measurements.Report(output, $"standalone gateway: 200 GETs right after kill -9 of 1 of 2 silos answered in {failover.Elapsed.TotalSeconds:F1} s");
            Assert.Equal(values.Values, Lines(get));
        }
        catch
        {
            foreach (var process in _processes)
            {
                process.KeepLog = true;
                output.WriteLine($"{process.Name} log: {process.LogFile}\n{process.LogTail(20)}");
            }
            throw;
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool Listens(int port)
    {
        try
        {
            using var tcp = new TcpClient("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
