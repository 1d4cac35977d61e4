using System.Text;
using OrleansLua.GrainInterfaces;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// This gateway's Pub/Sub subscribers. The cluster hub (<see cref="IPubSubGrain"/>) learns how many
/// subscribers this gateway has per channel and pattern, and hands it every matching message to
/// push to them. Names are keyed as Latin-1 strings: one char per byte, so binary-safe.
/// </summary>
public sealed class PubSubBroker(IGrainFactory grains) : IPubSubObserver
{
    private readonly Dictionary<string, HashSet<RespConnection>> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<RespConnection>> _patterns = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    /// <summary>Hub updates go one at a time: Orleans does not order concurrent calls, and a stale count must not win.</summary>
    private readonly SemaphoreSlim _hubUpdates = new(1, 1);
    private IPubSubObserver? _reference;

    private IPubSubGrain Hub => grains.GetGrain<IPubSubGrain>(0);

    /// <summary>One observer reference per gateway: two would make the hub deliver twice.</summary>
    private IPubSubObserver Reference
    {
        get
        {
            lock (_lock) return _reference ??= grains.CreateObjectReference<IPubSubObserver>(this);
        }
    }

    public static string Name(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    public async Task SubscribeAsync(RespConnection connection, byte[] name, bool pattern)
    {
        lock (_lock)
        {
            var table = pattern ? _patterns : _channels;
            if (!table.TryGetValue(Name(name), out var subscribers)) table[Name(name)] = subscribers = [];
            if (!subscribers.Add(connection)) return;
        }
        await TellHubAsync(name, pattern);
    }

    public async Task UnsubscribeAsync(RespConnection connection, byte[] name, bool pattern)
    {
        lock (_lock)
        {
            var table = pattern ? _patterns : _channels;
            if (!table.TryGetValue(Name(name), out var subscribers) || !subscribers.Remove(connection)) return;
            if (subscribers.Count == 0) table.Remove(Name(name));
        }
        await TellHubAsync(name, pattern);
    }

    /// <summary>Sends the hub this gateway's current count for a name (read when sending, so the last update is the truth).</summary>
    private async Task TellHubAsync(byte[] name, bool pattern)
    {
        var reference = Reference;
        await _hubUpdates.WaitAsync();
        try
        {
            int count;
            lock (_lock) count = (pattern ? _patterns : _channels).TryGetValue(Name(name), out var s) ? s.Count : 0;
            await Hub.SetSubscribers(reference, name, pattern, count);
        }
        finally
        {
            _hubUpdates.Release();
        }
    }

    public Task<long> PublishAsync(byte[] channel, byte[] message) => Hub.Publish(channel, message);

    /// <summary>Queues the message on each subscriber's connection (never waits on a socket).</summary>
    public Task<int> Deliver(byte[] channel, byte[] message, byte[][] patterns)
    {
        var deliveries = new List<(RespConnection Connection, byte[]? Pattern)>();
        lock (_lock)
        {
            if (_channels.TryGetValue(Name(channel), out var direct)) deliveries.AddRange(direct.Select(c => (c, (byte[]?)null)));
            foreach (var pattern in patterns)
                if (_patterns.TryGetValue(Name(pattern), out var matching)) deliveries.AddRange(matching.Select(c => (c, (byte[]?)pattern)));
        }
        return Task.FromResult(deliveries.Count(d => d.Connection.QueueMessage(channel, message, d.Pattern)));
    }
}
