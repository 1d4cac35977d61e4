using OrleansLua.GrainInterfaces.Configuration;

namespace OrleansLua.GrainInterfaces;

/// <summary>
/// The cluster's configuration (one grain, key 0): CONFIG SET values, ACL users and the script-cache
/// epoch, with a version that only grows. Every change is stored before it is acknowledged and applied
/// here one at a time, so two administrators never overwrite each other's ACL rules. Nodes follow
/// <see cref="State"/>.
/// </summary>
public interface IClusterConfigGrain : IGrainWithIntegerKey
{
    Task<ClusterState> State();

    /// <summary>CONFIG SET (values already validated by the caller); requirepass also rewrites the default user's password.</summary>
    Task<ClusterState> Configure(Dictionary<string, string> settings);

    /// <summary>ACL SETUSER: the rules apply to the stored user (created when missing), all or nothing.</summary>
    Task<ConfigChangeResult> SetUser(string name, string[] rules);

    /// <summary>ACL DELUSER; names that do not exist are skipped (the result says how many were deleted).</summary>
    Task<ConfigChangeResult> DeleteUsers(string[] names);

    /// <summary>FUNCTION LOAD [REPLACE]: the library is run, checked and stored, or Redis's error is answered (Name: the library's).</summary>
    Task<ConfigChangeResult> LoadLibrary(byte[] code, bool replace);

    /// <summary>FUNCTION DELETE; Count 0: no such library.</summary>
    Task<ConfigChangeResult> DeleteLibrary(string name);

    /// <summary>FUNCTION RESTORE of a payload's library codes; policy "flush", "append" or "replace". Error: Redis's, nothing changed.</summary>
    Task<ConfigChangeResult> RestoreLibraries(byte[][] codes, string policy);

    /// <summary>FUNCTION FLUSH.</summary>
    Task<ClusterState> FlushLibraries();

    /// <summary>SCRIPT FLUSH happened: silos drop their compiled scripts.</summary>
    Task<ClusterState> BumpScriptEpoch();

    /// <summary>
    /// A new activation without storage knows nothing: the first node that still has the cluster's
    /// configuration hands it back (only taken while this activation has had no change of its own).
    /// </summary>
    Task<ClusterState> Restore(ClusterState known);
}

[GenerateSerializer, Immutable]
public sealed class ConfigChangeResult
{
    [Id(0)] public ClusterState? State { get; init; }
    /// <summary>Why a rule was refused (Redis's reason text), or null.</summary>
    [Id(1)] public string? Error { get; init; }
    [Id(2)] public int Count { get; init; }
    /// <summary>FUNCTION LOAD: the loaded library's name.</summary>
    [Id(3)] public string? Name { get; init; }
}
