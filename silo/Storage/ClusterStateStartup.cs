using OrleansLua.GrainInterfaces.Configuration;

namespace OrleansLua.Silo.Storage;

/// <summary>
/// When the silo becomes active it takes the cluster's stored configuration (CONFIG SET values and ACL
/// users survive a restart) before its gateway accepts a connection, then follows it.
/// </summary>
public sealed class ClusterStateStartup(ClusterStateFollower cluster) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(ClusterStateStartup),
        ServiceLifecycleStage.Active, async _ =>
        {
            await cluster.PullAsync();
            cluster.Start();
        });
}
