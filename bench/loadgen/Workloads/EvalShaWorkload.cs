using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>EVALSHA of a one-call script (INCR) on random keys ev:&lt;n&gt;: the fixed cost of running a script.</summary>
public sealed class EvalShaWorkload(int keys) : Workload
{
    public const string Script = "return redis.call('INCR', KEYS[1])";
    private byte[] _sha = [];

    public override async Task SetupAsync(IReadOnlyList<RespConnection> perPort) =>
        _sha = await LoadScriptAsync(perPort, Script);

    public override IRequestSource CreateSource(int connection, int connections) => new Source(_sha, keys);

    private sealed class Source(byte[] sha, int keys) : IRequestSource
    {
        private readonly Random _random = new();

        public void Write(RespWriter writer)
        {
            writer.Array(4);
            writer.Bulk("EVALSHA"u8);
            writer.Bulk(sha);
            writer.Bulk("1"u8);
            writer.Bulk("ev:"u8, _random.Next(keys));
        }
    }
}
