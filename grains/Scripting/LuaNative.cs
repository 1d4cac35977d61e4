using System.Runtime.InteropServices;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// The Lua 5.4 C API, straight from the native library that the KeraLua package ships (liblua54).
/// Callbacks are <c>[UnmanagedCallersOnly]</c> function pointers. Nothing here may raise a Lua error
/// from C#: a longjmp across managed frames corrupts the process (see FACTS.md); C# callbacks return
/// an error value and a Lua wrapper raises it. No [SuppressGCTransition]: it crashed stress runs.
/// </summary>
internal static unsafe partial class LuaNative
{
    private const string Lib = "lua54";

    public const int RegistryIndex = -1000000 - 1000;
    public const int MultiReturn = -1;

    public const int TNone = -1, TNil = 0, TBoolean = 1, TLightUserData = 2, TNumber = 3, TString = 4,
        TTable = 5, TFunction = 6, TUserData = 7, TThread = 8;

    public const int Ok = 0, ErrRun = 2, ErrSyntax = 3, ErrMem = 4, ErrErr = 5;

    public const int GcCollect = 2, GcCount = 3, GcCountB = 4;

    [LibraryImport(Lib)] public static partial IntPtr luaL_newstate();
    [LibraryImport(Lib)] public static partial IntPtr lua_newstate(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, nuint, nuint, IntPtr> alloc, IntPtr ud);
    [LibraryImport(Lib)] public static partial void lua_close(IntPtr L);
    [LibraryImport(Lib)] public static partial void luaL_openlibs(IntPtr L);
    [LibraryImport(Lib)] public static partial int luaL_loadbufferx(IntPtr L, byte* buff, nuint size, byte* name, byte* mode);
    [LibraryImport(Lib)] public static partial int lua_pcallk(IntPtr L, int nargs, int nresults, int msgh, IntPtr ctx, IntPtr k);
    [LibraryImport(Lib)] public static partial int lua_gettop(IntPtr L);
    [LibraryImport(Lib)] public static partial void lua_settop(IntPtr L, int index);
    [LibraryImport(Lib)] public static partial void lua_pushvalue(IntPtr L, int index);
    [LibraryImport(Lib)] public static partial void lua_rotate(IntPtr L, int index, int n);
    [LibraryImport(Lib)] public static partial int lua_checkstack(IntPtr L, int n);
    [LibraryImport(Lib)] public static partial int lua_type(IntPtr L, int index);
    [LibraryImport(Lib)] public static partial byte* lua_tolstring(IntPtr L, int index, out nuint len);
    [LibraryImport(Lib)] public static partial long lua_tointegerx(IntPtr L, int index, out int isnum);
    [LibraryImport(Lib)] public static partial double lua_tonumberx(IntPtr L, int index, out int isnum);
    [LibraryImport(Lib)] public static partial int lua_toboolean(IntPtr L, int index);
    [LibraryImport(Lib)] public static partial int lua_isinteger(IntPtr L, int index);
    [LibraryImport(Lib)] public static partial void lua_pushnil(IntPtr L);
    [LibraryImport(Lib)] public static partial void lua_pushinteger(IntPtr L, long n);
    [LibraryImport(Lib)] public static partial void lua_pushnumber(IntPtr L, double n);
    [LibraryImport(Lib)] public static partial byte* lua_pushlstring(IntPtr L, byte* s, nuint len);
    [LibraryImport(Lib)] public static partial void lua_pushboolean(IntPtr L, int b);
    [LibraryImport(Lib)] public static partial void lua_pushcclosure(IntPtr L, delegate* unmanaged[Cdecl]<IntPtr, int> fn, int n);
    [LibraryImport(Lib)] public static partial void lua_createtable(IntPtr L, int narr, int nrec);
    [LibraryImport(Lib)] public static partial void lua_rawseti(IntPtr L, int index, long n);
    [LibraryImport(Lib)] public static partial int lua_rawgeti(IntPtr L, int index, long n);
    [LibraryImport(Lib)] public static partial void lua_rawset(IntPtr L, int index);
    [LibraryImport(Lib)] public static partial int lua_rawget(IntPtr L, int index);
    [LibraryImport(Lib)] public static partial nuint lua_rawlen(IntPtr L, int index);
    [LibraryImport(Lib)] public static partial int lua_getfield(IntPtr L, int index, byte* k);
    [LibraryImport(Lib)] public static partial void lua_setfield(IntPtr L, int index, byte* k);
    [LibraryImport(Lib)] public static partial int lua_getglobal(IntPtr L, byte* name);
    [LibraryImport(Lib)] public static partial void lua_setglobal(IntPtr L, byte* name);
    [LibraryImport(Lib)] public static partial int luaL_ref(IntPtr L, int t);
    [LibraryImport(Lib)] public static partial int lua_next(IntPtr L, int index);
    [LibraryImport(Lib)] public static partial void lua_sethook(IntPtr L, IntPtr hook, int mask, int count);
    [LibraryImport(Lib)] public static partial void lua_pushlightuserdata(IntPtr L, IntPtr p);
    [LibraryImport(Lib)] public static partial int lua_gc(IntPtr L, int what, int arg);

    // ---- helpers mirroring the C API's macros

    public static void Pop(IntPtr L, int n) => lua_settop(L, -n - 1);
    public static void NewTable(IntPtr L) => lua_createtable(L, 0, 0);

    public static void PushBytes(IntPtr L, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value) lua_pushlstring(L, p == null ? (byte*)1 : p, (nuint)value.Length);
    }

    public static void PushString(IntPtr L, string value)
    {
        int max = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> buffer = max <= 512 ? stackalloc byte[max] : new byte[max];
        int n = System.Text.Encoding.UTF8.GetBytes(value, buffer);
        PushBytes(L, buffer[..n]);
    }

    public static ReadOnlySpan<byte> ToBytes(IntPtr L, int index)
    {
        byte* p = lua_tolstring(L, index, out nuint len);
        return p == null ? default : new ReadOnlySpan<byte>(p, checked((int)len));
    }

    public static string ToUtf8(IntPtr L, int index) => System.Text.Encoding.UTF8.GetString(ToBytes(L, index));

    public static int GetField(IntPtr L, int index, ReadOnlySpan<byte> nulTerminatedName)
    {
        fixed (byte* k = nulTerminatedName) return lua_getfield(L, index, k);
    }

    public static void SetField(IntPtr L, int index, ReadOnlySpan<byte> nulTerminatedName)
    {
        fixed (byte* k = nulTerminatedName) lua_setfield(L, index, k);
    }

    /// <summary>t[name] without metamethods (user tables may carry __index functions).</summary>
    public static int RawGetField(IntPtr L, int index, string name)
    {
        int absolute = index < 0 ? lua_gettop(L) + index + 1 : index;
        PushString(L, name);
        return lua_rawget(L, absolute);
    }

    public static void SetGlobal(IntPtr L, ReadOnlySpan<byte> nulTerminatedName)
    {
        fixed (byte* k = nulTerminatedName) lua_setglobal(L, k);
    }

    public static int GetGlobal(IntPtr L, ReadOnlySpan<byte> nulTerminatedName)
    {
        fixed (byte* k = nulTerminatedName) return lua_getglobal(L, k);
    }

    /// <summary>Compiles a text chunk (mode "t": bytecode is refused).</summary>
    public static int LoadText(IntPtr L, ReadOnlySpan<byte> code, ReadOnlySpan<byte> nulTerminatedChunkName)
    {
        fixed (byte* c = code)
        fixed (byte* n = nulTerminatedChunkName)
        fixed (byte* m = "t\0"u8)
            return luaL_loadbufferx(L, c == null ? (byte*)1 : c, (nuint)code.Length, n, m);
    }

    public static int PCall(IntPtr L, int nargs, int nresults, int msgh) => lua_pcallk(L, nargs, nresults, msgh, IntPtr.Zero, IntPtr.Zero);
}
