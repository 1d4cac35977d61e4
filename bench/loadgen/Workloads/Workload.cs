using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen.Workloads;

/// <summary>Writes the requests of one connection. Called by one thread at a time, so it may keep state (its own Random).</summary>
public interface IRequestSource
{
    /// <summary>Appends exactly one request to <paramref name="writer"/>.</summary>
    void Write(RespWriter writer);
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

    /// <summary>Runs before any load, with one connection per port (ports may be separate servers, so scripts are loaded on each).</summary>
    public virtual Task SetupAsync(IReadOnlyList<RespConnection> perPort) => Task.CompletedTask;

    public abstract IRequestSource CreateSource(int connection, int connections);

    /// <summary>Runs after every reply is in; null when the workload has nothing to check.</summary>
    public virtual Task<Invariant?> CheckAsync(IReadOnlyList<RespConnection> perPort) => Task.FromResult<Invariant?>(null);

    /// <summary>SCRIPT LOAD on every port; returns the SHA1 (identical everywhere for the same script).</summary>
    protected static async Task<byte[]> LoadScriptAsync(IReadOnlyList<RespConnection> perPort, string script)
    {
        string? sha = null;
        foreach (var connection in perPort)
        {
            var reply = await connection.CallAsync("SCRIPT", "LOAD", script);
            if (reply.IsError || reply.Text is null)
                throw new SetupException($"port {connection.Port}: SCRIPT LOAD failed: {reply}");
            if (sha is not null && sha != reply.Text)
                throw new SetupException($"port {connection.Port}: SCRIPT LOAD returned {reply.Text}, another port {sha}");
            sha = reply.Text;
        }
        return System.Text.Encoding.ASCII.GetBytes(sha!);
    }
}

/// <summary>The server refused the workload's preparation; Program reports it and exits with 4.</summary>
public sealed class SetupException(string message) : Exception(message);
