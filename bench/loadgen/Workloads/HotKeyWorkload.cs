using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>INCR on the single key "hot": every request lands in one slot, the worst case for a sharded keyspace.</summary>
public sealed class HotKeyWorkload : Workload
{
    private static readonly int Slot = KeySlot.Of("hot"u8);

    public override IRequestSource CreateSource(int connection, int connections) => new Source();

    private sealed class Source : IRequestSource
    {
        public int Write(RespWriter writer)
        {
            writer.Array(2);
            writer.Bulk("INCR"u8);
            writer.Bulk("hot"u8);
            return Slot;
        }
    }
}
