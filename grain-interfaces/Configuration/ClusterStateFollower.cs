using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces.Security;

namespace OrleansLua.GrainInterfaces.Configuration;

/// <summary>
/// Keeps this process (a silo with its gateway, or a standalone gateway) in step with the cluster's
/// state: CONFIG SET values, ACL users, function libraries and the script-cache epoch. Changes arrive pushed (through
/// <see cref="IClusterNodesGrain"/>) and are also pulled once a second from
/// <see cref="IClusterConfigGrain"/>, so a node that missed a push catches up by itself. One instance
/// per process.
/// </summary>
public sealed class ClusterStateFollower(ServerSettings settings, AccessControl acl, IGrainFactory grains, ILogger<ClusterStateFollower> logger)
    : IDisposable
{
    private static readonly TimeSpan PullPeriod = TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private Guid _generation;
    private long _scriptEpoch = -1, _configVersion = -1;
    private Timer? _timer;
    private int _restoring;

    public ServerSettings Settings => settings;
    public AccessControl Acl => acl;
    public long ScriptEpoch => Interlocked.Read(ref _scriptEpoch);

    /// <summary>The cluster's function libraries as this node last applied them (FCALL, FUNCTION LIST).</summary>
    public FunctionCatalog Functions { get; private set; } = FunctionCatalog.Empty;

    /// <summary>Raised when SCRIPT FLUSH has happened somewhere: local script caches must be dropped.</summary>
    public event Action? ScriptEpochChanged;

    private IClusterConfigGrain Config => grains.GetGrain<IClusterConfigGrain>(0);
    private IClusterNodesGrain Nodes => grains.GetGrain<IClusterNodesGrain>(0);

    /// <summary>Starts the periodic pull (idempotent).</summary>
    public void Start()
    {
        lock (_lock) _timer ??= new Timer(_ => _ = PullAsync(), null, PullPeriod, PullPeriod);
    }

    /// <summary>Reads the cluster's state now. False when the configuration grain could not be reached.</summary>
    public async Task<bool> PullAsync()
    {
        try
        {
            Apply(await Config.State());
            return true;
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Could not read the cluster's state");
            return false;
        }
    }

    /// <summary>
    /// Applies a state if it is newer than what this process has (states may arrive out of order). A
    /// new activation of the configuration grain starts a new generation: its state replaces this one,
    /// unless it is blank while this process knows a configuration — then it is handed back
    /// (storage-less clusters keep their users and passwords when that grain moves).
    /// </summary>
    public void Apply(ClusterState state)
    {
        bool flushed = false;
        lock (_lock)
        {
            if (state.Generation != _generation)
            {
                if (_configVersion > 0 && state.IsBlank)
                {
                    RestoreLater();
                    return;
                }
                flushed = _scriptEpoch >= 0; // compiled scripts of the old generation's epochs: drop them
                _generation = state.Generation;
                _scriptEpoch = state.ScriptEpoch;
                _configVersion = -1;
            }
            else if (state.ScriptEpoch > _scriptEpoch)
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
                Functions = new FunctionCatalog(state.Libraries);
            }
        }
        if (flushed) ScriptEpochChanged?.Invoke();
    }

    private void RestoreLater()
    {
        if (Interlocked.Exchange(ref _restoring, 1) == 1) return;
        var known = new ClusterState
        {
            ConfigVersion = _configVersion,
            Settings = new Dictionary<string, string>(settings.Snapshot()),
            Users = acl.Users.ToDictionary(u => u.Name, u => u.DescribeRules()),
            Libraries = Functions.Libraries.ToArray(),
        };
        _ = Task.Run(async () =>
        {
            try
            {
                logger.LogWarning("The cluster configuration grain started without storage: handing it this node's configuration");
                Apply(await Config.Restore(known));
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not hand the configuration back; trying again at the next pull");
            }
            finally
            {
                Interlocked.Exchange(ref _restoring, 0);
            }
        });
    }

    /// <summary>CONFIG SET of validated values: stored, applied here and pushed to every node.</summary>
    public async Task ConfigureAsync(Dictionary<string, string> changes) => await PublishAsync(await Config.Configure(changes));

    /// <summary>ACL SETUSER: null, or Redis's error text for the refused rule.</summary>
    public async Task<string?> SetUserAsync(string name, string[] rules)
    {
        var result = await Config.SetUser(name, rules);
        if (result.Error is not null) return result.Error;
        await PublishAsync(result.State!);
        return null;
    }

    /// <summary>ACL DELUSER: how many users were deleted.</summary>
    public async Task<int> DeleteUsersAsync(string[] names)
    {
        var result = await Config.DeleteUsers(names);
        if (result.Count > 0) await PublishAsync(result.State!);
        return result.Count;
    }

    /// <summary>FUNCTION LOAD: the library's name, or Redis's error. Every node has it once this returns (those the push missed pull it within a second).</summary>
    public async Task<(string? Name, string? Error)> LoadLibraryAsync(byte[] code, bool replace)
    {
        var result = await Config.LoadLibrary(code, replace);
        if (result.Error is not null) return (null, result.Error);
        await PublishAsync(result.State!);
        return (result.Name, null);
    }

    /// <summary>FUNCTION DELETE: false when there is no such library.</summary>
    public async Task<bool> DeleteLibraryAsync(string name)
    {
        var result = await Config.DeleteLibrary(name);
        if (result.Count == 0) return false;
        await PublishAsync(result.State!);
        return true;
    }

    /// <summary>FUNCTION RESTORE: null, or Redis's error (nothing changed).</summary>
    public async Task<string?> RestoreLibrariesAsync(byte[][] codes, string policy)
    {
        var result = await Config.RestoreLibraries(codes, policy);
        if (result.Error is not null) return result.Error;
        await PublishAsync(result.State!);
        return null;
    }

    /// <summary>FUNCTION FLUSH.</summary>
    public async Task FlushLibrariesAsync() => await PublishAsync(await Config.FlushLibraries());

    /// <summary>SCRIPT FLUSH: the registry forgets every script, then every node drops its cache.</summary>
    public async Task FlushScriptsAsync()
    {
        await grains.GetGrain<IScriptRegistryGrain>(0).Flush();
        await PublishAsync(await Config.BumpScriptEpoch());
    }

    /// <summary>
    /// Applies a new state here, then hands it to every node the node list reaches (2 s each); a node
    /// that misses it pulls it within a second.
    /// </summary>
    private async Task PublishAsync(ClusterState state)
    {
        Apply(state);
        try
        {
            await Nodes.Publish(state);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not push the new configuration to every node; they pull it within {Period}", PullPeriod);
        }
    }

    public void Dispose() => _timer?.Dispose();
}
