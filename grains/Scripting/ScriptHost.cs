using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// Silo-level scripting: the Lua engine pool and the local script cache in front of the
/// cluster-wide <see cref="IScriptRegistryGrain"/>. Shard grains run EVAL/EVALSHA through it.
/// </summary>
public sealed class ScriptHost : IDisposable
{
    public const string NoScriptError = "NOSCRIPT No matching script. Please use EVAL.";

    private readonly LuaEnginePool _pool = new();
    private readonly ConcurrentDictionary<string, byte[]> _bodies = new();
    private readonly IGrainFactory _grains;
    private readonly ILogger<ScriptHost> _logger;
    private long _epoch;

    public ScriptHost(IGrainFactory grains, ILogger<ScriptHost> logger)
    {
        _grains = grains;
        _logger = logger;
    }

    private IScriptRegistryGrain Registry => _grains.GetGrain<IScriptRegistryGrain>(0);

    public static string Sha1Of(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA1.HashData(body));

    public static bool IsScriptCommand(CommandSpec spec) => spec.Name is "eval" or "evalsha" or "eval_ro" or "evalsha_ro";

    private static bool IsBySha(byte[][] args) => args[0].Length >= 7 && (args[0][4] | 0x20) == 's';

    /// <summary>
    /// Before a batch runs (synchronously), make sure every script it names is known to this silo:
    /// EVALSHA fetches missing bodies from the registry, EVAL registers new bodies there.
    /// </summary>
    public async Task PrepareAsync(byte[][][] commands)
    {
        foreach (var args in commands)
        {
            var spec = CommandTable.Find(args[0]);
            if (spec is null || !IsScriptCommand(spec) || args.Length < 3) continue;
            if (IsBySha(args))
            {
                var sha = Encoding.ASCII.GetString(args[1]).ToLowerInvariant();
                if (_bodies.ContainsKey(sha) || sha.Length != 40) continue;
                var body = await Registry.Get(sha);
                if (body is not null) _bodies.TryAdd(sha, body);
            }
            else
            {
                var sha = Sha1Of(args[1]);
                if (_bodies.TryAdd(sha, args[1])) await Registry.Register(sha, args[1]);
            }
        }
    }

    public bool NeedsPreparation(byte[][][] commands)
    {
        foreach (var args in commands)
        {
            if (args.Length < 3 || args[0].Length < 4 || (args[0][0] | 0x20) != 'e') continue;
            var spec = CommandTable.Find(args[0]);
            if (spec is null || !IsScriptCommand(spec)) continue;
            if (IsBySha(args))
            {
                if (!_bodies.ContainsKey(Encoding.ASCII.GetString(args[1]).ToLowerInvariant())) return true;
            }
            else if (!_bodies.ContainsKey(Sha1Of(args[1]))) return true;
        }
        return false;
    }

    /// <summary>Compiles a script on a pooled engine: null, or Redis's compile error text.</summary>
    public string? CompileCheck(byte[] body)
    {
        var engine = RentEngine();
        try
        {
            var error = engine.Compile(Sha1Of(body), body);
            return error is null ? null : "ERR Error compiling script (new function): " + FixCompileMessage(error);
        }
        finally
        {
            _pool.Return(engine);
        }
    }

    public void Remember(string sha, byte[] body) => _bodies.TryAdd(sha, body);

    public void Flush(long epoch)
    {
        if (epoch <= Interlocked.Read(ref _epoch)) return;
        Interlocked.Exchange(ref _epoch, epoch);
        _bodies.Clear();
    }

    /// <summary>
    /// Runs EVAL/EVALSHA(_RO) on a slot's keyspace (slot -1: a keyless script), all or nothing:
    /// if the script fails, every write it made is undone before the error is replied.
    /// </summary>
    internal void Run(CommandContext context, CommandSpec spec, int slot, IReplyWriter output)
    {
        var args = context.Args;
        var keyIndexes = new List<int>();
        var keyError = spec.Keys.Collect(args, keyIndexes);
        if (keyError is not null)
        {
            output.WriteError(keyError);
            return;
        }
        string sha;
        if (IsBySha(args))
        {
            sha = Encoding.ASCII.GetString(args[1]).ToLowerInvariant();
            if (!_bodies.ContainsKey(sha))
            {
                output.WriteError(NoScriptError);
                return;
            }
        }
        else
        {
            sha = Sha1Of(args[1]);
            _bodies.TryAdd(sha, args[1]);
        }

        var engine = RentEngine();
        int top = engine.Top;
        var journal = new UndoJournal();
        var keys = context.Keys;
        var execution = new ScriptExecution(context, slot, spec.Name.EndsWith("_ro", StringComparison.Ordinal), _logger);
        try
        {
            if (!engine.HasScript(sha))
            {
                var error = engine.Compile(sha, _bodies[sha]);
                if (error is not null)
                {
                    output.WriteError("ERR Error compiling script (new function): " + FixCompileMessage(error));
                    return;
                }
            }
            keys.Journal = journal;
            bool ok;
            using (execution.Enter())
                ok = engine.Run(sha, args, 3, keyIndexes.Count);
            keys.Journal = null;
            if (ok)
            {
                LuaResultConverter.Write(engine.State, -1, output);
                return;
            }
            journal.Rollback(keys);
            WriteScriptError(engine.State, sha, output);
        }
        catch (Exception ex)
        {
            journal.Rollback(keys);
            _logger.LogError(ex, "Script {Sha} failed in the host", sha);
            output.WriteError($"ERR {ex.Message} script: {sha}");
        }
        finally
        {
            keys.Journal = null;
            engine.SetTop(top);
            _pool.Return(engine);
        }
    }

    /// <summary>Redis's wording: "&lt;msg&gt; script: &lt;sha&gt;, on @user_script:&lt;line&gt;." (plain Lua errors get "ERR ").</summary>
    private static void WriteScriptError(IntPtr L, string sha, IReplyWriter output)
    {
        string message = "ERR unknown error";
        long line = 0;
        bool coded = false;
        if (LuaNative.lua_type(L, -1) == LuaNative.TTable)
        {
            LuaNative.GetField(L, -1, "err\0"u8);
            message = LuaNative.ToUtf8(L, -1);
            LuaNative.Pop(L, 1);
            LuaNative.GetField(L, -1, "line\0"u8);
            line = LuaNative.lua_tointegerx(L, -1, out _);
            LuaNative.Pop(L, 1);
            LuaNative.GetField(L, -1, "coded\0"u8);
            coded = LuaNative.lua_toboolean(L, -1) != 0;
            LuaNative.Pop(L, 1);
        }
        else if (LuaNative.lua_type(L, -1) == LuaNative.TString)
        {
            message = LuaNative.ToUtf8(L, -1);
        }
        output.WriteError($"{(coded ? "" : "ERR ")}{message} script: {sha}, on @user_script:{line}.");
    }

    /// <summary>Lua 5.4 writes "near &lt;eof&gt;"; Redis's Lua 5.1 quotes it.</summary>
    private static string FixCompileMessage(string message) => message.Replace("near <eof>", "near '<eof>'");

    private LuaEngine RentEngine()
    {
        var engine = _pool.Rent();
        long epoch = Interlocked.Read(ref _epoch);
        if (engine.Epoch != epoch)
        {
            engine.ForgetScripts();
            engine.Epoch = epoch;
        }
        return engine;
    }

    public void Dispose() => _pool.Dispose();
}
