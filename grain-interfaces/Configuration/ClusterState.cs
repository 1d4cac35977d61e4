namespace OrleansLua.GrainInterfaces.Configuration;

/// <summary>
/// Cluster-wide state every silo and gateway follows: the script-cache epoch, the CONFIG SET values,
/// the ACL users and the function libraries. Kept by the cluster configuration grain, which persists it.
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
    /// <summary>Which activation of the configuration grain made this state: versions compare only within one.</summary>
    [Id(4)] public Guid Generation { get; init; }
    /// <summary>FUNCTION LOADed libraries by name (case-insensitive); they change with <see cref="ConfigVersion"/>.</summary>
    [Id(5)] public FunctionLibrary[] Libraries { get; init; } = [];

    /// <summary>A configuration grain that has neither stored nor been given anything (a new activation without storage).</summary>
    public bool IsBlank => ConfigVersion == 0;
}
