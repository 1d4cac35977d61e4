using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansLua.Client.Gateway;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Cluster;

/// <summary>
/// What a slot carries when it moves: a third silo joins a two-silo cluster (slots move to it) and then one of
/// the first two stops gracefully (its slots move away), while scripts, transactions and WATCH loops hammer
/// the keys from many connections; blocked clients and keys with TTLs sit in the moving slots. Memory storage:
/// everything must travel with the slot. Alone (three in-process silos under load would disturb the tests that
/// measure the process's heap or timing).
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class SlotMoveTests(ITestOutputHelper output) : TwoSiloClusterTest
{
    private static int Port(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<RespServer>().Port;

    private static int OwnedSlots(int port)
    {
        using var c = new RawRespClient(port);
        var nodes = c.Call("CLUSTER", "NODES");
        var mine = nodes.Split('\n').Single(l => l.Contains("myself"));
        return mine.Split(' ')[8..].Sum(r => r.Split('-') is [var a, var b] ? int.Parse(b) - int.Parse(a) + 1 : 1);
    }

    [Fact]
    public async Task Scripts_transactions_WATCH_blocked_clients_and_TTLs_stay_correct_while_slots_move()
    {
        var ports = Cluster.Silos.Select(Port).ToList();
        const int Groups = 200, Start = 1000;
        var tags = Enumerable.Range(0, Groups).Select(g => $"{{move{g}}}").ToArray();
        using (var setup = new RawRespClient(ports[0]))
            foreach (var tag in tags)
            {
                Assert.Equal("+OK\r\n", setup.Call("MSET", tag + "a", Start, tag + "b", Start));
                Assert.Equal("+OK\r\n", setup.Call("SET", tag + "ttl", "long", "PX", "120000"));
                Assert.Equal("+OK\r\n", setup.Call("SET", tag + "short", "gone-soon", "PX", "4000"));
            }

        // Blocked clients in many slots: they must be served after their slot moved.
        var waiters = tags.Take(20).Select(tag =>
        {
            var client = new RawRespClient(ports[0]) { ReadTimeoutMs = 60_000 };
            client.SendRaw(RawRespClient.Encode("BLPOP", tag + "queue", "0"));
            return (Tag: tag, Client: client);
        }).ToList();

        using var stop = new CancellationTokenSource();
        var transfers = new ConcurrentDictionary<string, long>();
        long watchCommits = 0, scriptErrors = 0, transactionErrors = 0;
        const string Transfer = "local n = tonumber(ARGV[1]) redis.call('DECRBY', KEYS[1], n) redis.call('INCRBY', KEYS[2], n) return n";
        // scripts move value between a and b of a group: a + b stays 2 × Start
        var scriptWorkers = Enumerable.Range(0, 6).Select(w => Task.Run(() =>
        {
            using var c = new RawRespClient(ports[0]); // the gateway that stays: the slots move, not the clients
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                var tag = tags[random.Next(Groups)];
                var reply = c.Call("EVAL", Transfer, "2", tag + "a", tag + "b", random.Next(1, 5));
                if (!reply.StartsWith(':')) Interlocked.Increment(ref scriptErrors);
            }
        })).ToList();
        // transactions increment both counters of a group together
        var transactionWorkers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            using var c = new RawRespClient(ports[0]); // the gateway that stays: the slots move, not the clients
            var random = new Random(100 + w);
            while (!stop.IsCancellationRequested)
            {
                var tag = tags[random.Next(Groups)];
                c.Call("MULTI");
                c.Call("INCR", tag + "x");
                c.Call("INCR", tag + "y");
                var exec = c.Call("EXEC");
                if (!exec.StartsWith("*2\r\n")) Interlocked.Increment(ref transactionErrors);
                else transfers.AddOrUpdate(tag, 1, (_, n) => n + 1);
            }
        })).ToList();
        // WATCH-based increments of one shared counter per group: every committed EXEC counts once
        var watchWorkers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            using var c = new RawRespClient(ports[0]); // the gateway that stays: the slots move, not the clients
            var random = new Random(200 + w);
            while (!stop.IsCancellationRequested)
            {
                var key = tags[random.Next(10)] + "watched";
                c.Call("WATCH", key);
                var current = c.Call("GET", key);
                long value = current == "$-1\r\n" ? 0 : long.Parse(current.Split("\r\n")[1]);
                c.Call("MULTI");
                c.Call("SET", key, value + 1);
                if (c.Call("EXEC") == "*1\r\n+OK\r\n") Interlocked.Increment(ref watchCommits);
            }
        })).ToList();

        await Task.Delay(1500);
        var third = await Cluster.StartAdditionalSiloAsync();
        ports.Add(Port(third));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (OwnedSlots(ports[2]) != 5461 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(5461, OwnedSlots(ports[2]));
        await Task.Delay(1500);
        var leaver = Cluster.Silos[1];
        var leaveClock = System.Diagnostics.Stopwatch.StartNew();
        await Cluster.StopSiloAsync(leaver);
        Measurements.Report(output, $"in-process graceful leave under load took {leaveClock.Elapsed.TotalSeconds:F1} s");
        ports.RemoveAt(1);
        await Task.Delay(1000);
        stop.Cancel();
        await Task.WhenAll([.. scriptWorkers, .. transactionWorkers, .. watchWorkers]);

        using var check = new RawRespClient(ports[0]);
        Assert.Equal(0, Interlocked.Read(ref scriptErrors));
        Assert.Equal(0, Interlocked.Read(ref transactionErrors));
        foreach (var tag in tags)
        {
            long a = long.Parse(check.Call("GET", tag + "a").Split("\r\n")[1]), b = long.Parse(check.Call("GET", tag + "b").Split("\r\n")[1]);
            Assert.Equal(2 * Start, a + b);
            var x = check.Call("GET", tag + "x");
            Assert.Equal(x, check.Call("GET", tag + "y"));
            Assert.Equal(transfers.TryGetValue(tag, out var n) ? $"${n.ToString().Length}\r\n{n}\r\n" : "$-1\r\n", x);
            var ttl = long.Parse(check.Call("PTTL", tag + "ttl")[1..^2]);
            Assert.InRange(ttl, 1, 120_000);
        }
        long watched = tags.Take(10).Sum(t => check.Call("GET", t + "watched") is var v && v != "$-1\r\n" ? long.Parse(v.Split("\r\n")[1]) : 0);
        Assert.Equal(Interlocked.Read(ref watchCommits), watched);
        Measurements.Report(output, $"{watched} WATCH commits, {transfers.Values.Sum()} transactions and the scripts of 6 connections ran through a join and a graceful leave");

        // keys that expired meanwhile are gone, on whichever silo their slot lives now (the expiry timer moved too)
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var tag in tags) Assert.Equal(":0\r\n", check.Call("EXISTS", tag + "short"));

        // blocked clients waited through the moves and are served now
        using var pusher = new RawRespClient(ports[^1]);
        foreach (var (tag, _) in waiters) Assert.Equal(":1\r\n", pusher.Call("LPUSH", tag + "queue", "job"));
        foreach (var (tag, client) in waiters)
        {
            Assert.Equal($"*2\r\n${tag.Length + 5}\r\n{tag}queue\r\n$3\r\njob\r\n", client.ReadReply());
            client.Dispose();
        }
    }
}
