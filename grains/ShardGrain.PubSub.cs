using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.PubSub;

namespace OrleansLua.Grains;

/// <summary>Sharded Pub/Sub: this slot's shard channels live in its grain, on the slot's owner, and move with it.</summary>
public sealed partial class ShardGrain
{
    private readonly ShardSubscribers _shardSubscribers = new();

    public Task SetShardSubscribers(IPubSubObserver gateway, byte[] channel, int count)
    {
        _shardSubscribers.Set(gateway, channel, count);
        return Task.CompletedTask;
    }

    public Task<long> ShardPublish(byte[] channel, byte[] message) => _shardSubscribers.PublishAsync(channel, message);

    public Task<ShardChannelCount[]> ShardChannels() => Task.FromResult(_shardSubscribers.Counts());
}
