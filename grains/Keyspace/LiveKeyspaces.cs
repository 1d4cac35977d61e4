using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Diagnostics;

namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// The keyspaces of the shard grains active in this silo, by slot, so the keys gauge can add them up
/// without a grain call (a busy slot could not answer one). Written on activation and deactivation only.
/// </summary>
public sealed class LiveKeyspaces
{
    private readonly Keyspace?[] _bySlot = new Keyspace?[HashSlot.Count];

    public LiveKeyspaces(OrleansLuaTelemetry telemetry) =>
        telemetry.ObserveKeyspaces(() => KeyCount, () => Sum(static k => k.VolatileCount), CountSlots);

    public void Activated(int slot, Keyspace keys) => Volatile.Write(ref _bySlot[slot], keys);

    /// <summary>Keys held by this silo's slots now (the keys gauge).</summary>
    public long KeyCount => Sum(static k => k.Count);

    public bool IsActive(int slot) => Volatile.Read(ref _bySlot[slot]) is not null;

    /// <summary>Slots with an activation in this silo now, ascending.</summary>
    public List<int> ActiveSlots()
    {
        var slots = new List<int>();
        for (int slot = 0; slot < _bySlot.Length; slot++)
            if (Volatile.Read(ref _bySlot[slot]) is not null) slots.Add(slot);
        return slots;
    }

    /// <summary>Only if it is still this activation's (a newer one may have registered already).</summary>
    public void Deactivated(int slot, Keyspace keys) => Interlocked.CompareExchange(ref _bySlot[slot], null, keys);

    /// <summary>
    /// Reads each slot's counts from the metrics thread while its grain may be writing: a count can be a
    /// moment stale, which a gauge tolerates; nothing is enumerated, so nothing can break.
    /// </summary>
    private long Sum(Func<Keyspace, int> count)
    {
        long total = 0;
        foreach (var keys in _bySlot)
            if (keys is not null) total += count(keys);
        return total;
    }

    private int CountSlots()
    {
        int slots = 0;
        foreach (var keys in _bySlot)
            if (keys is not null) slots++;
        return slots;
    }
}
