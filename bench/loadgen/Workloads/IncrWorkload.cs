using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>INCR on random keys ctr:&lt;n&gt;: a read-modify-write per request, spread over the key space.</summary>
public sealed class IncrWorkload(int keys) : Workload
{
    public override IRequestSource CreateSource(int connection, int connections) => new Source(keys);

    private sealed class Source(int keys) : IRequestSource
    {
        private readonly Random _random = new();

        public void Write(RespWriter writer)
        {
            writer.Array(2);
            writer.Bulk("INCR"u8);
            writer.Bulk("ctr:"u8, _random.Next(keys));
        }
    }
}
