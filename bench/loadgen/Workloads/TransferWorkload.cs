using System.Text;
using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>
/// Money transfers between accounts {acct&lt;g&gt;}:&lt;i&gt; of one group (the hash tag puts a group in one slot),
/// by a script that checks the balance and moves the amount. Every transfer keeps a group's sum, so at the
/// end each group must still hold exactly <see cref="GroupTotal"/>: a lost update or a half-applied script shows.
/// </summary>
public sealed class TransferWorkload : Workload
{
    public const int Groups = 100;
    public const int AccountsPerGroup = 10;
    public const int InitialBalance = 1000;
    public const int GroupTotal = AccountsPerGroup * InitialBalance;

    // KEYS: from, to; ARGV: amount. Returns 1 when moved, 0 when the balance is too small.
    public const string Script = """
        local amount = tonumber(ARGV[1])
        local balance = tonumber(redis.call('GET', KEYS[1]) or '0')
        if balance < amount then return 0 end
        redis.call('DECRBY', KEYS[1], amount)
        redis.call('INCRBY', KEYS[2], amount)
        return 1
        """;

    private static readonly byte[][][] Accounts = Enumerable.Range(0, Groups)
        .Select(g => Enumerable.Range(0, AccountsPerGroup).Select(i => Encoding.ASCII.GetBytes(Account(g, i))).ToArray())
        .ToArray();

    private byte[] _sha = [];

    public static string Account(int group, int index) => $"{{acct{group}}}:{index}";

    /// <summary>The slot of each group (its hash tag acct&lt;g&gt;).</summary>
    private static readonly int[] GroupSlots = Enumerable.Range(0, Groups).Select(g => KeySlot.Of(Accounts[g][0])).ToArray();

    /// <summary>Loads the script and resets every account to the initial balance, one MSET per group (one slot each).</summary>
    public override async Task SetupAsync(IReadOnlyList<IKeyspace> keyspaces)
    {
        _sha = await LoadScriptAsync(keyspaces, Script);
        foreach (var keyspace in keyspaces)
        {
            for (int g = 0; g < Groups; g++)
            {
                var args = new List<string> { "MSET" };
                for (int i = 0; i < AccountsPerGroup; i++)
                {
                    args.Add(Account(g, i));
                    args.Add(InitialBalance.ToString());
                }
                var reply = await keyspace.CallAsync([.. args]);
                if (reply.IsError) throw new SetupException($"{keyspace.Name}: MSET failed: {reply}");
            }
        }
    }

    public override IRequestSource CreateSource(int connection, int connections) => new Source(_sha);

    /// <summary>Sums every group on every keyspace (the ports may be separate servers).</summary>
    public override async Task<Invariant?> CheckAsync(IReadOnlyList<IKeyspace> keyspaces)
    {
        var violations = new List<string>();
        foreach (var keyspace in keyspaces)
        {
            for (int g = 0; g < Groups; g++)
            {
                var args = new List<string> { "MGET" };
                for (int i = 0; i < AccountsPerGroup; i++) args.Add(Account(g, i));
                var reply = await keyspace.CallAsync([.. args]);
                if (reply.IsError || reply.Items is null)
                {
                    violations.Add($"{keyspace.Name} group {g}: MGET failed: {reply}");
                    continue;
                }
                long sum = 0;
                foreach (var item in reply.Items)
                    sum += long.TryParse(item.Text, out long v) ? v : 0;
                if (sum != GroupTotal)
                    violations.Add($"{keyspace.Name} group {g}: sum {sum} instead of {GroupTotal} [{string.Join(" ", reply.Items)}]");
            }
        }
        return violations.Count == 0
            ? new Invariant(true, $"{Groups} groups x {AccountsPerGroup} accounts: every group sums to {GroupTotal}")
            : new Invariant(false, $"{violations.Count} group(s) violated: " + string.Join("; ", violations.Take(10)));
    }

    private sealed class Source(byte[] sha) : IRequestSource
    {
        private readonly Random _random = new();

        public int Write(RespWriter writer)
        {
            int g = _random.Next(Groups);
            var group = Accounts[g];
            int from = _random.Next(AccountsPerGroup);
            int to = _random.Next(AccountsPerGroup - 1);
            if (to >= from) to++;
            writer.Array(6);
            writer.Bulk("EVALSHA"u8);
            writer.Bulk(sha);
            writer.Bulk("2"u8);
            writer.Bulk(group[from]);
            writer.Bulk(group[to]);
            writer.Bulk(_random.Next(1, 11));
            return GroupSlots[g];
        }
    }
}
