using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Persistence;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// The cluster-wide control state of scripting: script bodies by SHA1 and the slots whose script is
/// busy. Scripts persist with the slots' storage (so EVALSHA works after the whole cluster restarts);
/// busy slots do not. Scripts registered by EVAL are kept first in, first out (SCRIPT LOADed ones stay).
/// Busy scripts are listed here by the silo that runs them, so SCRIPT KILL reaches any of them, keyed or keyless.
/// SCRIPT FLUSH's epoch, which silos follow, is kept by <see cref="Cluster.ClusterConfigGrain"/>.
/// </summary>
[KeepAlive]
public sealed class ScriptRegistryGrain(ScriptHost host, SlotWriter storage, ILogger<ScriptRegistryGrain> logger)
    : Grain, IScriptRegistryGrain, IGrainMigrationParticipant
{
    private const string StateKey = "scripts";

    /// <summary>How many EVAL-registered scripts the cluster keeps.</summary>
    private const int EvaluatedCapacity = 10_000;

    private readonly Dictionary<string, byte[]> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _evaluated = new(StringComparer.Ordinal);
    private readonly Queue<string> _evaluatedOrder = new();
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(2);
    /// <summary>How long a client that left is remembered, for a script of it that is reported busy later.</summary>
    private static readonly TimeSpan GoneClientMemory = TimeSpan.FromMinutes(1);

    private readonly Dictionary<long, BusyScript> _busy = [];
    private readonly Dictionary<string, DateTime> _goneClients = new(StringComparer.Ordinal);

    private ISlotStore? Store => storage.Store;

    private bool _migrated;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Cluster.ShutdownMigration.OnDeactivating(this, reason);
        return Task.CompletedTask;
    }

    public void OnDehydrate(IDehydrationContext context) => context.TryAddValue(StateKey, new RegistryState(
        _loaded.Select(s => new StoredScript(s.Key, s.Value, Loaded: true))
            .Concat(_evaluatedOrder.Where(_evaluated.ContainsKey).Distinct().Select(sha => new StoredScript(sha, _evaluated[sha], Loaded: false)))
            .ToArray(),
        _busy.Values.ToArray()));

    public void OnRehydrate(IRehydrationContext context)
    {
        if (!context.TryGetValue(StateKey, out RegistryState? state)) return;
        Restore(state.Scripts);
        foreach (var busy in state.Busy) _busy[busy.Id] = busy;
        _migrated = true;
    }

    private void Restore(IEnumerable<StoredScript> scripts)
    {
        foreach (var script in scripts)
        {
            if (script.Loaded) _loaded[script.Sha] = script.Body;
            else if (_evaluated.TryAdd(script.Sha, script.Body)) _evaluatedOrder.Enqueue(script.Sha);
        }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Store is null || _migrated) return;
        Restore(await Store.LoadScriptsAsync(cancellationToken));
    }

    /// <summary>SCRIPT LOAD: stored before it is acknowledged (an error if storage is down).</summary>
    public async Task<ScriptLoadResult> Load(byte[] body)
    {
        var error = host.Load(body);
        if (error is not null) return new ScriptLoadResult { Error = error };
        var sha = ScriptHost.Sha1Of(body);
        if (Store is not null && !_loaded.ContainsKey(sha)) await Store.SaveScriptAsync(new StoredScript(sha, body, Loaded: true), default);
        _loaded[sha] = body;
        _evaluated.Remove(sha);
        return new ScriptLoadResult { Sha = sha };
    }

    /// <summary>EVAL's script: kept even if storage is down then (the EVAL has run; EVALSHA after a restart may answer NOSCRIPT).</summary>
    public async Task Register(string sha, byte[] body)
    {
        if (_loaded.ContainsKey(sha) || !_evaluated.TryAdd(sha, body)) return;
        _evaluatedOrder.Enqueue(sha);
        var evicted = new List<string>();
        while (_evaluated.Count > EvaluatedCapacity && _evaluatedOrder.TryDequeue(out var oldest))
            if (_evaluated.Remove(oldest)) evicted.Add(oldest);
        if (Store is null) return;
        try
        {
            await Store.SaveScriptAsync(new StoredScript(sha, body, Loaded: false), default);
            if (evicted.Count > 0) await Store.DeleteScriptsAsync(evicted, default);
        }
        catch (StorageUnavailableException ex)
        {
            logger.LogWarning("Script {Sha} is cached but not stored: {Reason}", sha, ex.Reason);
        }
    }

    public Task<byte[]?> Get(string sha) =>
        Task.FromResult(_loaded.GetValueOrDefault(sha) ?? _evaluated.GetValueOrDefault(sha));

    public Task<bool[]> Exists(string[] shas) =>
        Task.FromResult(shas.Select(s => s.ToLowerInvariant()).Select(s => _loaded.ContainsKey(s) || _evaluated.ContainsKey(s)).ToArray());

    public Task<int> Count() => Task.FromResult(_loaded.Count + _evaluated.Count);

    /// <summary>SCRIPT FLUSH: every script is forgotten here and in storage; the caller then bumps the cluster's script epoch.</summary>
    public async Task Flush()
    {
        if (Store is not null) await Store.DeleteScriptsAsync(null, default);
        _loaded.Clear();
        _evaluated.Clear();
        _evaluatedOrder.Clear();
    }

    public Task<bool> MarkBusy(BusyScript script)
    {
        _busy[script.Id] = script;
        return Task.FromResult(script.Client is not null && _goneClients.Remove(script.Client));
    }

    /// <summary>
    /// A script whose client left stops once it is past busy-reply-threshold (no one waits for its reply, and
    /// its slot answers BUSY to everyone else). Not yet reported busy: remembered until it is.
    /// </summary>
    public async Task ClientGone(string client)
    {
        var now = DateTime.UtcNow;
        foreach (var stale in _goneClients.Where(c => now - c.Value > GoneClientMemory).Select(c => c.Key).ToList()) _goneClients.Remove(stale);
        var scripts = _busy.Values.Where(s => s.Client == client).ToList();
        if (scripts.Count == 0)
        {
            _goneClients[client] = now;
            return;
        }
        foreach (var script in scripts) await KillAsync(script);
    }

    public Task UnmarkBusy(long scriptId)
    {
        _busy.Remove(scriptId);
        return Task.CompletedTask;
    }

    public async Task<bool> KillBusy()
    {
        bool killed = false;
        foreach (var script in _busy.Values.ToList()) killed |= await KillAsync(script);
        return killed;
    }

    /// <summary>A silo that does not answer (it died with its scripts) is forgotten.</summary>
    private async Task<bool> KillAsync(BusyScript script)
    {
        try
        {
            return await script.Host.Kill(script.Id).WaitAsync(KillTimeout);
        }
        catch (Exception ex)
        {
            logger.LogInformation("Busy script {Id} (slot {Slot}) could not be reached: {Message}", script.Id, script.Slot, ex.Message);
            _busy.Remove(script.Id);
            return false;
        }
    }
}

/// <summary>What the registry hands to its next activation when its silo shuts down.</summary>
[GenerateSerializer, Immutable]
public sealed record RegistryState([property: Id(0)] StoredScript[] Scripts, [property: Id(1)] BusyScript[] Busy);
