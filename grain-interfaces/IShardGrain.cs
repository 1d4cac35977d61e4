using Orleans.Concurrency;
using OrleansLua.GrainInterfaces.Commands;

namespace OrleansLua.GrainInterfaces;

/// <summary>
/// Owns the keys of one hash slot (grain key = slot number). Whatever touches the keys — a batch through
/// Orleans, a batch the co-hosted gateway runs on the activation itself (<see cref="ILocalShard"/>), a
/// script — holds the slot's one gate while it runs, which is what makes a batch, a transaction or a
/// script atomic; the grain itself is reentrant so that it answers BUSY and SCRIPT KILL meanwhile.
/// </summary>
public interface IShardGrain : IGrainWithIntegerKey
{
    /// <summary>Runs the commands in order and returns their replies, RESP-encoded for <see cref="ShardBatch.Protocol"/>.</summary>
    Task<byte[]> Execute(ShardBatch batch);

    /// <summary>One page of SCAN over this slot, ordered by a stable per-key hash.</summary>
    Task<ScanPage> Scan(ScanRequest request);

    /// <summary>
    /// A blocking command (BLPOP, BZPOPMIN, XREAD BLOCK…): the reply if it can be served now, else
    /// null — the client is then queued (FIFO per key) without holding the grain, and the reply
    /// arrives through <see cref="BlockRequest.Observer"/> when a write satisfies it.
    /// </summary>
    Task<byte[]?> Block(BlockRequest request);

    /// <summary>Timeout or disconnect: forget a waiter. False if it was already served (its reply is on the way).</summary>
    Task<bool> Unblock(BlockedClientObserverKey waiter);

    /// <summary>WATCH: the keys' current versions (a version changes on every write of the key).</summary>
    Task<long[]> Watch(byte[][] keys);

    /// <summary>UNWATCH / EXEC / DISCARD / disconnect: stop tracking the keys for this watcher.</summary>
    [OneWay]
    Task Unwatch(byte[][] keys);

    /// <summary>Key and TTL counts for INFO keyspace.</summary>
    Task<SlotStats> Stats();

    /// <summary>The silo that hosts this slot's activation now: a moving slot answers from its new owner once it arrived.</summary>
    Task<SiloAddress> Host();

    /// <summary>A gateway's number of subscribers for a shard channel of this slot changed; 0 removes it.</summary>
    Task SetShardSubscribers(IPubSubObserver gateway, byte[] channel, int count);

    /// <summary>SPUBLISH: delivers to every gateway with a subscriber of the shard channel; returns the clients reached.</summary>
    Task<long> ShardPublish(byte[] channel, byte[] message);

    /// <summary>PUBSUB SHARDCHANNELS and SHARDNUMSUB for this slot: its shard channels with their subscriber counts.</summary>
    Task<ShardChannelCount[]> ShardChannels();
}

[GenerateSerializer, Immutable]
public sealed class ShardBatch
{
    [Id(0)] public required byte[][][] Commands { get; init; }
    /// <summary>2 or 3: the protocol of the connection the replies go to.</summary>
    [Id(1)] public byte Protocol { get; init; } = 2;
    /// <summary>MULTI/EXEC: reply with one array of all replies, or a null array when a watched key changed.</summary>
    [Id(2)] public bool Transaction { get; init; }
    /// <summary>EXEC: the watched keys and the versions WATCH returned.</summary>
    [Id(3)] public WatchedKey[]? Watches { get; init; }
    /// <summary>The connection's ACL user when it is restricted (null: may do everything); scripts check each call.</summary>
    [Id(4)] public string? User { get; init; }
    /// <summary>For the slow log: the client's address and name.</summary>
    [Id(5)] public string? ClientAddress { get; init; }
    [Id(6)] public string? ClientName { get; init; }
    /// <summary>For a batch with a script: its connection, cluster-wide (the registry stops the script when it disconnects).</summary>
    [Id(7)] public string? Client { get; init; }
    /// <summary>
    /// Each command's <see cref="CommandSpec.Id"/> as the gateway resolved it (null: the grain resolves them).
    /// Meaningful only between processes with the same command table, hence <see cref="Table"/>.
    /// </summary>
    [Id(8)] public ushort[]? Specs { get; init; }
    /// <summary>The sender's <see cref="CommandTable.Version"/>.</summary>
    [Id(9)] public int Table { get; init; }

    /// <summary>One resolved command.</summary>
    public static ShardBatch Single(CommandSpec spec, byte[][] args, byte protocol) =>
        new() { Commands = [args], Specs = [(ushort)spec.Id], Table = CommandTable.Version, Protocol = protocol };

    /// <summary>Command <paramref name="index"/> alone, for the same client.</summary>
    public ShardBatch OneOf(int index) => new()
    {
        Commands = [Commands[index]], Specs = Specs is { } specs ? [specs[index]] : null, Table = Table, Protocol = Protocol,
        User = User, ClientAddress = ClientAddress, ClientName = ClientName, Client = Client,
    };

    /// <summary>The spec of command <paramref name="index"/>: as the gateway resolved it, or resolved here (with Redis's error).</summary>
    public CommandSpec? Spec(int index, out string? error)
    {
        error = null;
        return Specs is { } specs && Table == CommandTable.Version ? CommandTable.ById[specs[index]] : CommandTable.Resolve(Commands[index], out error);
    }
}

[GenerateSerializer, Immutable]
public sealed record WatchedKey([property: Id(0)] byte[] Key, [property: Id(1)] long Version);

/// <summary>Who waits: a gateway's observer and the waiter's id within it.</summary>
[GenerateSerializer, Immutable]
public sealed record BlockedClientObserverKey([property: Id(0)] IBlockedClientObserver Observer, [property: Id(1)] long WaiterId);

[GenerateSerializer, Immutable]
public sealed class BlockRequest
{
    [Id(0)] public required BlockedClientObserverKey Waiter { get; init; }
    [Id(1)] public required byte[][] Command { get; init; }
    [Id(2)] public byte Protocol { get; init; } = 2;
}

/// <summary>A gateway's receiver for the replies of its blocked clients.</summary>
public interface IBlockedClientObserver : IGrainObserver
{
    [OneWay]
    Task Served(long waiterId, byte[] reply);
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

[GenerateSerializer, Immutable]
public sealed record ShardChannelCount([property: Id(0)] byte[] Channel, [property: Id(1)] long Subscribers);
