
namespace OrleansLua.GrainInterfaces.Cluster;

/// <summary>
/// The cluster's slot map coordinator (one grain, key 0): it assigns slots to the nodes that joined,
/// re-assigns them when membership changes (a joining silo takes its share, a leaving or dead one's slots
/// go to the others, moving as few as possible) and pushes every new map to every follower. It keeps no
/// storage: followers and nodes present the map they know every few seconds, so a new activation of it
/// (after its silo went away) continues from the newest one.
/// </summary>
public interface ISlotMapGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// A process (silo or standalone gateway) follows the map: new maps are pushed to it. <paramref name="node"/>:
    /// the node its silo is (null for a standalone gateway), so nodes that gain slots learn it first. Returns the current map.
    /// </summary>
    Task<SlotMap> Follow(ISlotMapObserver follower, SlotMap? known, string? node);

    /// <summary>A silo whose gateway listens offers itself as a node (again every few seconds). Returns the map with it.</summary>
    Task<SlotMap> Join(ClusterNode node, SlotMap? known);

    /// <summary>A silo shuts down gracefully: its slots go to the other nodes. Returns the map without it.</summary>
    Task<SlotMap> Leave(SiloAddress silo);
}

/// <summary>A process that holds the slot map (its gateway routes by it; in a silo, placement too).</summary>
public interface ISlotMapObserver : IGrainObserver
{
    Task Apply(SlotMap map);
}
