using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>
/// A sliding-window rate limiter on a sorted set per user (rl:&lt;m&gt;, <see cref="SlotKeys"/>), as rate-limiter libraries do it:
/// drop entries older than the window, count, add "now" when under the limit. Four or five calls per run.
/// </summary>
public sealed class RateLimitWorkload(int keys) : Workload
{
    // ARGV: now (ms), window (ms), limit. The member is now-count: unique within a window, since the
    // count only grows while "now" stays the same (entries of the same ms are never removed).
    public const string Script = """
        local key = KEYS[1]
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local limit = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
        local count = redis.call('ZCARD', key)
        local allowed = 0
        if count < limit then
          redis.call('ZADD', key, now, now .. '-' .. count)
          allowed = 1
        end
        redis.call('PEXPIRE', key, window)
        return allowed
        """;

    private readonly byte[][] _keys = SlotKeys.Build("rl:", keys);
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
            writer.Array(7);
            writer.Bulk("EVALSHA"u8);
            writer.Bulk(sha);
            writer.Bulk("1"u8);
            writer.Bulk(keys[key]);
            writer.Bulk(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            writer.Bulk("1000"u8);
            writer.Bulk("10"u8);
            return SlotKeys.SlotOf(key);
        }
    }
}
