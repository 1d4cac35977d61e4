using Orleans.Concurrency;

namespace OrleansLua.GrainInterfaces;

/// <summary>
/// Owns the keys of one hash slot (grain key = slot number). Non-reentrant: each call runs alone,
/// which is what makes a batch, a transaction or a script atomic.
/// </summary>
public interface IShardGrain : IGrainWithIntegerKey
{
    /// <summary>Runs the commands in order and returns their replies, RESP-encoded for <see cref="ShardBatch.Protocol"/>.</summary>
    Task<byte[]> Execute(ShardBatch batch);

    /// <summary>One page of SCAN over this slot, ordered by a stable per-key hash.</summary>
    Task<ScanPage> Scan(ScanRequest request);

    /// <summary>Key and TTL counts for INFO keyspace.</summary>
    Task<SlotStats> Stats();

    /// <summary>
    /// SCRIPT FLUSH or CONFIG SET reached this slot's silo: apply the cluster's state to the silo.
    /// Interleaves with a running script.
    /// </summary>
    [AlwaysInterleave]
    Task ApplySiloState(SiloState state);

    /// <summary>SCRIPT KILL: stops this slot's running script (it rolls back). False if none runs.</summary>
    [AlwaysInterleave]
    Task<bool> KillScript();
}

[GenerateSerializer, Immutable]
public sealed class ShardBatch
{
    [Id(0)] public required byte[][][] Commands { get; init; }
    /// <summary>2 or 3: the protocol of the connection the replies go to.</summary>
    [Id(1)] public byte Protocol { get; init; } = 2;
}

[GenerateSerializer, Immutable]
public sealed class ScanRequest
{
    /// <summary>Keys whose scan hash is at least this are returned.</summary>
    [Id(0)] public uint FromHash { get; init; }
    [Id(1)] public int Count { get; init; } = 10;
    [Id(2)] public byte[]? Match { get; init; }
    [Id(3)] public string? Type { get; init; }
}

[GenerateSerializer, Immutable]
public sealed class ScanPage
{
    [Id(0)] public required byte[][] Keys { get; init; }
    /// <summary>Where the next page starts, or null when the slot is done.</summary>
    [Id(1)] public uint? NextHash { get; init; }
}

[GenerateSerializer, Immutable]
public sealed class SlotStats
{
    [Id(0)] public long Keys { get; init; }
    [Id(1)] public long Expires { get; init; }
}

public static class ShardGrainType
{
    /// <summary>The Orleans grain type name of the shard grain (fan-out asks for its active activations).</summary>
    public const string Name = "shard";
}
