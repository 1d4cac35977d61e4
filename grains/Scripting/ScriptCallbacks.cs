using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using static OrleansLua.Grains.Scripting.LuaNative;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// The C functions Lua calls. Each catches everything: an exception must never unwind into Lua,
/// and Lua errors are never raised from here — failures return (errtable, true) for the Lua
/// wrapper to raise.
/// </summary>
internal static unsafe class ScriptCallbacks
{
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Call(IntPtr L) => InScript(L, "ERR redis.call is only available while a script runs", static (e, l) => e.Call(l));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int AclCheck(IntPtr L) =>
        InScript(L, "ERR redis.acl_check_cmd can only be called inside a script invocation", static (e, l) => e.AclCheck(l));

    /// <summary>Runs a callback of the running script; the memory cap is lifted while C# pushes values into its state.</summary>
    private static int InScript(IntPtr L, string outside, Func<ScriptExecution, IntPtr, int> callback)
    {
        try
        {
            var execution = ScriptExecution.Current;
            if (execution is null) return Fail(L, outside);
            execution.Engine.SuspendMemoryCap(true);
            try
            {
                return callback(execution, L);
            }
            finally
            {
                execution.Engine.SuspendMemoryCap(false);
            }
        }
        catch (Exception ex)
        {
            return Fail(L, "ERR " + ex.Message);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Sha1Hex(IntPtr L)
    {
        try
        {
            Span<byte> hash = stackalloc byte[20];
            SHA1.HashData(ToBytes(L, 1), hash);
            PushString(L, Convert.ToHexStringLower(hash));
            return 1;
        }
        catch (Exception ex)
        {
            return Fail(L, "ERR " + ex.Message);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Log(IntPtr L)
    {
        try
        {
            long level = lua_tointegerx(L, 1, out _);
            ScriptExecution.Current?.Log(level, ToUtf8(L, 2));
            return 0;
        }
        catch
        {
            return 0;
        }
    }

    /// <summary>The time-limit hook's question: nil to go on, or the error text that stops the script.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Check(IntPtr L)
    {
        try
        {
            var reason = ScriptExecution.Current?.StopReason();
            if (reason is null) lua_pushnil(L);
            else PushString(L, reason);
            return 1;
        }
        catch
        {
            lua_pushnil(L);
            return 1;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int SetResp(IntPtr L)
    {
        try
        {
            var execution = ScriptExecution.Current;
            if (execution is not null) execution.Resp = lua_tointegerx(L, 1, out _) == 3 ? Protocol.RespProtocol.Resp3 : Protocol.RespProtocol.Resp2;
            return 0;
        }
        catch
        {
            return 0;
        }
    }

    /// <summary>Leaves (errtable, true) as the two results.</summary>
    public static int Fail(IntPtr L, string message)
    {
        LuaReplyWriter.PushErrorTable(L, message);
        lua_pushboolean(L, 1);
        return 2;
    }
}
