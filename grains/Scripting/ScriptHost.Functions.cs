using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// Functions (FCALL): a function call is a script run whose compiled body is the library's registered
/// callback. A library is loaded into each Lua state once per version (its code's SHA1), on first call.
/// </summary>
public sealed partial class ScriptHost
{
    /// <summary>Redis's limit on a library's top-level code at FUNCTION LOAD.</summary>
    public static readonly TimeSpan LoadTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A library the cluster already accepted, loaded again into another Lua state: more room than at
    /// FUNCTION LOAD (a busy machine), still bounded so that no slot waits forever on it.
    /// </summary>
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(10);

    private static bool IsFunctionCall(byte[][] args) => (args[0][0] | 0x20) == 'f';

    private static string LibraryKey(FunctionLibrary library) => "lib:" + library.Version;

    /// <summary>FUNCTION LOAD's check on this silo: runs the library's code and lists what it registered. Null and Redis's error on failure.</summary>
    public FunctionLibrary? CompileLibrary(byte[] code, out string? error)
    {
        var metadata = LibraryMetadata.Parse(code, out error);
        if (metadata is null) return null;
        var library = new FunctionLibrary(metadata.Name, metadata.Engine, code, []);
        var functions = new List<FunctionDescriptor>();
        var engine = RentEngine();
        try
        {
            var message = engine.LoadLibrary(LibraryKey(library), metadata.LuaCode, LoadTimeout, functions);
            if (message is not null)
            {
                error = "ERR " + message;
                return null;
            }
        }
        finally
        {
            _pool.Return(engine);
        }
        if (functions.Count == 0)
        {
            error = "ERR No functions registered";
            return null;
        }
        return library with { Functions = functions.ToArray() };
    }

    /// <summary>FCALL/FCALL_RO's function as a script: its flags, and its key among the engine's compiled scripts. Null: Redis's error was written.</summary>
    private ScriptInfo? ResolveFunction(byte[][] args, bool readOnly, IReplyWriter output, out FunctionLibrary library)
    {
        if (!_cluster.Functions.TryFind(System.Text.Encoding.UTF8.GetString(args[1]), out library, out var function))
        {
            output.WriteError("ERR Function not found");
            return null;
        }
        var info = ScriptInfo.ForFunction(LuaEngine.FunctionKey(LibraryKey(library), function.Name), function.Name, function.Flags);
        if (readOnly && !info.Flags.HasFlag(ScriptFlags.NoWrites))
        {
            output.WriteError("ERR Can not execute a script with write flag using *_ro command.");
            return null;
        }
        return info;
    }

    /// <summary>Makes sure the engine has the function's library (this version) loaded; Redis-style error text or null.</summary>
    private static string? EnsureLibrary(LuaEngine engine, FunctionLibrary library, ScriptInfo function)
    {
        if (engine.HasScript(function.Sha)) return null;
        var metadata = LibraryMetadata.Parse(library.Code, out var error);
        if (metadata is null) return error;
        var message = engine.LoadLibrary(LibraryKey(library), metadata.LuaCode, ReloadTimeout, []);
        if (message is not null) return "ERR " + message;
        return engine.HasScript(function.Sha) ? null : "ERR Function not found";
    }
}
