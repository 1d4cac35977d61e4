using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.Grains.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// Silo-level scripting: the Lua engine pool, the local script cache in front of the cluster-wide
/// <see cref="IScriptRegistryGrain"/>, and the registry of running scripts that SCRIPT KILL and the
/// BUSY logic consult. Shard grains run EVAL/EVALSHA through it.
/// </summary>
public sealed partial class ScriptHost : IScriptHostObserver, IDisposable
{
    public const string NoScriptError = "NOSCRIPT No matching script. Please use EVAL.";
    public const string BusyError = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

    private readonly LuaEnginePool _pool = new();
    private readonly ScriptCache _cache = new();
    private readonly ConcurrentDictionary<ScriptExecution, bool> _running = new();
    private readonly IGrainFactory _grains;
    private readonly ServerSettings _settings;
    private readonly ClusterStateFollower _cluster;
    private readonly ILogger<ScriptHost> _logger;
    private readonly OrleansLuaTelemetry _telemetry;
    private readonly Timer _busySweep;
    /// <summary>
    /// This host as the registry reaches it, created on first use once the silo runs (on a pool thread:
    /// Orleans refuses to create an object reference from a grain's turn, where the first BUSY reports).
    /// </summary>
    private readonly Lazy<Task<IScriptHostObserver>> _observer;

    public ScriptHost(IGrainFactory grains, ClusterStateFollower cluster, OrleansLuaTelemetry telemetry, ILogger<ScriptHost> logger)
    {
        _grains = grains;
        _cluster = cluster;
        _settings = cluster.Settings;
        _logger = logger;
        _telemetry = telemetry;
        telemetry.ObserveScripts(() => _running.Count, CountBusy);
        // SCRIPT FLUSH anywhere in the cluster: compiled functions are dropped as engines are rented
        cluster.ScriptEpochChanged += _cache.Clear;
        _observer = new(() => Task.Run(() => grains.CreateObjectReference<IScriptHostObserver>(this)));
        _busySweep = new Timer(_ => ReportBusyScripts(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    public ServerSettings Settings => _settings;
    internal int EvaluatedScriptsCached => _cache.EvaluatedCount;
    /// <summary>Scripts running on this silo now, keyed and keyless.</summary>
    internal int RunningScripts => _running.Count;

    private IScriptRegistryGrain Registry => _grains.GetGrain<IScriptRegistryGrain>(0);

    public static string Sha1Of(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA1.HashData(body));

    public static bool ContainsScript(ShardBatch batch)
    {
        for (int i = 0; i < batch.Commands.Length; i++)
            if (batch.Spec(i, out _) is { RunsScript: true }) return true;
        return false;
    }

    private static bool IsBySha(byte[][] args) => args[0].Length >= 7 && (args[0][4] | 0x20) == 's';

    private static string ShaArgument(byte[] arg) => Encoding.ASCII.GetString(arg).ToLowerInvariant();

    /// <summary>
    /// Before a batch runs (synchronously), make sure every script it names is known to this silo:
    /// EVALSHA fetches missing bodies from the registry, EVAL registers new bodies there.
    /// </summary>
    public async Task PrepareAsync(ShardBatch batch)
    {
        for (int i = 0; i < batch.Commands.Length; i++)
        {
            var args = batch.Commands[i];
            if (batch.Spec(i, out _) is not { RunsScript: true } || args.Length < 3 || IsFunctionCall(args)) continue;
            if (IsBySha(args))
            {
                var sha = ShaArgument(args[1]);
                if (sha.Length != 40 || _cache.Contains(sha)) continue;
                var body = await Registry.Get(sha);
                if (body is not null) _cache.AddEvaluated(ScriptInfo.Parse(sha, body));
            }
            else
            {
                var info = ScriptInfo.Parse(args[1]);
                if (_cache.AddEvaluated(info)) await Registry.Register(info.Sha, info.Body);
            }
        }
    }

    public bool NeedsPreparation(ShardBatch batch)
    {
        for (int i = 0; i < batch.Commands.Length; i++)
        {
            var args = batch.Commands[i];
            if (args.Length < 3 || batch.Spec(i, out _) is not { RunsScript: true } || IsFunctionCall(args)) continue;
            if (!_cache.Contains(IsBySha(args) ? ShaArgument(args[1]) : Sha1Of(args[1]))) return true;
        }
        return false;
    }

    /// <summary>SCRIPT LOAD on this silo: compiles, and pins the script in the local cache. Null, or the error.</summary>
    public string? Load(byte[] body)
    {
        var info = ScriptInfo.Parse(body);
        if (info.ShebangError is not null) return info.ShebangError;
        var engine = RentEngine();
        try
        {
            var error = engine.Compile(info.Sha, info.Code);
            if (error is not null) return CompileError(error);
            _cache.AddLoaded(info);
            return null;
        }
        finally
        {
            _pool.Return(engine);
        }
    }

    /// <summary>SCRIPT KILL, through the registry: stops the script with this id if it still runs here.</summary>
    public Task<bool> Kill(long scriptId)
    {
        foreach (var execution in _running.Keys)
        {
            if (execution.Id != scriptId) continue;
            execution.Kill();
            return Task.FromResult(true);
        }
        return Task.FromResult(false);
    }

    /// <summary>A script of this slot has run past busy-reply-threshold: make sure SCRIPT KILL can find it.</summary>
    internal async Task EnsureBusyReportedAsync(int slot)
    {
        foreach (var execution in _running.Keys)
            if (execution.Slot == slot && execution.MarkReported() && await Registry.MarkBusy(await DescribeAsync(execution))) execution.Kill();
    }

    /// <summary>Every 100 ms: scripts past busy-reply-threshold, keyed or keyless, are reported, so SCRIPT KILL from any gateway finds them.</summary>
    private void ReportBusyScripts()
    {
        if (_running.IsEmpty) return;
        long threshold = _settings.BusyReplyThresholdMs;
        foreach (var execution in _running.Keys)
        {
            if (execution.Elapsed.TotalMilliseconds < threshold || !execution.MarkReported()) continue;
            _ = ReportBusyAsync(execution);
        }
    }

    /// <summary>Scripts running past busy-reply-threshold right now (the busy gauge; their slots answer BUSY).</summary>
    private int CountBusy()
    {
        long threshold = _settings.BusyReplyThresholdMs;
        int busy = 0;
        foreach (var execution in _running.Keys)
            if (execution.Elapsed.TotalMilliseconds >= threshold) busy++;
        return busy;
    }

    private async Task ReportBusyAsync(ScriptExecution execution)
    {
        try
        {
            if (await Registry.MarkBusy(await DescribeAsync(execution))) execution.Kill(); // its client has left
            // The script may have ended while we reported it: take the mark back.
            if (!_running.ContainsKey(execution)) await Registry.UnmarkBusy(execution.Id);
        }
        catch (Exception ex)
        {
            _logger.LogWarning("Busy script {Id} (slot {Slot}) could not be reported to the registry: {Message}", execution.Id, execution.Slot, ex.Message);
        }
    }

    private async Task<BusyScript> DescribeAsync(ScriptExecution execution) =>
        new(execution.Id, execution.Slot, await _observer.Value, execution.Client);

    /// <summary><see cref="Run"/>'s answer when it wrote the reply (the script did not move to a slot).</summary>
    internal const int NotMoved = -1;

    /// <summary>
    /// Runs EVAL/EVALSHA(_RO) on a slot's keyspace (slot -1: a keyless script), all or nothing:
    /// if the script fails — its own error, a failed redis.call, SCRIPT KILL, a time or memory
    /// limit — every write it made is undone before the error is replied. Returns <see cref="NotMoved"/> once
    /// the reply is written, or — a keyless script that touched a key outside any slot — the slot to run it in
    /// (nothing written).
    /// </summary>
    internal int Run(CommandContext context, CommandSpec spec, int slot, IReplyWriter output)
    {
        var args = context.Args;
        var keyIndexes = new List<int>();
        var keyError = spec.Keys.Collect(args, keyIndexes);
        if (keyError is not null)
        {
            output.WriteError(keyError);
            return NotMoved;
        }
        ScriptInfo? info;
        FunctionLibrary? library = null;
        bool readOnly = spec.Name.EndsWith("_ro", StringComparison.Ordinal);
        if (IsFunctionCall(args))
        {
            info = ResolveFunction(args, readOnly, output, out library);
            if (info is null) return NotMoved;
        }
        else if (IsBySha(args))
        {
            if (!_cache.TryGet(ShaArgument(args[1]), out info))
            {
                output.WriteError(NoScriptError);
                return NotMoved;
            }
        }
        else if (!_cache.TryGet(Sha1Of(args[1]), out info))
        {
            info = ScriptInfo.Parse(args[1]);
            _cache.AddEvaluated(info);
        }
        if (info.ShebangError is not null)
        {
            output.WriteError(info.ShebangError);
            return NotMoved;
        }
        if (info.Flags.HasFlag(ScriptFlags.NoCluster))
        {
            output.WriteError("ERR Can not run script on cluster, 'no-cluster' flag is set.");
            return NotMoved;
        }

        var engine = RentEngine();
        int top = engine.Top;
        var journal = new UndoJournal();
        var keys = context.Keys;
        long memoryLimit = _settings.ScriptMemoryLimitBytes;
        var execution = new ScriptExecution(engine, context, slot, info, readOnly,
            keyless: keyIndexes.Count == 0, _settings, _logger);
        _running[execution] = true;
        string outcome = OrleansLuaTelemetry.ScriptOutcome.Error;
        try
        {
            if (library is not null)
            {
                var error = EnsureLibrary(engine, library, info);
                if (error is not null)
                {
                    output.WriteError(error);
                    return NotMoved;
                }
            }
            else if (!engine.HasScript(info.Sha))
            {
                var error = engine.Compile(info.Sha, info.Code);
                if (error is not null)
                {
                    output.WriteError(CompileError(error));
                    return NotMoved;
                }
            }
            keys.Journal = journal;
            bool ok;
            using (execution.Enter())
            {
                engine.Arm(memoryLimit);
                try
                {
                    ok = engine.Run(info.Sha, args, 3, keyIndexes.Count);
                }
                finally
                {
                    engine.Disarm();
                }
            }
            keys.Journal = null;
            if (execution.RelocateTo >= 0)
            {
                journal.Rollback(keys);
                outcome = OrleansLuaTelemetry.ScriptOutcome.Ok;
                return execution.RelocateTo;
            }
            if (ok)
            {
                outcome = OrleansLuaTelemetry.ScriptOutcome.Ok;
                LuaResultConverter.Write(engine.State, -1, output, execution.Resp);
                return NotMoved;
            }
            if (execution.Killed) outcome = OrleansLuaTelemetry.ScriptOutcome.Killed;
            journal.Rollback(keys);
            string? overrideMessage = engine.MemoryLimitHit && !execution.Killed
                ? $"ERR Script used more memory than script-memory-limit ({memoryLimit} bytes)"
                : null;
            WriteScriptError(engine.State, info, overrideMessage, output);
        }
        catch (Exception ex)
        {
            journal.Rollback(keys);
            _logger.LogError(ex, "Script {Sha} failed in the host", info.Name);
            output.WriteError($"ERR {ex.Message} script: {info.Name}");
        }
        finally
        {
            keys.Journal = null;
            engine.SetTop(top);
            _pool.Return(engine);
            _running.TryRemove(execution, out _);
            if (execution.Reported) _ = Registry.UnmarkBusy(execution.Id);
            Record(execution, outcome);
        }
        return NotMoved;
    }

    /// <summary>One measurement per script run that got an engine (compile errors included); allocates nothing, and does nothing while no one listens.</summary>
    private void Record(ScriptExecution execution, string outcome)
    {
        _telemetry.ScriptDuration.Record(execution.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>(OrleansLuaTelemetry.Tags.Outcome, outcome));
        if (outcome == OrleansLuaTelemetry.ScriptOutcome.Killed) _telemetry.ScriptsKilled.Add(1);
    }

    /// <summary>Redis's wording: "&lt;msg&gt; script: &lt;sha&gt;, on @user_script:&lt;line&gt;." (plain Lua errors get "ERR ").</summary>
    private static void WriteScriptError(IntPtr L, ScriptInfo script, string? overrideMessage, IReplyWriter output)
    {
        // a failure in tail position (`return redis.call(…)` inside a function) has lost its frame: line 0 of the script's own chunk
        string message = "ERR unknown error", source = script.Source, name = script.Name;
        long line = 0;
        bool coded = false;
        if (LuaNative.lua_type(L, -1) == LuaNative.TTable)
        {
            LuaNative.RawGetField(L, -1, "err");
            message = LuaNative.ToUtf8(L, -1);
            LuaNative.Pop(L, 1);
            LuaNative.RawGetField(L, -1, "line");
            line = LuaNative.lua_tointegerx(L, -1, out _);
            LuaNative.Pop(L, 1);
            LuaNative.RawGetField(L, -1, "coded");
            coded = LuaNative.lua_toboolean(L, -1) != 0;
            LuaNative.Pop(L, 1);
            if (LuaNative.RawGetField(L, -1, "source") == LuaNative.TString) source = LuaNative.ToUtf8(L, -1);
            LuaNative.Pop(L, 1);
        }
        else if (LuaNative.lua_type(L, -1) == LuaNative.TString)
        {
            message = LuaNative.ToUtf8(L, -1);
        }
        if (overrideMessage is not null)
        {
            message = overrideMessage;
            coded = true;
        }
        output.WriteError($"{(coded ? "" : "ERR ")}{message} script: {name}, on {source}:{line}.");
    }

    /// <summary>Lua 5.4 writes "near &lt;eof&gt;"; Redis's Lua 5.1 quotes it.</summary>
    private static string CompileError(string luaMessage) =>
        "ERR Error compiling script (new function): " + luaMessage.Replace("near <eof>", "near '<eof>'");

    private LuaEngine RentEngine()
    {
        var engine = _pool.Rent();
        long epoch = _cluster.ScriptEpoch;
        if (engine.Epoch != epoch)
        {
            engine.ForgetScripts();
            engine.Epoch = epoch;
        }
        return engine;
    }

    public void Dispose()
    {
        _busySweep.Dispose();
        _pool.Dispose();
    }
}
