namespace OrleansLua.GrainInterfaces.Configuration;

/// <summary>
/// Cluster-wide state every silo and gateway follows: the script-cache epoch, the CONFIG SET values
/// and the ACL users. Kept by the script registry grain, which persists the configuration.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ClusterState
{
    /// <summary>Storage names of ACL users: "user:" + name.</summary>
    public const string UserPrefix = "user:";

    [Id(0)] public long ScriptEpoch { get; init; }
    /// <summary>Grows with every configuration change (CONFIG SET, ACL SETUSER/DELUSER).</summary>
    [Id(1)] public long ConfigVersion { get; init; }
    /// <summary>CONFIG parameters by name (normalised values).</summary>
    [Id(2)] public Dictionary<string, string> Settings { get; init; } = [];
    /// <summary>ACL users by name: their rules as ACL LIST prints them (without "user &lt;name&gt;").</summary>
    [Id(3)] public Dictionary<string, string> Users { get; init; } = [];
}
