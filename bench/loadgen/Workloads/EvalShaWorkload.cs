using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>EVALSHA of a one-call script (INCR) on random keys ev:&lt;m&gt; (<see cref="SlotKeys"/>): the fixed cost of running a script.</summary>
public sealed class EvalShaWorkload(int keys) : Workload
{
    public const string Script = "return redis.call('INCR', KEYS[1])";
    private readonly byte[][] _keys = SlotKeys.Build("ev:", keys);
    private byte[] _sha = [];

    public override async Task SetupAsync(IReadOnlyList<IKeyspace> keyspaces) =>
        _sha = await LoadScriptAsync(keyspaces, Script);

    public override IRequestSource CreateSource(int connection, int connections) => new Source(_sha, _keys);

    private sealed class Source(byte[] sha, byte[][] keys) : IRequestSource
    {
        private readonly Random _random = new();

        public int Write(RespWriter writer)
        {
            int key = _random.Next(keys.Length);
            writer.Array(4);
            writer.Bulk("EVALSHA"u8);
            writer.Bulk(sha);
            writer.Bulk("1"u8);
            writer.Bulk(keys[key]);
            return SlotKeys.SlotOf(key);
        }
    }
}
