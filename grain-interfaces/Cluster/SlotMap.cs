using System.Security.Cryptography;
using System.Text;

namespace OrleansLua.GrainInterfaces.Cluster;

/// <summary>
/// A node of the cluster as Redis Cluster clients see it: a silo with its co-hosted RESP gateway. The id
/// is 40 hex characters derived from the silo's address (so stable for the silo's lifetime, new after a
/// restart); the endpoint is what the node announces (--announce-ip/--announce-port/--announce-hostname).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClusterNode
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required SiloAddress Silo { get; init; }
    [Id(2)] public required string Ip { get; init; }
    [Id(3)] public required int Port { get; init; }
    [Id(4)] public string Hostname { get; init; } = "";
    /// <summary>The Orleans silo port, shown where Redis shows its cluster bus port.</summary>
    [Id(5)] public int BusPort { get; init; }
    /// <summary>Its silo was declared dead: it owns no slots any more and is listed (flag fail) for a while.</summary>
    [Id(6)] public bool Failed { get; init; }
    /// <summary>The map version that last changed this node (Redis's config epoch of a node).</summary>
    [Id(7)] public long Epoch { get; init; }

    public string Endpoint => $"{Ip}:{Port}";

    /// <summary>Redis's node name: 40 lower-case hex characters, here a SHA-1 of the silo address.</summary>
    public static string IdOf(SiloAddress silo) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(silo.ToParsableString())));
}

/// <summary>
/// Which node owns each of the 16384 slots, at one version of the cluster's configuration. The map decides
/// where a slot's shard grain is placed and where cluster clients send its requests; correctness never
/// depends on it (a request always reaches the slot's single activation), only locality does.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class SlotMap
{
    public const ushort NoOwner = ushort.MaxValue;

    /// <summary>Grows with every change (Redis's cluster current epoch).</summary>
    [Id(0)] public required long Version { get; init; }
    /// <summary>Every node the map knows, owners and failed ones, in join order.</summary>
    [Id(1)] public required ClusterNode[] Nodes { get; init; }
    /// <summary>Per slot: the index of its owner in <see cref="Nodes"/>, or <see cref="NoOwner"/>.</summary>
    [Id(2)] public required ushort[] Owners { get; init; }
    /// <summary>Per slot: the version at which it got its current owner.</summary>
    [Id(3)] public required long[] Epochs { get; init; }

    public static SlotMap Empty { get; } = new()
    {
        Version = 0,
        Nodes = [],
        Owners = Enumerable.Repeat(NoOwner, HashSlot.Count).ToArray(),
        Epochs = new long[HashSlot.Count],
    };

    public ClusterNode? Owner(int slot) => Owners[slot] is var index && index != NoOwner ? Nodes[index] : null;

    public ClusterNode? Find(SiloAddress silo) => Array.Find(Nodes, n => n.Silo.Equals(silo));

    public ClusterNode? FindById(string id) => Array.Find(Nodes, n => n.Id == id);

    public int IndexOf(SiloAddress silo) => Array.FindIndex(Nodes, n => n.Silo.Equals(silo));

    /// <summary>Slots served by a node that is up.</summary>
    public int ServedSlots => Owners.Count(o => o != NoOwner && !Nodes[o].Failed);

    /// <summary>Slots whose owner is known to have failed.</summary>
    public int FailedSlots => Owners.Count(o => o != NoOwner && Nodes[o].Failed);

    public int AssignedSlots => Owners.Count(o => o != NoOwner);

    /// <summary>Contiguous runs of slots with one owner, in slot order.</summary>
    public IEnumerable<(int Start, int End, ClusterNode Node)> Ranges()
    {
        int start = 0;
        for (int slot = 1; slot <= HashSlot.Count; slot++)
        {
            if (slot < HashSlot.Count && Owners[slot] == Owners[start]) continue;
            if (Owners[start] != NoOwner) yield return (start, slot - 1, Nodes[Owners[start]]);
            start = slot;
        }
    }

    /// <summary>One node's ranges, in slot order.</summary>
    public IEnumerable<(int Start, int End)> RangesOf(ClusterNode node) =>
        Ranges().Where(r => r.Node.Id == node.Id).Select(r => (r.Start, r.End));

    public int SlotCount(ClusterNode node)
    {
        int index = Array.FindIndex(Nodes, n => n.Id == node.Id);
        return index < 0 ? 0 : Owners.Count(o => o == index);
    }
}
