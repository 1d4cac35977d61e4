using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansLua.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Cluster;

/// <summary>
/// Slots follow the silos, with real silo processes: while cluster clients (ioredis Cluster, node-redis
/// createCluster, StackExchange.Redis) increment counters, a fourth silo joins and takes its share of the
/// slots, then one silo stops gracefully (SIGTERM) and hands its slots over first. Memory storage, so the
/// keys survive only because the slots move with them. Every counter equals the increments the clients saw
/// acknowledged, and no client saw an error it could not retry.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed partial class RebalanceTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"Left the slot map: (\d+) slots moved to other nodes in ([\d.]+) s")]
    private static partial Regex LeftLine();

    [Theory]
    [InlineData("no")]
    [InlineData("yes")]
    public async Task Counters_stay_exact_while_a_silo_joins_and_one_leaves_gracefully(string redirects)
    {
        using var cluster = await ProcessCluster.StartAsync(3, output, "--cluster-redirects", redirects);
        await cluster.Run(async () =>
        {
            var ports = cluster.Silos.Select(s => s.RespPort).ToArray();
            // A key in every slot, so every move carries keys (memory storage: nothing to reload them from).
            var slotKeys = KeyPerSlot();
            var (set, setExit) = RedisCli.Run(ports[0], ["-c"], string.Concat(slotKeys.Select((k, s) => $"SET {k} v{s}\n")));
            Assert.Equal(0, setExit);
            Assert.Equal(slotKeys.Length, set.Split('\n').Count(l => l.Trim() == "OK"));
            var prefix = $"ctr:{Guid.NewGuid():N}"[..12]; // no hash tag: the counters spread over slots
            // Node clients (16 workers: half ioredis, half node-redis) and StackExchange.Redis (8 workers) for 30 s.
            var node = Infrastructure.NodeClients.RunAsync(output, TimeSpan.FromSeconds(120), "cluster-check.mjs", "counter",
                string.Join(",", ports), "30", prefix);
            var dotnet = StackExchangeCounterAsync(ports, TimeSpan.FromSeconds(30));

            await Task.Delay(TimeSpan.FromSeconds(6));
            var joinClock = Stopwatch.StartNew();
            var joined = await cluster.AddSiloAsync();
            var share = await WaitForShareAsync(joined.RespPort, 4, TimeSpan.FromSeconds(30));
            Measurements.Report(output, $"join under load ({redirects} redirects): the 4th silo owned {share} slots and hosted its share of active slots {joinClock.Elapsed.TotalSeconds:F1} s after it was started");

            await Task.Delay(TimeSpan.FromSeconds(6));
            var leaver = cluster.Silos[1];
            var leaveClock = Stopwatch.StartNew();
            Assert.True(leaver.Terminate(TimeSpan.FromSeconds(90)), $"silo 2 did not exit after SIGTERM\n{leaver.LogTail()}");
            Assert.Equal(0, leaver.ExitCode);
            var left = LeftLine().Match(leaver.LogTail(400));
            Assert.True(left.Success, $"silo 2 did not report leaving the slot map:\n{leaver.LogTail()}");
            Measurements.Report(output, $"graceful leave under load ({redirects} redirects): {left.Groups[1].Value} slots moved in {left.Groups[2].Value} s, " +
                $"the silo exited {leaveClock.Elapsed.TotalSeconds:F1} s after SIGTERM");

            var (json, exit) = await node;
            Assert.True(exit == 0, json);
            var (dotnetAcked, dotnetErrors) = await dotnet;
            var result = JsonDocument.Parse(json).RootElement;
            var acked = result.GetProperty("acked").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
            foreach (var (key, n) in dotnetAcked) acked[key] = acked.GetValueOrDefault(key) + n;
            var errors = result.GetProperty("errors").EnumerateObject().Select(p => (p.Name, Count: p.Value.GetInt32()))
                .Concat(dotnetErrors.Select(e => (Name: e.Key, Count: e.Value))).ToList();
            Measurements.Report(output, $"counter workload ({redirects} redirects): {result.GetProperty("operations").GetInt64()} node + " +
                $"{dotnetAcked.Values.Sum()} StackExchange.Redis increments acknowledged; errors: {(errors.Count == 0 ? "none" : string.Join(" | ", errors.Select(e => $"{e.Name} ×{e.Count}")))}");
            // Retryable: the connection to the leaving node closed, or a command was never sent. A reply the
            // server gave (an error) or an outcome it could not tell would not be.
            var fatal = errors.Where(e => !Retryable(e.Name)).ToList();
            Assert.True(fatal.Count == 0, $"errors a client cannot retry: {string.Join(" | ", fatal)}\n{cluster.Tails()}");

            // Every counter through one of the survivors, with a cluster client: exactly what was acknowledged.
            var survivors = cluster.Silos.Where(s => !s.HasExited).Select(s => s.RespPort).ToArray();
            var config = new ConfigurationOptions();
            foreach (var port in survivors) config.EndPoints.Add("127.0.0.1", port);
            await using var redis = await ConnectionMultiplexer.ConnectAsync(config);
            var db = redis.GetDatabase();
            foreach (var (key, n) in acked) Assert.Equal(n, (long)await db.StringGetAsync(key));
            var values = await Task.WhenAll(slotKeys.Select(k => db.StringGetAsync(k)));
            Assert.Equal(slotKeys.Select((_, s) => $"v{s}"), values.Select(v => (string?)v));
            var (check, code) = RedisCli.Run(survivors[0], ["--cluster", "check", $"127.0.0.1:{survivors[0]}"]);
            Assert.True(code == 0 && check.Contains("[OK] All 16384 slots covered."), check);
            Assert.Equal(3, Regex.Matches(check, @"M: [0-9a-f]{40} 127\.0\.0\.1:\d+").Count);
        });
    }

    /// <summary>
    /// The client's connection to the leaving node closed (or reset, when it had sent requests the node did not
    /// read), or a command was never sent: the gateway replies to every command it ran before it closes, so such
    /// a command did not run and may be sent again. Any error reply would not be retryable.
    /// </summary>
    private static bool Retryable(string error) =>
        new[] { "Socket closed unexpectedly", "ECONNRESET", "EPIPE", "ECONNREFUSED", "waiting to be sent", "Disconnects client",
            "Connection is closed", "StackExchange.Redis: connection " }.Any(error.Contains);

    private static string[] KeyPerSlot()
    {
        var keys = new string?[OrleansLua.GrainInterfaces.HashSlot.Count];
        int found = 0;
        for (int i = 0; found < keys.Length; i++)
        {
            var key = $"slotkey:{i}";
            int slot = OrleansLua.GrainInterfaces.HashSlot.Of(System.Text.Encoding.UTF8.GetBytes(key));
            if (keys[slot] is null) (keys[slot], found) = (key, found + 1);
        }
        return keys!;
    }

    /// <summary>Waits until the node on <paramref name="port"/> owns about 16384/<paramref name="nodes"/> slots and hosts active slots.</summary>
    private static async Task<int> WaitForShareAsync(int port, int nodes, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var slotsLine = RedisCli.Exec(port, "CLUSTER", "NODES").Split('\n').SingleOrDefault(l => l.Contains("myself"));
                int owned = slotsLine?.Split(' ')[8..].Sum(r => r.Split('-') is [var a, var b] ? int.Parse(b) - int.Parse(a) + 1 : 1) ?? 0;
                var active = Regex.Match(RedisCli.Exec(port, "INFO", "cluster"), @"orleans_silo_active_slots:(\d+)");
                if (Math.Abs(owned - 16384 / nodes) <= 2 && active.Success && int.Parse(active.Groups[1].Value) > 0) return owned;
            }
            catch (Exception) when (clock.Elapsed < timeout)
            {
                // not answering yet
            }
            if (clock.Elapsed > timeout) Assert.Fail($"the node on {port} did not take its share of slots within {timeout}");
            await Task.Delay(200);
        }
    }

    /// <summary>StackExchange.Redis in cluster mode: 8 workers INCR their own counters; acknowledged increments and errors by kind.</summary>
    private static async Task<(Dictionary<string, long> Acked, Dictionary<string, int> Errors)> StackExchangeCounterAsync(int[] ports, TimeSpan duration)
    {
        var config = new ConfigurationOptions { AbortOnConnectFail = false, ConnectRetry = 10 };
        foreach (var port in ports) config.EndPoints.Add("127.0.0.1", port);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(config);
        var db = redis.GetDatabase();
        var acked = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var errors = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var deadline = DateTime.UtcNow + duration;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            int i = 0;
            while (DateTime.UtcNow < deadline)
            {
                var key = $"se:counter:{w}:{i++ % 16}";
                try
                {
                    await db.StringIncrementAsync(key);
                    acked.AddOrUpdate(key, 1, (_, n) => n + 1);
                }
                catch (RedisConnectionException ex)
                {
                    errors.AddOrUpdate($"StackExchange.Redis: connection {ex.FailureType}", 1, (_, n) => n + 1);
                    await Task.Delay(50);
                }
                catch (RedisException ex)
                {
                    errors.AddOrUpdate($"StackExchange.Redis: {ex.Message.Split('\n')[0]}", 1, (_, n) => n + 1);
                    await Task.Delay(50);
                }
            }
        }));
        return (new Dictionary<string, long>(acked), new Dictionary<string, int>(errors));
    }
}
