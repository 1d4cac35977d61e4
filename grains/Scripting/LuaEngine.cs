using OrleansLua.GrainInterfaces.Configuration;
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
    private static readonly byte[] PreludeCode = LoadResource("OrleansLua.Prelude.lua");
    private static readonly byte[] LibrarySupportCode = LoadResource("OrleansLua.LibrarySupport.lua");
    private static readonly (string Name, byte[] Code)[] Libraries = typeof(LuaEngine).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("OrleansLua.Libraries.", StringComparison.Ordinal))
        .Select(n => (n["OrleansLua.Libraries.".Length..^".lua".Length], LoadResource(n)))
        .ToArray();

    /// <summary>How many scripts an engine keeps compiled before it starts over (bounds its memory).</summary>
    private const int MaxCompiledScripts = 1000;

    private readonly int _loadLibraryRef, _compileRef, _onErrorRef, _globalsRef, _scriptsRef, _armRef;
    private readonly LuaAllocator.State* _memory;
    private int _compiled;
    private bool _disposed;

    public IntPtr State { get; }
    /// <summary>The script-cache epoch this engine's compiled scripts belong to (SCRIPT FLUSH bumps it).</summary>
    public long Epoch { get; set; }

    public LuaEngine()
    {
        _memory = LuaAllocator.Create();
        State = lua_newstate(LuaAllocator.Function, (IntPtr)_memory);
        if (State == IntPtr.Zero) throw new OutOfMemoryException("lua_newstate failed");
        var L = State;
        luaL_openlibs(L);
        lua_pushcclosure(L, &ScriptCallbacks.Call, 0);
        SetGlobal(L, "__ol_call\0"u8);
        lua_pushcclosure(L, &ScriptCallbacks.Sha1Hex, 0);
        SetGlobal(L, "__ol_sha1hex\0"u8);
        lua_pushcclosure(L, &ScriptCallbacks.Log, 0);
        SetGlobal(L, "__ol_log\0"u8);
        lua_pushcclosure(L, &ScriptCallbacks.Check, 0);
        SetGlobal(L, "__ol_check\0"u8);
        lua_pushcclosure(L, &ScriptCallbacks.SetResp, 0);
        SetGlobal(L, "__ol_setresp\0"u8);
        lua_pushcclosure(L, &ScriptCallbacks.AclCheck, 0);
        SetGlobal(L, "__ol_acl_check\0"u8);
        NewTable(L);
        lua_pushlightuserdata(L, IntPtr.Zero);
        SetField(L, -2, "null\0"u8);
        SetGlobal(L, "__ol_natives\0"u8);
        NewTable(L);
        foreach (var (name, code) in Libraries)
        {
            PushBytes(L, code);
            SetField(L, -2, System.Text.Encoding.ASCII.GetBytes(name + "\0"));
        }
        SetGlobal(L, "__ol_libraries\0"u8);
        PushBytes(L, LibrarySupportCode);
        SetGlobal(L, "__ol_library_support\0"u8);

        if (LoadText(L, PreludeCode, "=prelude\0"u8) != Ok || PCall(L, 0, 1, 0) != Ok)
            throw new InvalidOperationException("Lua prelude failed: " + ToUtf8(L, -1));
        _loadLibraryRef = RefField("load_library\0"u8);
        _compileRef = RefField("compile\0"u8);
        _onErrorRef = RefField("on_error\0"u8);
        _globalsRef = RefField("globals\0"u8);
        _scriptsRef = RefField("scripts\0"u8);
        _armRef = RefField("arm\0"u8);
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

    /// <summary>Bytes the Lua state holds now.</summary>
    public long MemoryUsed => _memory->Used;

    /// <summary>Whether the allocator refused an allocation since the last <see cref="Arm"/>.</summary>
    public bool MemoryLimitHit => _memory->Refused != 0;

    /// <summary>While suspended, the memory cap does not apply (C# is pushing values).</summary>
    public void SuspendMemoryCap(bool suspended) => _memory->Suspended = suspended ? 1 : 0;

    /// <summary>Installs the time-limit hook and caps this run's memory at current use + <paramref name="memoryLimit"/>.</summary>
    public void Arm(long memoryLimit)
    {
        var L = State;
        lua_rawgeti(L, RegistryIndex, _armRef);
        if (PCall(L, 0, 0, 0) != Ok) Pop(L, 1);
        _memory->Refused = 0;
        _memory->Limit = memoryLimit > 0 ? _memory->Used + memoryLimit : 0;
    }

    /// <summary>Removes the hook from C# (a Lua call could be interrupted by it) and lifts the cap.</summary>
    public void Disarm()
    {
        lua_sethook(State, IntPtr.Zero, 0, 0);
        _memory->Limit = 0;
        if (_memory->Refused != 0) lua_gc(State, GcCollect, 0);
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
        ForgetScriptsIfFull();
        int top = lua_gettop(L);
        try
        {
            lua_rawgeti(L, RegistryIndex, _compileRef);
            PushBytes(L, body);
            if (PCall(L, 1, 2, 0) != Ok) return ToUtf8(L, -1);
            if (lua_type(L, -2) != TFunction) return ToUtf8(L, -1);
            _compiled++;
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

    /// <summary>
    /// Runs a function library's code (its shebang line blanked) under the load-time sandbox and time
    /// limit, keeping its functions under <paramref name="key"/> (see <see cref="FunctionKey"/>). Returns
    /// Redis's error text (without "ERR "), or null and the registered functions.
    /// </summary>
    public string? LoadLibrary(string key, ReadOnlySpan<byte> code, TimeSpan timeout, List<FunctionDescriptor> functions)
    {
        var L = State;
        ForgetScriptsIfFull();
        int top = lua_gettop(L);
        try
        {
            lua_rawgeti(L, RegistryIndex, _loadLibraryRef);
            PushString(L, key);
            PushBytes(L, code);
            lua_pushnumber(L, timeout.TotalSeconds);
            if (PCall(L, 3, 2, 0) != Ok) return ToUtf8(L, -1);
            if (lua_type(L, -2) != TTable) return ToUtf8(L, -1);
            _compiled++;
            int list = lua_gettop(L) - 1;
            long count = (long)lua_rawlen(L, list);
            for (long i = 1; i <= count; i++)
            {
                lua_rawgeti(L, list, i);
                lua_rawgeti(L, -1, 1);
                string name = ToUtf8(L, -1);
                lua_rawgeti(L, -2, 2);
                string flags = ToUtf8(L, -1);
                string? description = lua_rawgeti(L, -3, 3) == TString ? ToUtf8(L, -1) : null;
                functions.Add(new FunctionDescriptor(name, flags.Length == 0 ? [] : flags.Split(','), description));
                Pop(L, 4);
            }
            return null;
        }
        finally
        {
            lua_settop(L, top);
        }
    }

    /// <summary>Where a loaded library keeps one of its functions among the compiled scripts.</summary>
    public static string FunctionKey(string libraryKey, string function) => libraryKey + "/" + function.ToLowerInvariant();

    /// <summary>
    /// Starts the compiled-script cache over once it is full — before anything is pushed, since forgetting
    /// resets the stack (done after pushing, it once corrupted the compile in progress).
    /// </summary>
    private void ForgetScriptsIfFull()
    {
        if (_compiled >= MaxCompiledScripts) ForgetScripts();
    }

    public void ForgetScripts()
    {
        var L = State;
        int top = lua_gettop(L);
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
        lua_settop(L, top);
        _compiled = 0;
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

    private static byte[] LoadResource(string name)
    {
        using var stream = typeof(LuaEngine).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(name + " resource missing");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return ms.ToArray();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lua_close(State);
        LuaAllocator.Free(_memory);
    }
}
