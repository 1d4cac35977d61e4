using OrleansLua.Grains.Scripting;

namespace OrleansLua.Silo.Storage;

/// <summary>
/// When the silo becomes active it takes the cluster's stored settings (CONFIG SET values survive a
/// restart) before its gateway answers CONFIG GET, instead of at the first periodic sweep.
/// </summary>
public sealed class ClusterStateStartup(ScriptHost scripts) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(ClusterStateStartup),
        ServiceLifecycleStage.Active, _ => scripts.FollowClusterAsync());
}
