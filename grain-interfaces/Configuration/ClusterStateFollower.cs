using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces.Security;

namespace OrleansLua.GrainInterfaces.Configuration;

/// <summary>
/// Keeps this process (a silo with its gateway, or a standalone gateway) in step with the cluster's
/// state: CONFIG SET values, ACL users and the script-cache epoch. Changes arrive pushed (through
/// <see cref="IClusterNodesGrain"/>) and are also pulled once a second from the registry, so a node
/// that missed a push catches up by itself. One instance per process.
/// </summary>
public sealed class ClusterStateFollower(ServerSettings settings, AccessControl acl, IGrainFactory grains, ILogger<ClusterStateFollower> logger)
    : IDisposable
{
    private static readonly TimeSpan PullPeriod = TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private long _scriptEpoch = -1, _configVersion = -1;
    private Timer? _timer;

    public ServerSettings Settings => settings;
    public AccessControl Acl => acl;
    public long ScriptEpoch => Interlocked.Read(ref _scriptEpoch);

    /// <summary>Raised when SCRIPT FLUSH has happened somewhere: local script caches must be dropped.</summary>
    public event Action<long>? ScriptEpochChanged;

    private IScriptRegistryGrain Registry => grains.GetGrain<IScriptRegistryGrain>(0);

    /// <summary>Starts the periodic pull (idempotent).</summary>
    public void Start()
    {
        lock (_lock) _timer ??= new Timer(_ => _ = PullAsync(), null, PullPeriod, PullPeriod);
    }

    /// <summary>Reads the registry's state now; a failure waits for the next period.</summary>
    public async Task PullAsync()
    {
        try
        {
            Apply(await Registry.State());
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Could not read the cluster's state");
        }
    }

    /// <summary>Applies a state if it is newer than what this process has (states may arrive out of order).</summary>
    public void Apply(ClusterState state)
    {
        bool flushed = false;
        lock (_lock)
        {
            if (state.ScriptEpoch > _scriptEpoch)
            {
                flushed = _scriptEpoch >= 0;
                _scriptEpoch = state.ScriptEpoch;
            }
            // under the lock: an older state applied after a newer one must not win
            if (state.ConfigVersion > _configVersion)
            {
                _configVersion = state.ConfigVersion;
                settings.Apply(state.Settings);
                acl.Load(state.Users);
            }
        }
        if (flushed) ScriptEpochChanged?.Invoke(state.ScriptEpoch);
    }

    /// <summary>
    /// CONFIG SET / ACL changes: stored by the registry first, then applied here and pushed to every
    /// node; other nodes that miss the push pull it within a second.
    /// </summary>
    public async Task ChangeAsync(Dictionary<string, string?> changes)
    {
        var state = await Registry.Configure(changes);
        Apply(state);
        try
        {
            await grains.GetGrain<IClusterNodesGrain>(0).Publish(state);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push the new configuration to every node; they pull it within {Period}", PullPeriod);
        }
    }

    /// <summary>SCRIPT FLUSH: the registry forgets every script, then every node drops its cache.</summary>
    public async Task FlushScriptsAsync()
    {
        var state = await Registry.Flush();
        Apply(state);
        await grains.GetGrain<IClusterNodesGrain>(0).Publish(state);
    }

    public void Dispose() => _timer?.Dispose();
}
