namespace OrleansLua.Client.Gateway;

/// <summary>Where the RESP gateway listens. Bound from configuration section "Gateway" (and --port/--bind).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    public int Port { get; set; } = 6379;
    public string Bind { get; set; } = "127.0.0.1";
    /// <summary>
    /// What this node tells cluster clients (CLUSTER SLOTS/SHARDS/NODES, MOVED), as Redis's cluster-announce-*:
    /// by default the bind address (or, when it is a wildcard, the silo's advertised address) and the bound port.
    /// </summary>
    public string? AnnounceIp { get; set; }
    public int? AnnouncePort { get; set; }
    public string? AnnounceHostname { get; set; }
    /// <summary>
    /// Set in a standalone gateway (an Orleans client): a call that goes through a silo to a grain on another silo
    /// that dies is never answered (only the forwarding silo could notice), so a batch without a script that gets
    /// no answer within busy-reply-threshold + 5 s counts as lost on a dead silo (<see cref="SlotRouter.FanOutBound"/>).
    /// </summary>
    public bool BoundCalls { get; set; }

    /// <summary>Set in a silo: the gateway serves clients once its node is in the slot map (a standalone gateway owns no slots).</summary>
    public bool JoinsSlotMap { get; set; }
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
