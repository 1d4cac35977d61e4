namespace OrleansLua.Client.Gateway;

/// <summary>Where the RESP gateway listens. Bound from configuration section "Gateway" (and --port/--bind).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    public int Port { get; set; } = 6379;
    public string Bind { get; set; } = "127.0.0.1";
    /// <summary>Commands parsed from one read before they are executed (bounds memory per connection).</summary>
    public int MaxPipelineDepth { get; set; } = 1024;
    /// <summary>What CONFIG GET appendonly / appendfsync and INFO persistence report: the co-hosted silo's storage.</summary>
    public bool AppendOnly { get; set; }
    public string AppendFsync { get; set; } = "everysec";
    /// <summary>
    /// CONFIG parameters given in configuration (--requirepass, --maxclients, …; section Gateway:Settings).
    /// A starting node writes them into the cluster's configuration, so every node runs with what the
    /// operator configured; CONFIG SET changes them at run time.
    /// </summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
