using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>80 % GET / 20 % SET on random keys key:&lt;n&gt;, 32-byte values (the classic cache mix).</summary>
public sealed class GetSetWorkload(int keys) : Workload
{
    private static readonly byte[] Value = "0123456789abcdef0123456789abcdef"u8.ToArray(); // 32 bytes

    public override IRequestSource CreateSource(int connection, int connections) => new Source(keys);

    private sealed class Source(int keys) : IRequestSource
    {
        private readonly Random _random = new();

        public void Write(RespWriter writer)
        {
            int key = _random.Next(keys);
            if (_random.Next(5) == 0)
            {
                writer.Array(3);
                writer.Bulk("SET"u8);
                writer.Bulk("key:"u8, key);
                writer.Bulk(Value);
            }
            else
            {
                writer.Array(2);
                writer.Bulk("GET"u8);
                writer.Bulk("key:"u8, key);
            }
        }
    }
}
