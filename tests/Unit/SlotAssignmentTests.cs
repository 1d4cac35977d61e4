using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Cluster;
using OrleansLua.Grains.Cluster;
using Xunit;

namespace OrleansLua.Tests.Unit;

public class SlotAssignmentTests
{
    private static ushort[] Unassigned() => Enumerable.Repeat(SlotMap.NoOwner, HashSlot.Count).ToArray();

    private static int[] Counts(ushort[] owners, int nodes) =>
        Enumerable.Range(0, nodes).Select(n => owners.Count(o => o == n)).ToArray();

    private static int Ranges(ushort[] owners, int node)
    {
        int ranges = 0;
        for (int s = 0; s < owners.Length; s++)
            if (owners[s] == node && (s == 0 || owners[s - 1] != node)) ranges++;
        return ranges;
    }

    [Fact]
    public void A_first_assignment_is_contiguous_balanced_ranges_as_redis_cli_cluster_create_makes()
    {
        var owners = SlotAssignment.Balance(Unassigned(), [0, 1, 2]);
        Assert.Equal([5462, 5461, 5461], Counts(owners, 3));
        Assert.All(Enumerable.Range(0, 3), n => Assert.Equal(1, Ranges(owners, n)));
        Assert.Equal(0, owners[0]);
        Assert.Equal(2, owners[HashSlot.Count - 1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void A_join_moves_only_the_new_nodes_share_and_only_to_it(int existing)
    {
        var before = SlotAssignment.Balance(Unassigned(), Enumerable.Range(0, existing).ToList());
        var after = SlotAssignment.Balance(before, Enumerable.Range(0, existing + 1).ToList());
        int moved = Enumerable.Range(0, HashSlot.Count).Count(s => before[s] != after[s]);
        Assert.Equal(HashSlot.Count / (existing + 1), moved);
        Assert.All(Enumerable.Range(0, HashSlot.Count).Where(s => before[s] != after[s]), s => Assert.Equal(existing, after[s]));
        var counts = Counts(after, existing + 1);
        Assert.True(counts.Max() - counts.Min() <= 1, string.Join(",", counts));
    }

    [Fact]
    public void A_leave_moves_only_the_leavers_slots_in_contiguous_runs()
    {
        var four = SlotAssignment.Balance(Unassigned(), [0, 1, 2, 3]);
        var three = SlotAssignment.Balance(four, [0, 2, 3]);
        var moved = Enumerable.Range(0, HashSlot.Count).Where(s => four[s] != three[s]).ToList();
        Assert.Equal(4096, moved.Count);
        Assert.All(moved, s => Assert.Equal(1, four[s]));
        Assert.DoesNotContain((ushort)1, three);
        var counts = Counts(three, 4);
        Assert.Equal([5462, 0, 5461, 5461], counts);
        Assert.All(new[] { 0, 2, 3 }, n => Assert.True(Ranges(three, n) <= 2, $"node {n}: {Ranges(three, n)} ranges"));
    }

    [Fact]
    public void Slots_of_a_failed_node_go_to_the_others_and_no_node_means_no_owner()
    {
        var two = SlotAssignment.Balance(Unassigned(), [0, 1]);
        var one = SlotAssignment.Balance(two, [1]);
        Assert.All(one, o => Assert.Equal(1, o));
        Assert.All(SlotAssignment.Balance(one, []), o => Assert.Equal(SlotMap.NoOwner, o));
    }

    [Fact]
    public void The_map_describes_its_ranges_and_counts()
    {
        var node = (string id) => new ClusterNode { Id = id, Silo = SiloAddress.New(System.Net.IPAddress.Loopback, id.Length, 1), Ip = "127.0.0.1", Port = 7000 + id.Length };
        var map = new SlotMap
        {
            Version = 3,
            Nodes = [node("a"), node("bb") with { Failed = true }],
            Owners = SlotAssignment.Balance(Unassigned(), [0]),
            Epochs = new long[HashSlot.Count],
        };
        Assert.Equal([(0, HashSlot.Count - 1, map.Nodes[0])], map.Ranges().ToList());
        Assert.Equal(HashSlot.Count, map.ServedSlots);
        Assert.Equal(0, map.FailedSlots);
        Assert.Equal(40, ClusterNode.IdOf(map.Nodes[0].Silo).Length);
        Assert.Matches("^[0-9a-f]{40}$", ClusterNode.IdOf(map.Nodes[0].Silo));
    }
}
