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

    /// <summary>How many scripts the cluster knows (INFO's number_of_cached_scripts).</summary>
    Task<int> Count();

    /// <summary>Forgets every script (SCRIPT FLUSH); the caller bumps the script epoch the silos follow.</summary>
    Task Flush();

    /// <summary>
    /// A script (of a slot, or keyless) has run past busy-reply-threshold: SCRIPT KILL can find it now. True
    /// when its client has already disconnected: the caller stops it.
    /// </summary>
    Task<bool> MarkBusy(BusyScript script);

    Task UnmarkBusy(long scriptId);

    /// <summary>SCRIPT KILL: asks every silo that runs a busy script to stop it. False if none was running.</summary>
    Task<bool> KillBusy();

    /// <summary>A client disconnected while its commands ran: its busy script stops, now or when it is reported.</summary>
    Task ClientGone(string client);
}

/// <summary>
/// A script past busy-reply-threshold: its id on the silo that runs it, its slot (-1: keyless), that silo's
/// script host and the client that waits for it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BusyScript([property: Id(0)] long Id, [property: Id(1)] int Slot, [property: Id(2)] IScriptHostObserver Host,
    [property: Id(3)] string? Client);

/// <summary>A silo's script host, reached by the registry to stop a script running there.</summary>
public interface IScriptHostObserver : IGrainObserver
{
    /// <summary>Stops the script at its next hook (it rolls back). False if it has already ended.</summary>
    Task<bool> Kill(long scriptId);
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
