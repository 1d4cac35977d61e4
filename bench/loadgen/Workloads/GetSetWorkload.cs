using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>80 % GET / 20 % SET on random keys key:&lt;m&gt; (<see cref="SlotKeys"/>), 32-byte values (the classic cache mix).</summary>
public sealed class GetSetWorkload(int keys) : Workload
{
    private static readonly byte[] Value = "0123456789abcdef0123456789abcdef"u8.ToArray(); // 32 bytes
    private readonly byte[][] _keys = SlotKeys.Build("key:", keys);

    public override IRequestSource CreateSource(int connection, int connections) => new Source(_keys);

    private sealed class Source(byte[][] keys) : IRequestSource
    {
        private readonly Random _random = new();

        public int Write(RespWriter writer)
        {
            int key = _random.Next(keys.Length);
            if (_random.Next(5) == 0)
            {
                writer.Array(3);
                writer.Bulk("SET"u8);
                writer.Bulk(keys[key]);
                writer.Bulk(Value);
            }
            else
            {
                writer.Array(2);
                writer.Bulk("GET"u8);
                writer.Bulk(keys[key]);
            }
            return SlotKeys.SlotOf(key);
        }
    }
}
