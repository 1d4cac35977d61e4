using OrleansLua.Grains.Blocking;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Grains.Persistence;
using OrleansLua.Grains.PubSub;

namespace OrleansLua.Grains;

/// <summary>
/// Live migration (Orleans' dehydrate/rehydrate): when the slot map gives the slot to another silo, this
/// activation hands its whole state to the next one — keys with their TTLs, blocked clients in arrival
/// order, WATCH versions, shard channel subscribers and keys not stored yet — so a slot keeps its keys in every storage mode, memory
/// included. Orleans runs it only once no request runs here (a running script or transaction finishes
/// first) and queues the requests that arrive meanwhile for the next activation.
/// </summary>
public sealed partial class ShardGrain : IGrainMigrationParticipant
{
    private const string SnapshotKey = "slot";

    /// <summary>The state handed over by the previous activation; used once, in OnActivateAsync.</summary>
    private SlotSnapshot? _handedOver;

    public Task<SiloAddress> Host() => Task.FromResult(GrainContext.Address.SiloAddress!);

    public void OnDehydrate(IDehydrationContext context)
    {
        long now = UnixTime.NowMilliseconds();
        var keys = new List<SlotKey>(_keys.Count);
        foreach (var (key, entry) in _keys.Entries(now)) keys.Add(new SlotKey(key, ValueCodec.Serialize(entry.Value), entry.ExpireAt));
        context.TryAddValue(SnapshotKey, new SlotSnapshot(keys.ToArray(), _waiters.Snapshot(), _watched.Snapshot(), _persistence.Unstored(),
            _shardSubscribers.Snapshot()));
    }

    public void OnRehydrate(IRehydrationContext context)
    {
        if (context.TryGetValue(SnapshotKey, out SlotSnapshot? snapshot)) _handedOver = snapshot;
    }

    /// <summary>Takes the handed-over state (false when this activation starts from storage).</summary>
    private async Task<bool> AdoptHandedOverAsync(CancellationToken cancellation)
    {
        if (_handedOver is not { } snapshot) return false;
        _handedOver = null;
        await _persistence.AdoptAsync(_slot, snapshot.Unstored, cancellation);
        foreach (var key in snapshot.Keys) _keys.Restore(key.Key, ValueCodec.Deserialize(key.Value), key.ExpireAt);
        _waiters.Restore(snapshot.Waiters);
        _watched.Restore(snapshot.Watched);
        _shardSubscribers.Restore(snapshot.ShardSubscriptions);
        return true;
    }
}

[GenerateSerializer, Immutable]
public sealed record SlotKey([property: Id(0)] byte[] Key, [property: Id(1)] byte[] Value, [property: Id(2)] long ExpireAt);

/// <summary>Everything a slot's activation hands to the next one when it migrates.</summary>
[GenerateSerializer, Immutable]
public sealed record SlotSnapshot(
    [property: Id(0)] SlotKey[] Keys,
    [property: Id(1)] BlockedWaiter[] Waiters,
    [property: Id(2)] WatchedKeysSnapshot Watched,
    [property: Id(3)] byte[][] Unstored,
    [property: Id(4)] ShardSubscription[] ShardSubscriptions);
