namespace OrleansLua.GrainInterfaces.Cluster;

/// <summary>
/// This process's copy of the slot map, newest version wins. The gateway routes and answers CLUSTER
/// commands from it, and in a silo the placement director places shard grains by it. <see cref="Local"/>
/// is this silo's own node once it has joined (null in a standalone gateway).
/// </summary>
public sealed class SlotMapFollower
{
    private readonly Lock _lock = new();
    private SlotMap _map = SlotMap.Empty;

    public SlotMap Current => Volatile.Read(ref _map);

    public ClusterNode? Local { get; set; }

    /// <summary>A newer map was applied (called outside the lock, in version order per applier).</summary>
    public event Action<SlotMap, SlotMap>? Changed;

    /// <summary>Takes the map if it is newer than the one held; true if it did.</summary>
    public bool Apply(SlotMap map)
    {
        SlotMap previous;
        lock (_lock)
        {
            previous = _map;
            if (map.Version <= previous.Version) return false;
            Volatile.Write(ref _map, map);
        }
        Changed?.Invoke(previous, map);
        return true;
    }

    /// <summary>Whether this silo owns the slot in the current map (false in a standalone gateway).</summary>
    public bool OwnsLocally(int slot)
    {
        var local = Local;
        return local is not null && Current.Owner(slot)?.Id == local.Id;
    }
}
