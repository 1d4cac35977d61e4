using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.GrainInterfaces.Diagnostics;

namespace OrleansLua.GrainInterfaces;

/// <summary>
/// The nodes of the cluster — every silo's co-hosted gateway and every standalone gateway — as
/// observers (one grain, key 0). INFO and SLOWLOG gather through it, and configuration changes reach
/// every node through it at once. Nodes join again every few seconds, so a new activation of this
/// grain (after its silo died) knows them all again shortly.
/// </summary>
public interface IClusterNodesGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or refreshes a node; nodes that stop refreshing are dropped.</summary>
    Task Join(string node, INodeObserver observer);

    Task Leave(string node);

    /// <summary>Every node's report; a node that does not answer within a bounded time is left out.</summary>
    Task<NodeReport[]> Reports();

    /// <summary>Hands a new cluster state to every node.</summary>
    Task Publish(ClusterState state);

    /// <summary>CONFIG RESETSTAT (everything = true) or SLOWLOG RESET on every node.</summary>
    Task Reset(bool everything);
}

/// <summary>One node (a gateway and, when co-hosted, its silo).</summary>
public interface INodeObserver : IGrainObserver
{
    Task<NodeReport> Report();

    Task Apply(ClusterState state);

    Task Reset(bool everything);
}

/// <summary>A node's counters for INFO and SLOWLOG.</summary>
[GenerateSerializer, Immutable]
public sealed class NodeReport
{
    [Id(0)] public required string Node { get; init; }
    [Id(1)] public int ConnectedClients { get; init; }
    [Id(2)] public int BlockedClients { get; init; }
    [Id(3)] public int PubSubClients { get; init; }
    [Id(4)] public long TotalConnectionsReceived { get; init; }
    [Id(5)] public long RejectedConnections { get; init; }
    [Id(6)] public long CommandsProcessed { get; init; }
    [Id(7)] public long NetInputBytes { get; init; }
    [Id(8)] public long NetOutputBytes { get; init; }
    [Id(9)] public long UsedMemory { get; init; }
    [Id(10)] public long ResidentMemory { get; init; }
    [Id(11)] public CommandStat[] Commands { get; init; } = [];
    [Id(12)] public ErrorStat[] Errors { get; init; } = [];
    [Id(13)] public SlowLogEntry[] SlowLog { get; init; } = [];
    [Id(14)] public long TotalErrorReplies { get; init; }
    [Id(15)] public long MaxClients { get; init; }
    /// <summary>Slots of this node's silo running one batch longer than busy-reply-threshold (INFO slots).</summary>
    [Id(16)] public SlotRunning[] LongRunning { get; init; } = [];
}
