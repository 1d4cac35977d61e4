using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.GrainInterfaces.Security;
using OrleansLua.Grains.Commands;
using OrleansLua.Protocol;
using static OrleansLua.Grains.Scripting.LuaNative;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// One running script: what <c>redis.call</c> may touch (its slot, read-only or not) and the
/// command context it runs commands in. Callbacks find it through a thread-static, since a Lua
/// state runs on one thread from start to end of a script.
/// </summary>
internal sealed class ScriptExecution(LuaEngine engine, CommandContext context, int slot, ScriptInfo script, bool readOnly,
    bool keyless, ServerSettings settings, ILogger logger)
{
    public const string KilledError = "ERR Script killed by user with SCRIPT KILL...";
    private const string RelocatingError = "ERR Script moves to the slot of the first key it touched";

    [ThreadStatic] private static ScriptExecution? _current;

    public static ScriptExecution? Current => _current;

    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();
    private volatile bool _killed;

    private readonly long _hardTimeLimitMs = settings.ScriptHardTimeLimitMs;

    public LuaEngine Engine { get; } = engine;
    /// <summary>How the registry names this run to SCRIPT KILL (random: unique across silos).</summary>
    public long Id { get; } = Random.Shared.NextInt64();
    /// <summary>The slot whose keys it may touch; -1 for a keyless script.</summary>
    public int Slot { get; } = slot;
    /// <summary>The client that waits for the reply (null: not known).</summary>
    public string? Client { get; } = context.Client;
    /// <summary>The protocol the script chose with redis.setresp: how replies reach it as Lua values.</summary>
    public Protocol.RespProtocol Resp { get; set; } = Protocol.RespProtocol.Resp2;
    public TimeSpan Elapsed => System.Diagnostics.Stopwatch.GetElapsedTime(_started);
    public bool Killed => _killed;

    /// <summary>
    /// A keyless script outside any slot touched a key: the slot it must run in instead (-1: none). It is stopped
    /// and run again from the start in that slot's grain — nothing it did here was observable, since outside a
    /// slot only PING, ECHO and TIME run (redis.log lines may repeat).
    /// </summary>
    public int RelocateTo { get; private set; } = -1;

    /// <summary>SCRIPT KILL, from any thread: the hook stops the script at its next check.</summary>
    public void Kill() => _killed = true;

    private int _reported;
    /// <summary>Whether the cluster registry knows this script is busy (so SCRIPT KILL finds it).</summary>
    public bool Reported => Volatile.Read(ref _reported) != 0;

    /// <summary>True the first time only: the caller reports the script as busy.</summary>
    public bool MarkReported() => Interlocked.Exchange(ref _reported, 1) == 0;

    /// <summary>Why the script must stop now, or null.</summary>
    public string? StopReason()
    {
        if (_killed) return KilledError;
        if (RelocateTo >= 0) return RelocatingError;
        var elapsed = Elapsed.TotalMilliseconds;
        if (_hardTimeLimitMs > 0 && elapsed > _hardTimeLimitMs)
            return $"ERR Script killed after running longer than script-hard-time-limit ({_hardTimeLimitMs} ms)";
        return null;
    }

    private readonly List<int> _keyIndexes = [];

    public IDisposable Enter()
    {
        var previous = _current;
        _current = this;
        return new Scope(previous);
    }

    private sealed class Scope(ScriptExecution? previous) : IDisposable
    {
        public void Dispose() => _current = previous;
    }

    /// <summary>redis.call / redis.pcall: runs one command on the script's slot.</summary>
    public int Call(IntPtr L)
    {
        var args = Arguments(L, out var argumentError);
        if (args is null) return ScriptCallbacks.Fail(L, argumentError!);

        // Redis looks the command up first (an unknown subcommand is an unknown command), then checks arity.
        var spec = CommandTable.Resolve(args, out var error);
        if (spec is null)
        {
            var found = CommandTable.Find(args[0]);
            return ScriptCallbacks.Fail(L, found is null || found.Subcommands.Count > 0 && args.Length > 1 && CommandTable.FindSubcommand(found, args[1]) is null
                ? "ERR Unknown Redis command called from script"
                : "ERR Wrong number of args calling Redis command from script");
        }
        if (spec.Has(CommandFlags.NoScript))
            return ScriptCallbacks.Fail(L, "ERR This Redis command is not allowed from script");
        if (context.User is { } user && user.Check(spec, args, _keyIndexes) is not AclDenial.None and var denial)
            return ScriptCallbacks.Fail(L, denial switch
            {
                AclDenial.Command => "ERR The user executing the script can't run this command or subcommand",
                AclDenial.Key => "ERR The user executing the script can't access at least one of the keys mentioned in the command arguments",
                _ => "ERR The user executing the script can't publish to the channel mentioned in the command",
            });
        var handler = CommandHandlers.For(spec);
        if (handler is null || spec.Routing == CommandRouting.AllSlots)
            return ScriptCallbacks.Fail(L, spec.Routing == CommandRouting.AllSlots
                ? $"ERR '{spec.Name}' covers every slot and cannot be called from a script"
                : "ERR This Redis command is not allowed from script");
        if ((readOnly || script.Flags.HasFlag(ScriptFlags.NoWrites)) && spec.Has(CommandFlags.Write))
            return ScriptCallbacks.Fail(L, "ERR Write commands are not allowed from read-only scripts.");

        _keyIndexes.Clear();
        error = spec.Keys.Collect(args, _keyIndexes);
        if (error is not null) return ScriptCallbacks.Fail(L, error);
        foreach (int index in _keyIndexes)
        {
            int keySlot = HashSlot.Of(args[index]);
            if (keySlot == Slot) continue;
            if (Slot < 0)
            {
                RelocateTo = keySlot;
                return ScriptCallbacks.Fail(L, RelocatingError);
            }
            return ScriptCallbacks.Fail(L, script.Flags.HasFlag(ScriptFlags.AllowCrossSlotKeys)
                ? "ERR Script attempted to access a key outside its slot: 'allow-cross-slot-keys' cannot be honoured because a script is atomic only inside its slot's shard grain"
                // a keyless script is pinned to the slot of the first key it touched, as in Redis Cluster
                : keyless ? "ERR Script attempted to access keys that do not hash to the same slot"
                : "ERR Script attempted to access a non local key in a cluster node");
        }

        var reply = new LuaReplyWriter(L, Resp);
        var previousReply = context.Reply;
        var previousArgs = context.Args;
        context.Reply = reply;
        context.Args = args;
        context.InScript = true;
        try
        {
            handler(context);
        }
        finally
        {
            context.Reply = previousReply;
            context.Args = previousArgs;
            context.InScript = false;
        }
        if (!reply.IsError) return 1;
        lua_pushboolean(L, 1);
        return 2;
    }

    /// <summary>
    /// redis.acl_check_cmd: whether the script's user may run the command with these arguments (its
    /// permission, keys and channels, as ACL checks them; arity is not checked, as in Redis).
    /// </summary>
    public int AclCheck(IntPtr L)
    {
        var args = Arguments(L, out var argumentError);
        if (args is null) return ScriptCallbacks.Fail(L, argumentError!);
        var spec = CommandTable.Find(args[0]);
        if (spec is not null && spec.Subcommands.Count > 0 && args.Length > 1) spec = CommandTable.FindSubcommand(spec, args[1]);
        if (spec is null) return ScriptCallbacks.Fail(L, "ERR Invalid command passed to redis.acl_check_cmd()");
        bool allowed = context.User is not { } user || user.Check(spec, args, _keyIndexes) == AclDenial.None;
        lua_pushboolean(L, allowed ? 1 : 0);
        return 1;
    }

    /// <summary>The Lua arguments of a redis lib call as command arguments, or null and Redis's error.</summary>
    private static byte[][]? Arguments(IntPtr L, out string? error)
    {
        error = null;
        int argc = lua_gettop(L);
        if (argc == 0)
        {
            error = "ERR Please specify at least one argument for this redis lib call";
            return null;
        }
        var args = new byte[argc][];
        for (int i = 0; i < argc; i++)
        {
            int type = lua_type(L, i + 1);
            if (type == TString) args[i] = ToBytes(L, i + 1).ToArray();
            else if (type == TNumber) args[i] = NumberArgument(L, i + 1);
            else
            {
                error = "ERR Lua redis lib command arguments must be strings or integers";
                return null;
            }
        }
        return args;
    }

    /// <summary>Numbers become command arguments as Redis prints them: integers plainly, floats with %.17g.</summary>
    private static byte[] NumberArgument(IntPtr L, int index)
    {
        if (lua_isinteger(L, index) != 0)
            return Encoding.ASCII.GetBytes(lua_tointegerx(L, index, out _).ToString(CultureInfo.InvariantCulture));
        return Encoding.ASCII.GetBytes(LuaNumbers.FormatG17(lua_tonumberx(L, index, out _)));
    }

    public void Log(long level, string message)
    {
        var logLevel = level switch
        {
            0 => LogLevel.Debug,
            1 => LogLevel.Information,
            2 => LogLevel.Information,
            _ => LogLevel.Warning,
        };
        logger.Log(logLevel, "script (slot {Slot}): {Message}", Slot, message);
    }
}

/// <summary>C's printf number formats, which Redis uses when it turns Lua numbers into text.</summary>
internal static class LuaNumbers
{
    /// <summary>printf("%.17g").</summary>
    public static string FormatG17(double value) =>
        double.IsNaN(value) && double.IsNegative(value) ? "-nan" : RespNumbers.FormatDouble(value);
}
