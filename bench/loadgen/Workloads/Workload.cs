using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>Writes the requests of one connection. Called by one thread at a time, so it may keep state (its own Random).</summary>
public interface IRequestSource
{
    /// <summary>
    /// Appends exactly one request to <paramref name="writer"/> and returns the hash slot of its keys (-1 when it
    /// has none): the cluster mode sends it to that slot's node.
    /// </summary>
    int Write(RespWriter writer);
}

/// <summary>
/// A workload: what to prepare on the server before the run (scripts, initial data), the request
/// stream of each connection, and an optional consistency check afterwards.
/// </summary>
public abstract class Workload
{
    public static readonly IReadOnlyList<string> Names = ["getset", "incr", "evalsha", "ratelimit", "transfer", "hotkey", "spread"];

    public static Workload Create(string name, int keys) => name switch
    {
        "getset" => new GetSetWorkload(keys),
        "incr" => new IncrWorkload(keys),
        "evalsha" => new EvalShaWorkload(keys),
        "ratelimit" => new RateLimitWorkload(keys),
        "transfer" => new TransferWorkload(),
        "hotkey" => new HotKeyWorkload(),
        "spread" => new SpreadWorkload(),
        _ => throw new UsageException($"unknown workload '{name}'"),
    };

    /// <summary>Runs before any load, on every keyspace (each port is one unless in cluster mode, so scripts are loaded on each).</summary>
    public virtual Task SetupAsync(IReadOnlyList<IKeyspace> keyspaces) => Task.CompletedTask;

    public abstract IRequestSource CreateSource(int connection, int connections);

    /// <summary>Runs after every reply is in; null when the workload has nothing to check.</summary>
    public virtual Task<Invariant?> CheckAsync(IReadOnlyList<IKeyspace> keyspaces) => Task.FromResult<Invariant?>(null);

    /// <summary>SCRIPT LOAD on every node of every keyspace; returns the SHA1 (identical everywhere for the same script).</summary>
    protected static async Task<byte[]> LoadScriptAsync(IReadOnlyList<IKeyspace> keyspaces, string script)
    {
        string? sha = null;
        foreach (var keyspace in keyspaces)
        {
            foreach (var node in keyspace.Nodes)
            {
                var reply = await node.CallAsync("SCRIPT", "LOAD", script);
                if (reply.IsError || reply.Text is null)
                    throw new SetupException($"port {node.Port}: SCRIPT LOAD failed: {reply}");
                if (sha is not null && sha != reply.Text)
                    throw new SetupException($"port {node.Port}: SCRIPT LOAD returned {reply.Text}, another port {sha}");
                sha = reply.Text;
            }
        }
        return System.Text.Encoding.ASCII.GetBytes(sha!);
    }
}

/// <summary>
/// Where a workload prepares its data and checks it afterwards: one server behind one port (the ports given
/// may be separate servers), or in cluster mode the whole cluster, whose keyed commands go to their slot's node.
/// </summary>
public interface IKeyspace
{
    /// <summary>For messages: "port 6379", or "cluster".</summary>
    string Name { get; }
    /// <summary>One connection to each node that serves this keyspace (SCRIPT LOAD goes to every one).</summary>
    IReadOnlyList<RespConnection> Nodes { get; }
    /// <summary>Runs a command whose keys hash to one slot, args[1] being one of them, where that slot is served.</summary>
    Task<RespValue> CallAsync(params string[] args);
}

/// <summary>The server refused the workload's preparation; Program reports it and exits with 4.</summary>
public sealed class SetupException(string message) : Exception(message);
