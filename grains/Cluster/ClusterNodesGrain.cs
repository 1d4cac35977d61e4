using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Configuration;

namespace OrleansLua.Grains.Cluster;

/// <summary>
/// Knows the cluster's nodes (gateways) as observers. Reentrant: gathering waits on nodes, and a
/// slow node must not hold up joins or another INFO.
/// </summary>
[Reentrant]
[KeepAlive]
public sealed class ClusterNodesGrain(ILogger<ClusterNodesGrain> logger) : Grain, IClusterNodesGrain
{
    /// <summary>Nodes refresh every <c>NodeAgent.JoinPeriod</c> (5 s); three missed refreshes drop one.</summary>
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, (INodeObserver Observer, DateTime Seen)> _nodes = new(StringComparer.Ordinal);

    public Task Join(string node, INodeObserver observer)
    {
        _nodes[node] = (observer, DateTime.UtcNow);
        return Task.CompletedTask;
    }

    public Task Leave(string node)
    {
        _nodes.Remove(node);
        return Task.CompletedTask;
    }

    public async Task<NodeReport[]> Reports()
    {
        var reports = await CallAllAsync(o => o.Report());
        return reports.Where(r => r is not null).ToArray()!;
    }

    public Task Publish(ClusterState state) => CallAllAsync(async o => { await o.Apply(state); return true; });

    public Task Reset(bool everything) => CallAllAsync(async o => { await o.Reset(everything); return true; });

    /// <summary>Calls every live node at once; a node that fails or does not answer in time gets null (and is dropped if it failed).</summary>
    private async Task<T?[]> CallAllAsync<T>(Func<INodeObserver, Task<T>> call)
    {
        var now = DateTime.UtcNow;
        foreach (var stale in _nodes.Where(n => now - n.Value.Seen > Expiry).Select(n => n.Key).ToList()) _nodes.Remove(stale);
        var nodes = _nodes.ToList();
        return await Task.WhenAll(nodes.Select(async node =>
        {
            try
            {
                return await call(node.Value.Observer).WaitAsync(CallTimeout);
            }
            catch (TimeoutException)
            {
                logger.LogWarning("Node {Node} did not answer within {Timeout}", node.Key, CallTimeout);
                return default;
            }
            catch (Exception ex)
            {
                logger.LogInformation("Node {Node} is gone: {Message}", node.Key, ex.Message);
                if (_nodes.TryGetValue(node.Key, out var current) && ReferenceEquals(current.Observer, node.Value.Observer)) _nodes.Remove(node.Key);
                return default;
            }
        }));
    }
}
