using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>INCR on random keys ctr:&lt;m&gt; (<see cref="SlotKeys"/>): a read-modify-write per request, spread over the key space.</summary>
public sealed class IncrWorkload(int keys) : Workload
{
    private readonly byte[][] _keys = SlotKeys.Build("ctr:", keys);

    public override IRequestSource CreateSource(int connection, int connections) => new Source(_keys);

    private sealed class Source(byte[][] keys) : IRequestSource
    {
        private readonly Random _random = new();

        public int Write(RespWriter writer)
        {
            int key = _random.Next(keys.Length);
            writer.Array(2);
            writer.Bulk("INCR"u8);
            writer.Bulk(keys[key]);
            return SlotKeys.SlotOf(key);
        }
    }
}
