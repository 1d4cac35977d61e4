using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Cluster;
using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.GrainInterfaces.Security;

namespace OrleansLua.Client.Gateway;

/// <summary>What every connection of one gateway shares.</summary>
public sealed class GatewayContext
{
    public GatewayContext(IGrainFactory grains, IOptions<GatewayOptions> options, ClientRegistry clients, ServerStats stats,
        ClusterStateFollower cluster, CommandStats commandStats, SlowLog slowLog, OrleansLuaTelemetry telemetry, SlotActivity slotActivity,
        SlotMapFollower slotMap, LocalShards localShards, ILogger<GrainCallRetry>? retryLogger = null)
    {
        SlotMap = slotMap;
        Telemetry = telemetry;
        SlotActivity = slotActivity;
        _grains = grains;
        Options = options.Value;
        Clients = clients;
        Stats = stats;
        Cluster = cluster;
        CommandStats = commandStats;
        SlowLog = slowLog;
        Meter = new CommandMeter(commandStats, slowLog);
        Router = new SlotRouter(grains, cluster.Settings, slotMap, localShards, new GrainCallRetry(retryLogger)) { BoundCalls = Options.BoundCalls };
        FanOut = new FanOutCommands(Router);
        Info = new ServerInfo(this, grains);
        Blocked = new BlockedClients(grains);
        PubSub = new PubSubBroker(grains, Router);
        telemetry.ObserveGateway(() => clients.Count, () => Blocked.Count);
    }

    private readonly IGrainFactory _grains;

    public GatewayOptions Options { get; }
    public ClientRegistry Clients { get; }
    public ServerStats Stats { get; }
    /// <summary>Settings, ACL users and script epoch, kept in step with the cluster.</summary>
    public ClusterStateFollower Cluster { get; }
    public ServerSettings Settings => Cluster.Settings;
    public AccessControl Acl => Cluster.Acl;
    public CommandStats CommandStats { get; }
    public SlowLog SlowLog { get; }
    public CommandMeter Meter { get; }
    public OrleansLuaTelemetry Telemetry { get; }
    /// <summary>The cluster's slot map as this process knows it (routing, CLUSTER commands).</summary>
    public SlotMapFollower SlotMap { get; }
    /// <summary>What this process's slots run now (empty in a standalone gateway, which hosts none).</summary>
    public SlotActivity SlotActivity { get; }
    public AclLog AclLog { get; } = new();
    public SlotRouter Router { get; }
    public FanOutCommands FanOut { get; }
    /// <summary>The commands the gateway runs itself, checked against the command table (a mismatch throws here).</summary>
    public GatewayHandlers Handlers { get; } = GatewayHandlers.Build();
    public ServerInfo Info { get; }
    public BlockedClients Blocked { get; }
    public PubSubBroker PubSub { get; }
    public IPubSubGrain PubSubHub => _grains.GetGrain<IPubSubGrain>(0);
    public IClusterNodesGrain Nodes => _grains.GetGrain<IClusterNodesGrain>(0);
    /// <summary>This node's name in the cluster's node list (unique per process start).</summary>
    public string NodeId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    /// <summary>The port the listener actually bound (differs from the option when it was 0).</summary>
    public int BoundPort
    {
        get => Router.GatewayPort;
        internal set
        {
            Router.GatewayPort = value;
            _listening.TrySetResult();
        }
    }

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the gateway listens (a silo joins the slot map only then).</summary>
    public Task Listening => _listening.Task;

    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>This silo's node is in the slot map (see <see cref="GatewayOptions.JoinsSlotMap"/>).</summary>
    public Task Joined => _joined.Task;

    public void MarkJoined() => _joined.TrySetResult();

    /// <summary>Set when this silo leaves the slot map on a graceful stop: the gateway serves until it completes.</summary>
    public Task? Leaving { get; set; }

    /// <summary>
    /// The endpoint cluster clients are told to use for this node: --announce-ip, else the bind address unless it is
    /// a wildcard, else <paramref name="advertised"/> (the silo's address); --announce-port, else the bound port.
    /// </summary>
    public (string Ip, int Port, string Hostname) Announcement(System.Net.IPAddress advertised)
    {
        var ip = Options.AnnounceIp is { Length: > 0 } announced ? announced
            : Options.Bind is "*" or "0.0.0.0" or "::" ? advertised.ToString()
            : Options.Bind;
        return (ip, Options.AnnouncePort ?? BoundPort, Options.AnnounceHostname ?? "");
    }

    /// <summary>Runs a batch on a slot's shard grain; slot -1 is a keyless script (stateless worker). Traced when a tracer listens.</summary>
    public Task<byte[]> Invoke(int slot, ShardBatch batch) =>
        slot >= 0 ? Router.Execute(slot, batch)
            : OrleansLuaTelemetry.GatewaySource.HasListeners()
                ? ShardCallTracing.Run((Context: this, Batch: batch), static s => s.Context.InvokeKeyless(s.Batch), slot, batch, BoundPort)
                : InvokeKeyless(batch);

    private Task<byte[]> InvokeKeyless(ShardBatch batch) =>
        Router.Retry.RunAsync((Grains: _grains, Batch: batch), static s => s.Grains.GetGrain<IScriptWorkerGrain>(0).Execute(s.Batch),
            static _ => true, "Keyless script");

    public IScriptRegistryGrain Scripts => _grains.GetGrain<IScriptRegistryGrain>(0);
}

/// <summary>This gateway's own counters for INFO clients and stats.</summary>
public sealed class ServerStats
{
    private long _commands, _rejectedConnections, _netInput, _netOutput;
    public DateTime Started { get; } = DateTime.UtcNow;
    public long CommandsProcessed => Interlocked.Read(ref _commands);
    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);
    public long NetInputBytes => Interlocked.Read(ref _netInput);
    public long NetOutputBytes => Interlocked.Read(ref _netOutput);
    public void CommandProcessed() => Interlocked.Increment(ref _commands);
    public void ConnectionRejected() => Interlocked.Increment(ref _rejectedConnections);
    public void Received(long bytes) => Interlocked.Add(ref _netInput, bytes);
    public void Sent(long bytes) => Interlocked.Add(ref _netOutput, bytes);

    /// <summary>CONFIG RESETSTAT.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _commands, 0);
        Interlocked.Exchange(ref _rejectedConnections, 0);
        Interlocked.Exchange(ref _netInput, 0);
        Interlocked.Exchange(ref _netOutput, 0);
    }
}
