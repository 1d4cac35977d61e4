using OrleansLua.GrainInterfaces;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// The cluster-wide control state of scripting: script bodies by SHA1, the script-cache epoch,
/// CONFIG SET values and the slots whose script is busy. In memory for now: it lives as long as its
/// silo. Scripts registered by EVAL are kept least recently used (SCRIPT LOADed ones stay).
/// </summary>
[KeepAlive]
public sealed class ScriptRegistryGrain(ScriptHost host) : Grain, IScriptRegistryGrain
{
    /// <summary>How many EVAL-registered scripts the cluster keeps.</summary>
    private const int EvaluatedCapacity = 10_000;

    private readonly Dictionary<string, byte[]> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _evaluated = new(StringComparer.Ordinal);
    private readonly Queue<string> _evaluatedOrder = new();
    private readonly HashSet<int> _busySlots = [];
    private readonly Dictionary<string, long> _settings = [];
    private long _epoch;
    private long _configVersion;

    public Task<ScriptLoadResult> Load(byte[] body)
    {
        var error = host.Load(body);
        if (error is not null) return Task.FromResult(new ScriptLoadResult { Error = error });
        var sha = ScriptHost.Sha1Of(body);
        _loaded[sha] = body;
        _evaluated.Remove(sha);
        return Task.FromResult(new ScriptLoadResult { Sha = sha });
    }

    public Task Register(string sha, byte[] body)
    {
        if (_loaded.ContainsKey(sha) || !_evaluated.TryAdd(sha, body)) return Task.CompletedTask;
        _evaluatedOrder.Enqueue(sha);
        while (_evaluated.Count > EvaluatedCapacity && _evaluatedOrder.TryDequeue(out var oldest)) _evaluated.Remove(oldest);
        return Task.CompletedTask;
    }

    public Task<byte[]?> Get(string sha) =>
        Task.FromResult(_loaded.GetValueOrDefault(sha) ?? _evaluated.GetValueOrDefault(sha));

    public Task<bool[]> Exists(string[] shas) =>
        Task.FromResult(shas.Select(s => s.ToLowerInvariant()).Select(s => _loaded.ContainsKey(s) || _evaluated.ContainsKey(s)).ToArray());

    public Task<SiloState> Flush()
    {
        _loaded.Clear();
        _evaluated.Clear();
        _evaluatedOrder.Clear();
        _epoch++;
        return State();
    }

    public Task<SiloState> State() => Task.FromResult(new SiloState
    {
        ScriptEpoch = _epoch,
        ConfigVersion = _configVersion,
        Settings = new Dictionary<string, long>(_settings),
    });

    public Task<SiloState> SetConfig(Dictionary<string, long> settings)
    {
        foreach (var (name, value) in settings) _settings[name] = value;
        _configVersion++;
        return State();
    }

    public Task MarkBusy(int slot)
    {
        _busySlots.Add(slot);
        return Task.CompletedTask;
    }

    public Task UnmarkBusy(int slot)
    {
        _busySlots.Remove(slot);
        return Task.CompletedTask;
    }

    public Task<int[]> BusySlots() => Task.FromResult(_busySlots.ToArray());
}
