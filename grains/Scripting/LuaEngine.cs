using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static OrleansLua.Grains.Scripting.LuaNative;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// One sandboxed lua_State with the Redis scripting environment, caching compiled scripts by SHA1.
/// Used by one thread at a time (the pool hands it out).
/// </summary>
internal sealed unsafe class LuaEngine : IDisposable
{
    private static readonly byte[] PreludeCode = LoadPrelude();

    private readonly int _compileRef, _onErrorRef, _globalsRef, _scriptsRef;
    private bool _disposed;

    public IntPtr State { get; }
    /// <summary>The script-cache epoch this engine's compiled scripts belong to (SCRIPT FLUSH bumps it).</summary>
    public long Epoch { get; set; }

    public LuaEngine()
    {
        State = luaL_newstate();
        if (State == IntPtr.Zero) throw new OutOfMemoryException("lua_newstate failed");
        var L = State;
        luaL_openlibs(L);
        lua_pushcclosure(L, &ScriptCallbacks.Call, 0);
        SetGlobal(L, "__ol_call\0"u8);
        lua_pushcclosure(L, &ScriptCallbacks.Sha1Hex, 0);
        SetGlobal(L, "__ol_sha1hex\0"u8);
        lua_pushcclosure(L, &ScriptCallbacks.Log, 0);
        SetGlobal(L, "__ol_log\0"u8);

        if (LoadText(L, PreludeCode, "=prelude\0"u8) != Ok || PCall(L, 0, 1, 0) != Ok)
            throw new InvalidOperationException("Lua prelude failed: " + ToUtf8(L, -1));
        _compileRef = RefField("compile\0"u8);
        _onErrorRef = RefField("on_error\0"u8);
        _globalsRef = RefField("globals\0"u8);
        _scriptsRef = RefField("scripts\0"u8);
        lua_settop(L, 0);
        SanitizeGlobals();
    }

    /// <summary>Drops everything from the real global table that scripts must not reach (debug, io, os, load…).</summary>
    private void SanitizeGlobals()
    {
        // The prelude captured what it needs; scripts only ever see the sandbox env, but C#
        // callbacks never run arbitrary globals either, so a clean table is defence in depth.
        foreach (var name in new[] { "io\0"u8.ToArray(), "os\0"u8.ToArray(), "debug\0"u8.ToArray(), "package\0"u8.ToArray(),
                     "require\0"u8.ToArray(), "dofile\0"u8.ToArray(), "loadfile\0"u8.ToArray() })
        {
            lua_pushnil(State);
            SetGlobal(State, name);
        }
    }

    private int RefField(ReadOnlySpan<byte> name)
    {
        GetField(State, -1, name);
        return luaL_ref(State, RegistryIndex);
    }

    public bool HasScript(string sha)
    {
        var L = State;
        lua_rawgeti(L, RegistryIndex, _scriptsRef);
        PushString(L, sha);
        int type = lua_rawget(L, -2);
        Pop(L, 2);
        return type == TFunction;
    }

    /// <summary>Compiles and caches a script; returns the Lua compile error, or null.</summary>
    public string? Compile(string sha, ReadOnlySpan<byte> body)
    {
        var L = State;
        int top = lua_gettop(L);
        try
        {
            lua_rawgeti(L, RegistryIndex, _compileRef);
            PushBytes(L, body);
            if (PCall(L, 1, 2, 0) != Ok) return ToUtf8(L, -1);
            if (lua_type(L, -2) != TFunction) return ToUtf8(L, -1);
            lua_rawgeti(L, RegistryIndex, _scriptsRef);
            PushString(L, sha);
            lua_pushvalue(L, -4);
            lua_rawset(L, -3);
            return null;
        }
        finally
        {
            lua_settop(L, top);
        }
    }

    public void ForgetScripts()
    {
        var L = State;
        lua_rawgeti(L, RegistryIndex, _scriptsRef);
        // Clear the cache table in place (the prelude holds the same table).
        lua_pushnil(L);
        var keys = new List<string>();
        while (lua_next(L, -2) != 0)
        {
            Pop(L, 1);
            keys.Add(ToUtf8(L, -1));
        }
        foreach (var key in keys)
        {
            PushString(L, key);
            lua_pushnil(L);
            lua_rawset(L, -3);
        }
        lua_settop(L, 0);
        lua_gc(L, GcCollect, 0);
    }

    /// <summary>
    /// Runs a cached script with KEYS and ARGV. On success the script's return value is left on
    /// the stack top and true is returned; on failure the message handler's error table is there.
    /// </summary>
    public bool Run(string sha, byte[][] args, int keyStart, int keyCount)
    {
        var L = State;
        lua_checkstack(L, 8);
        lua_rawgeti(L, RegistryIndex, _onErrorRef);
        int handler = lua_gettop(L);

        lua_rawgeti(L, RegistryIndex, _globalsRef);
        PushArgsTable(L, args, keyStart, keyCount);
        SetField(L, -2, "KEYS\0"u8);
        PushArgsTable(L, args, keyStart + keyCount, args.Length - keyStart - keyCount);
        SetField(L, -2, "ARGV\0"u8);
        Pop(L, 1);

        lua_rawgeti(L, RegistryIndex, _scriptsRef);
        PushString(L, sha);
        lua_rawget(L, -2);
        lua_rotate(L, -2, 1);
        Pop(L, 1);
        bool ok = PCall(L, 0, 1, handler) == Ok;
        // leave [handler, result]: drop the handler below the result
        lua_rotate(L, handler, -1);
        Pop(L, 1);
        return ok;
    }

    private static void PushArgsTable(IntPtr L, byte[][] args, int start, int count)
    {
        lua_createtable(L, count, 0);
        for (int i = 0; i < count; i++)
        {
            PushBytes(L, args[start + i]);
            lua_rawseti(L, -2, i + 1);
        }
    }

    public int Top => lua_gettop(State);
    public void SetTop(int top) => lua_settop(State, top);

    private static byte[] LoadPrelude()
    {
        using var stream = typeof(LuaEngine).Assembly.GetManifestResourceStream("OrleansLua.Prelude.lua")
            ?? throw new InvalidOperationException("Prelude.lua resource missing");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return ms.ToArray();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lua_close(State);
    }
}
