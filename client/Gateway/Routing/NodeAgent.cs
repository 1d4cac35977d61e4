using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Configuration;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// This process as a node of the cluster: before the gateway listens it takes the cluster's state
/// (users, passwords, settings) and writes the configured settings into it; then it joins
/// <see cref="IClusterNodesGrain"/> (again every few seconds) so INFO, SLOWLOG and configuration
/// changes reach it.
/// </summary>
public sealed class NodeAgent(GatewayContext gateway, IGrainFactory grains, ILogger<NodeAgent> logger) : IHostedService, INodeObserver
{
    public static readonly TimeSpan JoinPeriod = TimeSpan.FromSeconds(5);

    private string Node => gateway.NodeId;
    private INodeObserver? _reference;
    private Timer? _timer;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var cluster = gateway.Cluster;
        // Never listen on the built-in passwordless default user: wait for the cluster's users first.
        while (!await cluster.PullAsync())
        {
            logger.LogWarning("Waiting for the cluster's configuration (users, passwords) before the gateway listens");
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        var changes = ConfiguredChanges(cluster);
        if (changes.Count > 0) await cluster.ConfigureAsync(changes);
        cluster.Start();
        _reference = grains.CreateObjectReference<INodeObserver>(this);
        await JoinAsync();
        _timer = new Timer(_ => _ = JoinAsync(), null, JoinPeriod, JoinPeriod);
    }

    /// <summary>The settings given in configuration that differ from the cluster's (requirepass also sets the default user's password).</summary>
    private Dictionary<string, string> ConfiguredChanges(ClusterStateFollower cluster)
    {
        var changes = new Dictionary<string, string>(StringComparer.Ordinal);
        var staged = new ServerSettings();
        staged.Apply(cluster.Settings.Snapshot());
        foreach (var (name, value) in gateway.Options.Settings)
        {
            var error = staged.TrySet(name, value);
            if (error is not null) throw new ArgumentException($"--{name}: {error}");
            var key = name.ToLowerInvariant();
            if (staged.Get(key) != cluster.Settings.Get(key)) changes[key] = staged.Get(key)!;
        }
        return changes;
    }

    private async Task JoinAsync()
    {
        try
        {
            await gateway.Nodes.Join(Node, _reference!);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Could not join the node list; trying again in {Period}", JoinPeriod);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null) await _timer.DisposeAsync();
        try
        {
            await gateway.Nodes.Leave(Node).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Could not leave the node list");
        }
        if (_reference is not null) grains.DeleteObjectReference<INodeObserver>(_reference);
    }

    public Task<NodeReport> Report() => Task.FromResult(LocalReport(gateway));

    /// <summary>This node's counters now.</summary>
    public static NodeReport LocalReport(GatewayContext gateway)
    {
        var clients = gateway.Clients.All.ToList();
        return new NodeReport
        {
            Node = gateway.NodeId,
            ConnectedClients = clients.Count,
            BlockedClients = gateway.Blocked.Count,
            PubSubClients = clients.Count(c => c.IsPubSub),
            TotalConnectionsReceived = gateway.Clients.TotalConnections,
            RejectedConnections = gateway.Stats.RejectedConnections,
            CommandsProcessed = gateway.Stats.CommandsProcessed,
            NetInputBytes = gateway.Stats.NetInputBytes,
            NetOutputBytes = gateway.Stats.NetOutputBytes,
            UsedMemory = GC.GetTotalMemory(false),
            ResidentMemory = Environment.WorkingSet,
            Commands = gateway.CommandStats.Commands(),
            Errors = gateway.CommandStats.Errors(),
            TotalErrorReplies = gateway.CommandStats.TotalErrorReplies,
            SlowLog = gateway.SlowLog.Latest(),
            MaxClients = gateway.Settings.MaxClientCount,
            LongRunning = gateway.SlotActivity.LongRunning(),
        };
    }

    public Task Apply(ClusterState state)
    {
        gateway.Cluster.Apply(state);
        return Task.CompletedTask;
    }

    public Task Reset(bool everything)
    {
        gateway.SlowLog.Reset();
        if (everything)
        {
            gateway.CommandStats.Reset();
            gateway.Stats.Reset();
        }
        return Task.CompletedTask;
    }
}
