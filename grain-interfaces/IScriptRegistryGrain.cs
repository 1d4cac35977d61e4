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

    /// <summary>Forgets every script; returns the new state (its script epoch is bumped).</summary>
    Task<SiloState> Flush();

    /// <summary>The state every silo must follow (script epoch, CONFIG SET values).</summary>
    Task<SiloState> State();

    /// <summary>CONFIG SET: records the cluster's settings; returns the new state to apply to silos.</summary>
    Task<SiloState> SetConfig(Dictionary<string, long> settings);

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
