using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Cluster;

namespace OrleansLua.Grains.Cluster;

/// <summary>
/// How slots are spread over the nodes that are up, as redis-cli --cluster create and rebalance would do
/// by hand: every node gets 16384/N slots (the first 16384 mod N nodes, by current share, one more); a node
/// keeps what it has up to its share, gives its surplus from the end of its ranges, and slots of nodes that
/// are gone plus the surplus go, in slot order, in contiguous runs to the nodes short of their share. So a
/// first assignment is N contiguous ranges, a join moves 16384/(N+1) slots and a leave moves only the
/// leaver's.
/// </summary>
public static class SlotAssignment
{
    /// <summary>New owners for <paramref name="owners"/> (indexes into the node list) over the nodes in <paramref name="up"/>.</summary>
    public static ushort[] Balance(ushort[] owners, IReadOnlyList<int> up)
    {
        var result = (ushort[])owners.Clone();
        if (up.Count == 0)
        {
            Array.Fill(result, SlotMap.NoOwner);
            return result;
        }
        var live = up.ToHashSet();
        var held = up.ToDictionary(n => n, _ => new List<int>());
        var pool = new List<int>();
        for (int slot = 0; slot < HashSlot.Count; slot++)
        {
            if (owners[slot] != SlotMap.NoOwner && live.Contains(owners[slot])) held[owners[slot]].Add(slot);
            else pool.Add(slot);
        }

        // Shares: the nodes holding the most get the remainder's extra slot, so fewer slots move.
        int share = HashSlot.Count / up.Count, extra = HashSlot.Count % up.Count;
        var target = new Dictionary<int, int>();
        foreach (var node in up.OrderByDescending(n => held[n].Count).ThenBy(n => n))
            target[node] = share + (extra-- > 0 ? 1 : 0);

        foreach (var node in up)
        {
            var slots = held[node];
            int surplus = slots.Count - target[node];
            if (surplus <= 0) continue;
            pool.AddRange(slots.GetRange(slots.Count - surplus, surplus)); // from the end of its ranges
            slots.RemoveRange(slots.Count - surplus, surplus);
        }
        pool.Sort();

        int next = 0;
        foreach (var node in up.OrderBy(n => n))
        {
            int deficit = target[node] - held[node].Count;
            for (int i = 0; i < deficit; i++) result[pool[next++]] = (ushort)node;
        }
        return result;
    }
}
