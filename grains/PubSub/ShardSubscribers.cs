using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.PubSub;

/// <summary>
/// One slot's shard channels (SSUBSCRIBE / SPUBLISH): which gateways have subscribers, and how many. Kept by the
/// slot's grain, so shard Pub/Sub is spread over the silos with the slots and moves with them.
/// </summary>
internal sealed class ShardSubscribers
{
    private readonly Dictionary<byte[], Dictionary<IPubSubObserver, int>> _channels = new(ByteArrayComparer.Instance);

    public void Set(IPubSubObserver gateway, byte[] channel, int count)
    {
        if (!_channels.TryGetValue(channel, out var gateways)) _channels[channel] = gateways = [];
        if (count > 0) gateways[gateway] = count;
        else
        {
            gateways.Remove(gateway);
            if (gateways.Count == 0) _channels.Remove(channel);
        }
    }

    public async Task<long> PublishAsync(byte[] channel, byte[] message)
    {
        if (!_channels.TryGetValue(channel, out var gateways)) return 0;
        var delivered = await Task.WhenAll(gateways.Keys.ToList().Select(async gateway =>
        {
            try
            {
                return await gateway.DeliverShard(channel, message);
            }
            catch (Exception)
            {
                Set(gateway, channel, 0); // a gateway that is gone has no subscribers left
                return 0;
            }
        }));
        return delivered.Sum();
    }

    public ShardChannelCount[] Counts() => _channels.Select(c => new ShardChannelCount(c.Key, c.Value.Values.Sum())).ToArray();

    /// <summary>For the slot's next activation (migration).</summary>
    public ShardSubscription[] Snapshot() =>
        _channels.SelectMany(c => c.Value.Select(g => new ShardSubscription(g.Key, c.Key, g.Value))).ToArray();

    public void Restore(ShardSubscription[] subscriptions)
    {
        foreach (var s in subscriptions) Set(s.Gateway, s.Channel, s.Count);
    }
}

[GenerateSerializer, Immutable]
public sealed record ShardSubscription([property: Id(0)] IPubSubObserver Gateway, [property: Id(1)] byte[] Channel, [property: Id(2)] int Count);
