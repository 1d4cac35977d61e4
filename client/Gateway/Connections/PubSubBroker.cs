using System.Text;
using OrleansLua.GrainInterfaces;

namespace OrleansLua.Client.Gateway;

/// <summary>What a connection subscribes to: a channel, a pattern, or a shard channel (SSUBSCRIBE).</summary>
public enum SubscriptionKind { Channel, Pattern, ShardChannel }

/// <summary>
/// This gateway's Pub/Sub subscribers. The cluster hub (<see cref="IPubSubGrain"/>) learns how many
/// subscribers this gateway has per channel and pattern, and a shard channel's slot grain how many it has
/// per shard channel; they hand it every matching message to push to them. Every 10 s the broker tells them
/// its counts again, so a hub or slot grain that lost its state (its silo died) knows its subscribers again.
/// Names are keyed as Latin-1 strings: one char per byte, so binary-safe.
/// </summary>
public sealed class PubSubBroker : IPubSubObserver, IDisposable
{
    private static readonly TimeSpan ResyncPeriod = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, HashSet<RespConnection>>[] _tables =
        [new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    private readonly Lock _lock = new();
    /// <summary>Count updates go one at a time: Orleans does not order concurrent calls, and a stale count must not win.</summary>
    private readonly SemaphoreSlim _updates = new(1, 1);
    private readonly IGrainFactory _grains;
    private readonly SlotRouter _router;
    private readonly Timer _resync;
    private IPubSubObserver? _reference;

    public PubSubBroker(IGrainFactory grains, SlotRouter router)
    {
        _grains = grains;
        _router = router;
        _resync = new Timer(_ => _ = ResyncAsync(), null, ResyncPeriod, ResyncPeriod);
    }

    private IPubSubGrain Hub => _grains.GetGrain<IPubSubGrain>(0);

    /// <summary>One observer reference per gateway: two would make the hub deliver twice.</summary>
    private IPubSubObserver Reference
    {
        get
        {
            lock (_lock) return _reference ??= _grains.CreateObjectReference<IPubSubObserver>(this);
        }
    }

    public static string Name(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    public async Task SubscribeAsync(RespConnection connection, byte[] name, SubscriptionKind kind)
    {
        lock (_lock)
        {
            var table = _tables[(int)kind];
            if (!table.TryGetValue(Name(name), out var subscribers)) table[Name(name)] = subscribers = [];
            if (!subscribers.Add(connection)) return;
        }
        await TellCountAsync(name, kind);
    }

    public async Task UnsubscribeAsync(RespConnection connection, byte[] name, SubscriptionKind kind)
    {
        lock (_lock)
        {
            var table = _tables[(int)kind];
            if (!table.TryGetValue(Name(name), out var subscribers) || !subscribers.Remove(connection)) return;
            if (subscribers.Count == 0) table.Remove(Name(name));
        }
        await TellCountAsync(name, kind);
    }

    /// <summary>Sends this gateway's current count for a name (read when sending, so the last update is the truth).</summary>
    private async Task TellCountAsync(byte[] name, SubscriptionKind kind)
    {
        var reference = Reference;
        await _updates.WaitAsync();
        try
        {
            int count;
            lock (_lock) count = _tables[(int)kind].TryGetValue(Name(name), out var s) ? s.Count : 0;
            if (kind == SubscriptionKind.ShardChannel) await _router.Shard(HashSlot.Of(name)).SetShardSubscribers(reference, name, count);
            else await Hub.SetSubscribers(reference, name, kind == SubscriptionKind.Pattern, count);
        }
        finally
        {
            _updates.Release();
        }
    }

    private async Task ResyncAsync()
    {
        List<(string Name, SubscriptionKind Kind)> names;
        lock (_lock) names = [.. Enum.GetValues<SubscriptionKind>().SelectMany(k => _tables[(int)k].Keys.Select(n => (n, k)))];
        foreach (var (name, kind) in names)
        {
            try
            {
                await TellCountAsync(Encoding.Latin1.GetBytes(name), kind);
            }
            catch (Exception)
            {
                // the next round tries again
            }
        }
    }

    public Task<long> PublishAsync(byte[] channel, byte[] message) => Hub.Publish(channel, message);

    /// <summary>SPUBLISH: through the channel's slot grain, on the slot's owner.</summary>
    public Task<long> PublishShardAsync(byte[] channel, byte[] message) => _router.Shard(HashSlot.Of(channel)).ShardPublish(channel, message);

    /// <summary>Queues the message on each subscriber's connection (never waits on a socket).</summary>
    public Task<int> Deliver(byte[] channel, byte[] message, byte[][] patterns)
    {
        var deliveries = new List<(RespConnection Connection, byte[]? Pattern)>();
        lock (_lock)
        {
            if (_tables[(int)SubscriptionKind.Channel].TryGetValue(Name(channel), out var direct)) deliveries.AddRange(direct.Select(c => (c, (byte[]?)null)));
            foreach (var pattern in patterns)
                if (_tables[(int)SubscriptionKind.Pattern].TryGetValue(Name(pattern), out var matching)) deliveries.AddRange(matching.Select(c => (c, (byte[]?)pattern)));
        }
        return Task.FromResult(deliveries.Count(d => d.Connection.QueueMessage(channel, message, d.Pattern, shard: false)));
    }

    public Task<int> DeliverShard(byte[] channel, byte[] message)
    {
        List<RespConnection> subscribers;
        lock (_lock) subscribers = _tables[(int)SubscriptionKind.ShardChannel].TryGetValue(Name(channel), out var s) ? [.. s] : [];
        return Task.FromResult(subscribers.Count(c => c.QueueMessage(channel, message, pattern: null, shard: true)));
    }

    public void Dispose() => _resync.Dispose();
}
