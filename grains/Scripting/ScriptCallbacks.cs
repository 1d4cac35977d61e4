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
    public static int Call(IntPtr L)
    {
        try
        {
            var execution = ScriptExecution.Current;
            if (execution is null) return Fail(L, "ERR redis.call is only available while a script runs");
            return execution.Call(L);
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

    /// <summary>Leaves (errtable, true) as the two results.</summary>
    public static int Fail(IntPtr L, string message)
    {
        LuaReplyWriter.PushErrorTable(L, message);
        lua_pushboolean(L, 1);
        return 2;
    }
}
