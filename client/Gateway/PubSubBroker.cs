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
    private IPubSubObserver? _reference;

    private IPubSubGrain Hub => grains.GetGrain<IPubSubGrain>(0);
    private IPubSubObserver Reference => _reference ??= grains.CreateObjectReference<IPubSubObserver>(this);

    public static string Name(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    public async Task SubscribeAsync(RespConnection connection, byte[] name, bool pattern)
    {
        int count;
        lock (_lock)
        {
            var table = pattern ? _patterns : _channels;
            if (!table.TryGetValue(Name(name), out var subscribers)) table[Name(name)] = subscribers = [];
            if (!subscribers.Add(connection)) return;
            count = subscribers.Count;
        }
        await Hub.SetSubscribers(Reference, name, pattern, count);
    }

    public async Task UnsubscribeAsync(RespConnection connection, byte[] name, bool pattern)
    {
        int count;
        lock (_lock)
        {
            var table = pattern ? _patterns : _channels;
            if (!table.TryGetValue(Name(name), out var subscribers) || !subscribers.Remove(connection)) return;
            count = subscribers.Count;
            if (count == 0) table.Remove(Name(name));
        }
        await Hub.SetSubscribers(Reference, name, pattern, count);
    }

    public Task<long> PublishAsync(byte[] channel, byte[] message) => Hub.Publish(channel, message);

    public async Task<int> Deliver(byte[] channel, byte[] message, byte[][] patterns)
    {
        var deliveries = new List<(RespConnection Connection, byte[]? Pattern)>();
        lock (_lock)
        {
            if (_channels.TryGetValue(Name(channel), out var direct)) deliveries.AddRange(direct.Select(c => (c, (byte[]?)null)));
            foreach (var pattern in patterns)
                if (_patterns.TryGetValue(Name(pattern), out var matching)) deliveries.AddRange(matching.Select(c => (c, (byte[]?)pattern)));
        }
        await Task.WhenAll(deliveries.Select(d => d.Connection.PushMessageAsync(channel, message, d.Pattern)));
        return deliveries.Count;
    }
}
