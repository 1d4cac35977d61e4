namespace OrleansLua.GrainInterfaces;

/// <summary>
/// The cluster-wide script cache (one grain, key 0): SCRIPT LOAD through any gateway makes a SHA
/// runnable everywhere. Silos keep a local cache in front of it.
/// </summary>
public interface IScriptRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Compiles and stores a script; returns its SHA1, or the Redis compile error.</summary>
    Task<ScriptLoadResult> Load(byte[] body);

    /// <summary>Stores a script that a shard already ran (EVAL); such scripts are evicted least recently used.</summary>
    Task Register(string sha, byte[] body);

    Task<byte[]?> Get(string sha);

    Task<bool[]> Exists(string[] shas);

    /// <summary>Forgets every script (SCRIPT FLUSH); the caller bumps the script epoch the silos follow.</summary>
    Task Flush();

    /// <summary>A slot's script has run past busy-reply-threshold (so SCRIPT KILL can find it).</summary>
    Task MarkBusy(int slot);

    Task UnmarkBusy(int slot);

    Task<int[]> BusySlots();
}

[GenerateSerializer, Immutable]
public sealed class ScriptLoadResult
{
    [Id(0)] public string? Sha { get; init; }
    [Id(1)] public string? Error { get; init; }
}

/// <summary>Runs scripts that declare no keys (numkeys = 0): they may touch no key.</summary>
public interface IScriptWorkerGrain : IGrainWithIntegerKey
{
    Task<byte[]> Execute(ShardBatch batch);
}
