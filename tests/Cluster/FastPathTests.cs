using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using OrleansLua.Client.Gateway;
using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Cluster;

/// <summary>
/// The co-hosted gateway runs batches on a local slot's activation itself (ILocalShard), under the slot's
/// gate, instead of sending Orleans messages. Raced here against what also holds the gate or ends the
/// activation: slots migrating back and forth between the two silos, scripts and transactions through
/// Orleans, WATCH, and the active expiry cycle that a fast-path SET with a TTL asks for.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class FastPathTests(ITestOutputHelper output) : TwoSiloClusterTest
{
    private T Service<T>(int silo) where T : notnull => ((InProcessSiloHandle)Cluster.Silos[silo]).SiloHost.Services.GetRequiredService<T>();

    [Fact]
    public async Task Counters_stay_exact_while_their_slots_migrate_back_and_forth_under_fast_path_batches()
    {
        var ports = Enumerable.Range(0, 2).Select(i => Service<RespServer>(i).Port).ToArray();
        var keys = Enumerable.Range(0, 32).Select(i => $"fast:{i}").ToArray();
        var slots = keys.Select(k => HashSlot.Of(System.Text.Encoding.UTF8.GetBytes(k))).Distinct().ToArray();
        using var stop = new CancellationTokenSource();
        var acked = new ConcurrentDictionary<string, long>();
        long orleansPath = 0;
        // plain INCRs (the fast path wherever the slot is local) and EVAL/MULTI (Orleans; scripts never take the fast path)
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            using var c = new RawRespClient(ports[w % 2]);
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                var key = keys[random.Next(keys.Length)];
                string reply = (w % 4) switch
                {
                    0 => c.Call("EVAL", "return redis.call('INCR', KEYS[1])", "1", key),
                    1 => MultiIncr(c, key),
                    _ => c.Call("INCR", key),
                };
                if (w % 4 < 2) Interlocked.Increment(ref orleansPath);
                Assert.StartsWith(":", reply);
                acked.AddOrUpdate(key, 1, (_, n) => n + 1);
            }
        })).ToList();

        // migrate every slot to the other silo, again and again, with Orleans' placement hint
        var silos = Cluster.Silos.Select(s => s.SiloAddress).ToArray();
        int moves = 0;
        var mover = Task.Run(async () =>
        {
            var grains = Cluster.Client;
            for (int round = 0; round < 6 && !stop.IsCancellationRequested; round++)
            {
                foreach (int slot in slots)
                {
                    RequestContext.Set(IPlacementDirector.PlacementHintKey, silos[round % 2]);
                    try
                    {
                        await grains.GetGrain<IShardGrain>(slot).Cast<IGrainManagementExtension>().MigrateOnIdle();
                        Interlocked.Increment(ref moves);
                    }
                    finally
                    {
                        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
                    }
                }
                await Task.Delay(300);
            }
        });
        await mover;
        await Task.Delay(500);
        stop.Cancel();
        await Task.WhenAll(workers);

        using var check = new RawRespClient(ports[0]);
        foreach (var key in keys)
            Assert.Equal($":{acked.GetValueOrDefault(key)}\r\n", check.Call("EVAL", "return tonumber(redis.call('GET', KEYS[1]) or '0')", "1", key));
        Measurements.Report(output, $"fast path: {acked.Values.Sum()} increments ({Interlocked.Read(ref orleansPath)} of them in scripts, through Orleans, or transactions) " +
            $"exact while {moves} migrations were asked for");
    }

    private static string MultiIncr(RawRespClient c, string key)
    {
        c.Call("MULTI");
        c.Call("INCR", key);
        var exec = c.Call("EXEC");
        return exec.StartsWith("*1\r\n") ? exec[4..] : exec;
    }

    [Fact]
    public async Task A_TTL_set_on_the_fast_path_starts_the_slots_active_expiry()
    {
        int port = Service<RespServer>(0).Port;
        using var c = new RawRespClient(port);
        var keys = Enumerable.Range(0, 200).Select(i => $"ttl-fast:{i}").ToArray();
        foreach (var key in keys) Assert.Equal("+OK\r\n", c.Call("SET", key, "v", "PX", "300"));
        long Held() => Enumerable.Range(0, 2).Sum(i => Service<LiveKeyspaces>(i).KeyCount);
        int Cycling() => Enumerable.Range(0, 2).Sum(i => Service<ActiveExpiry>(i).Count);
        int slots = keys.Select(k => HashSlot.Of(System.Text.Encoding.UTF8.GetBytes(k))).Distinct().Count();
        Assert.True(Held() >= keys.Length, $"{Held()} keys held right after the SETs");
        Assert.Equal(slots, Cycling());
        // nothing reads the keys: only the active expiry cycle (once a second per slot) removes them
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((Held() > 0 || Cycling() > 0) && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Equal(0, Held());
        // and a slot without keys with a TTL leaves the cycle
        Assert.Equal(0, Cycling());
    }
}
