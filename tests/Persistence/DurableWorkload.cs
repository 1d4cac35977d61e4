using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansLua.Tests.Infrastructure;

namespace OrleansLua.Tests.Persistence;

/// <summary>
/// Many connections writing through several gateways while silos die: half run an increment script
/// on counters, half add unique members to sets. Every reply is accounted for — attempted, and
/// acknowledged (the server said it was done) — so the survivors can be checked exactly:
/// acknowledged ≤ final ≤ attempted. A connection whose gateway died moves to the next live one.
/// </summary>
public sealed class DurableWorkload
{
    public const int Counters = 40, Sets = 40;
    private const string IncrementScript = "return redis.call('INCR', KEYS[1])";

    private readonly int[] _ports;
    private readonly ConcurrentDictionary<int, bool> _deadPorts = new();
    private readonly long[] _counterAttempted = new long[Counters], _counterAcked = new long[Counters];
    private readonly long[] _setAttempted = new long[Sets];
    private readonly ConcurrentBag<(int Set, string Member)> _ackedMembers = [];
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastErrorTicks = -1, _operations;
    private volatile bool _stop;

    public DurableWorkload(int[] ports) => _ports = ports;

    public long Operations => Interlocked.Read(ref _operations);
    public IReadOnlyDictionary<string, int> Errors => _errors;
    /// <summary>When the last error or connection failure happened, on the workload's clock.</summary>
    public TimeSpan? LastError => _lastErrorTicks < 0 ? null : TimeSpan.FromTicks(Interlocked.Read(ref _lastErrorTicks));
    public TimeSpan Now => _clock.Elapsed;

    public void MarkDead(int port) => _deadPorts[port] = true;

    public Task Run(int connections) => Task.WhenAll(Enumerable.Range(0, connections).Select(worker =>
        Task.Factory.StartNew(() => Work(worker), TaskCreationOptions.LongRunning)));

    public void Stop() => _stop = true;

    private void Work(int worker)
    {
        RawRespClient? client = null;
        int portIndex = worker;
        for (int n = 0; !_stop; n++)
        {
            try
            {
                client ??= Connect(ref portIndex);
                if (worker % 2 == 0)
                {
                    int k = (worker * 7 + n) % Counters;
                    Interlocked.Increment(ref _counterAttempted[k]);
                    var reply = client.Call("EVAL", IncrementScript, "1", CounterKey(k));
                    if (reply.StartsWith(':')) Interlocked.Increment(ref _counterAcked[k]);
                    else Failed(reply);
                }
                else
                {
                    int k = (worker * 7 + n) % Sets;
                    string member = $"w{worker}-{n}";
                    Interlocked.Increment(ref _setAttempted[k]);
                    var reply = client.Call("SADD", SetKey(k), member);
                    if (reply == ":1\r\n") _ackedMembers.Add((k, member));
                    else Failed(reply);
                }
                Interlocked.Increment(ref _operations);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                Failed("connection lost");
                client?.Dispose();
                client = null;
                portIndex++;
                Thread.Sleep(20);
            }
        }
        client?.Dispose();
    }

    private RawRespClient Connect(ref int portIndex)
    {
        for (int tries = 0; ; tries++, portIndex++)
        {
            int port = _ports[portIndex % _ports.Length];
            if (_deadPorts.ContainsKey(port) && tries < _ports.Length) continue;
            return new RawRespClient(port);
        }
    }

    private void Failed(string what)
    {
        var kind = what.Split(' ', 3) is [var first, var second, ..] && first == "-TRYAGAIN" ? first + " " + second : what.Split("\r\n")[0];
        _errors.AddOrUpdate(kind.Length > 80 ? kind[..80] : kind, 1, (_, c) => c + 1);
        Interlocked.Exchange(ref _lastErrorTicks, _clock.Elapsed.Ticks);
    }

    public static string CounterKey(int k) => "durable:ctr:" + k;
    public static string SetKey(int k) => "durable:set:" + k;

    /// <summary>Checks the survivors' state exactly; returns a description of every violation (empty when none).</summary>
    public List<string> Verify(int port, out long acknowledged)
    {
        var problems = new List<string>();
        acknowledged = 0;
        using var client = new RawRespClient(port);
        for (int k = 0; k < Counters; k++)
        {
            var reply = client.Call("GET", CounterKey(k));
            long final = reply == "$-1\r\n" ? 0 : long.Parse(reply.Split("\r\n")[1]);
            acknowledged += _counterAcked[k];
            if (final < _counterAcked[k] || final > _counterAttempted[k])
                problems.Add($"{CounterKey(k)} = {final}, acknowledged {_counterAcked[k]}, attempted {_counterAttempted[k]}");
        }
        var acked = _ackedMembers.GroupBy(m => m.Set).ToDictionary(g => g.Key, g => g.Select(m => m.Member).ToHashSet());
        for (int k = 0; k < Sets; k++)
        {
            var members = client.Call("SMEMBERS", SetKey(k)).Split("\r\n").Where((_, i) => i > 0 && i % 2 == 0).ToHashSet();
            var expected = acked.GetValueOrDefault(k) ?? [];
            acknowledged += expected.Count;
            var missing = expected.Where(m => !members.Contains(m)).ToList();
            if (missing.Count > 0) problems.Add($"{SetKey(k)} lost {missing.Count} acknowledged members, e.g. {missing[0]}");
            if (members.Count > _setAttempted[k]) problems.Add($"{SetKey(k)} has {members.Count} members but only {_setAttempted[k]} were attempted");
        }
        return problems;
    }

    /// <summary>One key per hash slot (16384), for checking that every slot answers.</summary>
    public static readonly string[] KeyPerSlot = BuildKeyPerSlot();

    private static string[] BuildKeyPerSlot()
    {
        var keys = new string[GrainInterfaces.HashSlot.Count];
        int found = 0;
        for (int i = 0; found < keys.Length; i++)
        {
            var key = "slot-probe:" + i;
            int slot = GrainInterfaces.HashSlot.Of(System.Text.Encoding.ASCII.GetBytes(key));
            if (keys[slot] is null)
            {
                keys[slot] = key;
                found++;
            }
        }
        return keys;
    }

    /// <summary>Pipelines a command to every slot; returns how many answered with an error.</summary>
    public static int ProbeAllSlots(int port, bool write)
    {
        using var client = new RawRespClient(port);
        const int chunk = 1024;
        int errors = 0;
        for (int start = 0; start < KeyPerSlot.Length; start += chunk)
        {
            var batch = new MemoryStream();
            for (int i = start; i < start + chunk; i++)
                batch.Write(write ? RawRespClient.Encode("SET", KeyPerSlot[i], i) : RawRespClient.Encode("GET", KeyPerSlot[i]));
            client.SendRaw(batch.ToArray());
            for (int i = start; i < start + chunk; i++)
                if (client.ReadReply().StartsWith('-')) errors++;
        }
        return errors;
    }
}
