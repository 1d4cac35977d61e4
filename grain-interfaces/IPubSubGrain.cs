namespace OrleansLua.GrainInterfaces;

/// <summary>
/// The cluster's Pub/Sub hub (one grain, key 0): which gateways have subscribers for which channels
/// and patterns, and how many. PUBLISH through any gateway reaches every gateway with a matching
/// subscriber; the reply counts the clients that received the message.
/// </summary>
public interface IPubSubGrain : IGrainWithIntegerKey
{
    /// <summary>A gateway's number of subscribers for a channel (or pattern) changed; 0 removes it.</summary>
    Task SetSubscribers(IPubSubObserver gateway, byte[] name, bool pattern, int count);

    /// <summary>Delivers to every gateway with a subscriber; returns the number of clients reached.</summary>
    Task<long> Publish(byte[] channel, byte[] message);

    /// <summary>PUBSUB CHANNELS: channels with at least one subscriber, optionally matching a pattern.</summary>
    Task<byte[][]> Channels(byte[]? pattern);

    /// <summary>PUBSUB NUMSUB: subscribers per channel (pattern subscribers not counted, as in Redis).</summary>
    Task<long[]> NumSub(byte[][] channels);

    /// <summary>PUBSUB NUMPAT: distinct patterns subscribed.</summary>
    Task<long> NumPat();
}

/// <summary>A gateway's receiver for published messages.</summary>
public interface IPubSubObserver : IGrainObserver
{
    /// <summary>
    /// Pushes the message to this gateway's subscribers of the channel and of the given patterns
    /// (the hub already matched them); returns how many clients received it.
    /// </summary>
    Task<int> Deliver(byte[] channel, byte[] message, byte[][] patterns);

    /// <summary>SPUBLISH: pushes the message to this gateway's subscribers of the shard channel; returns how many received it.</summary>
    Task<int> DeliverShard(byte[] channel, byte[] message);
}
