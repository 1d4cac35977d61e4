using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Cluster;

namespace OrleansLua.Grains.Cluster;

/// <summary>
/// The slot map coordinator. Nodes join when their gateway listens and leave before their silo stops;
/// once a second it checks Orleans membership and takes the slots of silos that died or stopped without
/// leaving. Every change is one new map version, pushed to every follower (followers keep only the newest):
/// first to the processes of the nodes that gain slots, then to the rest, so no gateway redirects a client to
/// a node that does not know yet that it owns the slot. Non-reentrant: changes apply one at a time.
/// </summary>
[KeepAlive]
public sealed class SlotMapGrain(IClusterMembershipService membership, ILogger<SlotMapGrain> logger)
    : Grain, ISlotMapGrain, IGrainMigrationParticipant
{
    private const string StateKey = "map";

    /// <summary>Followers refresh every 5 s; three missed refreshes drop one.</summary>
    private static readonly TimeSpan FollowerExpiry = TimeSpan.FromSeconds(15);
    /// <summary>How long a failed node stays listed (flag fail, no slots), as a Redis Cluster keeps a failed node until FORGET.</summary>
    private static readonly TimeSpan FailedNodeListed = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(5);

    private SlotMap _map = SlotMap.Empty;
    /// <summary>Each follower, when it last followed, and the node it hosts (null: a standalone gateway, or not joined yet).</summary>
    private readonly Dictionary<ISlotMapObserver, (DateTime Seen, string? Node)> _followers = [];
    private readonly Dictionary<string, DateTime> _failedAt = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(CheckMembership, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ShutdownMigration.OnDeactivating(this, reason);
        return Task.CompletedTask;
    }

    public void OnDehydrate(IDehydrationContext context) =>
        context.TryAddValue(StateKey, new SlotMapState(_map, _followers.Select(f => new SlotMapFollowerState(f.Key, f.Value.Node)).ToArray()));

    public void OnRehydrate(IRehydrationContext context)
    {
        if (!context.TryGetValue(StateKey, out SlotMapState? state)) return;
        _map = state.Map;
        foreach (var follower in state.Followers) _followers[follower.Observer] = (DateTime.UtcNow, follower.Node);
    }

    public async Task<SlotMap> Follow(ISlotMapObserver follower, SlotMap? known, string? node)
    {
        _followers[follower] = (DateTime.UtcNow, node);
        await AdoptAsync(known);
        return _map;
    }

    public async Task<SlotMap> Join(ClusterNode node, SlotMap? known)
    {
        await AdoptAsync(known);
        int index = _map.IndexOf(node.Silo);
        if (index >= 0 && !_map.Nodes[index].Failed)
        {
            var listed = _map.Nodes[index];
            if (listed.Endpoint == node.Endpoint && listed.Hostname == node.Hostname) return _map;
            var nodes = (ClusterNode[])_map.Nodes.Clone();
            nodes[index] = listed with { Ip = node.Ip, Port = node.Port, Hostname = node.Hostname };
            await PublishAsync(nodes, _map.Owners, $"node {node.Id} announces {node.Endpoint}");
            return _map;
        }
        if (membership.CurrentSnapshot.GetSiloStatus(node.Silo).IsTerminating()) return _map; // a late heartbeat of a silo that is going away
        await RebalanceAsync([.. _map.Nodes, node with { Failed = false }], $"node {node.Id} ({node.Endpoint}) joined");
        return _map;
    }

    public async Task<SlotMap> Leave(SiloAddress silo)
    {
        var node = _map.Find(silo);
        if (node is null) return _map;
        await RebalanceAsync(_map.Nodes.Where(n => !n.Silo.Equals(silo)).ToArray(), $"node {node.Id} ({node.Endpoint}) leaves");
        return _map;
    }

    /// <summary>A new activation continues from the newest map a follower or node presents.</summary>
    private async Task AdoptAsync(SlotMap? known)
    {
        if (known is null || known.Version <= _map.Version) return;
        var joined = _map.Nodes.Where(n => !n.Failed && known.Find(n.Silo) is null).ToList();
        logger.LogInformation("Slot map continues from version {Version} ({Nodes} nodes) presented by a follower", known.Version, known.Nodes.Length);
        _map = known;
        if (joined.Count > 0) await RebalanceAsync([.. _map.Nodes, .. joined], $"{joined.Count} nodes joined meanwhile");
    }

    /// <summary>Silos that died lose their slots (listed as failed for a while); silos that stop without leaving are dropped.</summary>
    private async Task CheckMembership(CancellationToken cancellation)
    {
        var snapshot = membership.CurrentSnapshot;
        var now = DateTime.UtcNow;
        bool changed = false;
        var nodes = _map.Nodes.ToList();
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            var node = nodes[i];
            var status = snapshot.GetSiloStatus(node.Silo);
            if (node.Failed)
            {
                if (now - _failedAt.GetValueOrDefault(node.Id, now) < FailedNodeListed) continue;
                nodes.RemoveAt(i);
                _failedAt.Remove(node.Id);
                changed = true;
            }
            else if (status == SiloStatus.Dead)
            {
                nodes[i] = node with { Failed = true };
                _failedAt[node.Id] = now;
                changed = true;
                logger.LogWarning("Node {Node} ({Endpoint}): its silo {Silo} was declared dead; its slots go to the other nodes", node.Id, node.Endpoint, node.Silo);
            }
            else if (status.IsTerminating())
            {
                nodes.RemoveAt(i);
                changed = true;
                logger.LogInformation("Node {Node} ({Endpoint}): its silo {Silo} stops without leaving; its slots go to the other nodes", node.Id, node.Endpoint, node.Silo);
            }
        }
        foreach (var stale in _followers.Where(f => now - f.Value.Seen > FollowerExpiry).Select(f => f.Key).ToList()) _followers.Remove(stale);
        if (changed) await RebalanceAsync(nodes.ToArray(), "membership changed");
    }

    /// <summary>A new map over <paramref name="nodes"/>: slots of nodes that are gone or failed, and surplus, go to the others.</summary>
    private Task RebalanceAsync(ClusterNode[] nodes, string reason)
    {
        // Owners as indexes into the new node list; slots of nodes no longer listed have none.
        var owners = new ushort[HashSlot.Count];
        var indexOf = nodes.Select((n, i) => (n.Id, i)).ToDictionary(p => p.Id, p => (ushort)p.i);
        for (int slot = 0; slot < HashSlot.Count; slot++)
            owners[slot] = _map.Owner(slot) is { } owner && indexOf.TryGetValue(owner.Id, out var index) ? index : SlotMap.NoOwner;
        var up = Enumerable.Range(0, nodes.Length).Where(i => !nodes[i].Failed).ToList();
        return PublishAsync(nodes, SlotAssignment.Balance(owners, up), reason);
    }

    private async Task PublishAsync(ClusterNode[] nodes, ushort[] owners, string reason)
    {
        long version = _map.Version + 1;
        var epochs = (long[])_map.Epochs.Clone();
        var changedNodes = new HashSet<string>(StringComparer.Ordinal);
        var gainers = new HashSet<string>(StringComparer.Ordinal);
        int moved = 0;
        for (int slot = 0; slot < HashSlot.Count; slot++)
        {
            var before = _map.Owner(slot)?.Id;
            var after = owners[slot] == SlotMap.NoOwner ? null : nodes[owners[slot]].Id;
            if (before == after) continue;
            epochs[slot] = version;
            moved++;
            if (before is not null) changedNodes.Add(before);
            if (after is not null) changedNodes.Add(after);
            if (after is not null) gainers.Add(after);
        }
        var stamped = nodes.Select(n => changedNodes.Contains(n.Id) || _map.FindById(n.Id) is null ? n with { Epoch = version } : n).ToArray();
        _map = new SlotMap { Version = version, Nodes = stamped, Owners = owners, Epochs = epochs };
        logger.LogInformation("Slot map version {Version}: {Reason}; {Moved} slots change owner, {Nodes} nodes serve {Served} slots",
            version, reason, moved, stamped.Count(n => !n.Failed), _map.ServedSlots);
        var map = _map;
        var first = _followers.Where(f => f.Value.Node is { } node && gainers.Contains(node)).Select(f => f.Key).ToList();
        await Task.WhenAll(first.Select(f => PushAsync(f, map)));
        foreach (var follower in _followers.Keys.Except(first).ToList()) _ = PushAsync(follower, map);
    }

    private async Task PushAsync(ISlotMapObserver follower, SlotMap map)
    {
        try
        {
            await follower.Apply(map).WaitAsync(PushTimeout);
        }
        catch (Exception ex)
        {
            // it follows again within its refresh period (and gets the newest map then)
            logger.LogDebug(ex, "Slot map version {Version} did not reach a follower", map.Version);
        }
    }
}

/// <summary>What the coordinator hands to its next activation when its silo shuts down.</summary>
[GenerateSerializer, Immutable]
public sealed record SlotMapState([property: Id(0)] SlotMap Map, [property: Id(1)] SlotMapFollowerState[] Followers);

[GenerateSerializer, Immutable]
public sealed record SlotMapFollowerState([property: Id(0)] ISlotMapObserver Observer, [property: Id(1)] string? Node);
