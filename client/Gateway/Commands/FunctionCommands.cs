using System.Text;
using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// FUNCTION LOAD / DELETE / FLUSH / LIST / STATS / KILL: libraries are cluster state (the configuration
/// grain checks and stores them, every node follows), so the gateway answers from its own copy.
/// </summary>
public static class FunctionCommands
{
    public static void Register(GatewayHandlers handlers)
    {
        handlers.Add("function|load", Load);
        handlers.Add("function|delete", async c =>
        {
            if (await c.Gateway.Cluster.DeleteLibraryAsync(Encoding.UTF8.GetString(c.Args[2]))) c.Reply.WriteOk();
            else c.Reply.WriteError("ERR Library not found");
        });
        handlers.Add("function|flush", async c =>
        {
            var args = c.Args;
            if (args.Length > 3)
            {
                c.Reply.WriteError("ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.");
                return;
            }
            if (args.Length == 3 && !args[2].Is("sync") && !args[2].Is("async"))
            {
                c.Reply.WriteError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
                return;
            }
            await c.Gateway.Cluster.FlushLibrariesAsync();
            c.Reply.WriteOk();
        });
        handlers.Add("function|list", List);
        handlers.Add("function|stats", Stats);
        handlers.Add("function|kill", async c =>
        {
            if (await c.Gateway.Scripts.KillBusy()) c.Reply.WriteOk();
            else c.Reply.WriteError("NOTBUSY No scripts in execution right now.");
        });
        handlers.Add("function|dump", c => c.Reply.WriteBulk(FunctionDump.Write(c.Gateway.Cluster.Functions.Libraries)));
        handlers.Add("function|restore", Restore);
        handlers.AddHelp("function");
    }

    private static async Task Load(GatewayCall c)
    {
        var args = c.Args;
        bool replace = false;
        for (int i = 2; i < args.Length - 1; i++)
        {
            if (args[i].Is("replace")) replace = true;
            else
            {
                c.Reply.WriteError("ERR Unknown option given: " + Encoding.UTF8.GetString(args[i]));
                return;
            }
        }
        var (name, error) = await c.Gateway.Cluster.LoadLibraryAsync(args[^1], replace);
        if (error is not null) c.Reply.WriteError(error);
        else c.Reply.WriteBulkString(name!);
    }

    /// <summary>FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE] (default APPEND).</summary>
    private static async Task Restore(GatewayCall c)
    {
        var args = c.Args;
        if (args.Length > 4)
        {
            c.Reply.WriteError("ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.");
            return;
        }
        string policy = "append";
        if (args.Length == 4)
        {
            if (args[3].Is("append") || args[3].Is("replace") || args[3].Is("flush")) policy = Encoding.ASCII.GetString(args[3]).ToLowerInvariant();
            else
            {
                c.Reply.WriteError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
                return;
            }
        }
        var codes = FunctionDump.Read(args[2], out var error);
        error ??= await c.Gateway.Cluster.RestoreLibrariesAsync(codes!.ToArray(), policy);
        if (error is not null) c.Reply.WriteError(error);
        else c.Reply.WriteOk();
    }

    /// <summary>FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE], in Redis 7.0's shape.</summary>
    private static void List(GatewayCall c)
    {
        var args = c.Args;
        bool withCode = false;
        byte[]? pattern = null;
        for (int i = 2; i < args.Length; i++)
        {
            if (!withCode && args[i].Is("withcode")) withCode = true;
            else if (pattern is null && args[i].Is("libraryname"))
            {
                if (i >= args.Length - 1)
                {
                    c.Reply.WriteError("ERR library name argument was not given");
                    return;
                }
                pattern = args[++i];
            }
            else
            {
                c.Reply.WriteError("ERR Unknown argument " + Encoding.UTF8.GetString(args[i]));
                return;
            }
        }
        var libraries = c.Gateway.Cluster.Functions.Libraries
            .Where(l => pattern is null || GlobPattern.IsMatch(pattern, Encoding.UTF8.GetBytes(l.Name), noCase: true)).ToList();
        var w = c.Reply;
        w.WriteArrayHeader(libraries.Count);
        foreach (var library in libraries)
        {
            w.WriteMapHeader(withCode ? 4 : 3);
            w.WriteBulkString("library_name");
            w.WriteBulkString(library.Name);
            w.WriteBulkString("engine");
            w.WriteBulkString(library.Engine);
            w.WriteBulkString("functions");
            w.WriteArrayHeader(library.Functions.Length);
            foreach (var function in library.Functions) WriteFunction(w, function);
            if (withCode)
            {
                w.WriteBulkString("library_code");
                w.WriteBulk(library.Code);
            }
        }
    }

    private static void WriteFunction(RespWriter w, FunctionDescriptor function)
    {
        w.WriteMapHeader(3);
        w.WriteBulkString("name");
        w.WriteBulkString(function.Name);
        w.WriteBulkString("description");
        if (function.Description is null) w.WriteNull();
        else w.WriteBulkString(function.Description);
        w.WriteBulkString("flags");
        w.WriteSetHeader(function.Flags.Length);
        foreach (var flag in function.Flags) w.WriteSimpleString(flag);
    }

    /// <summary>
    /// FUNCTION STATS: running_script is always null — functions run in many slots at once here, not one at
    /// a time (FUNCTION KILL and the BUSY replies still find a busy one).
    /// </summary>
    private static void Stats(GatewayCall c)
    {
        var catalog = c.Gateway.Cluster.Functions;
        var w = c.Reply;
        w.WriteMapHeader(2);
        w.WriteBulkString("running_script");
        w.WriteNull();
        w.WriteBulkString("engines");
        w.WriteMapHeader(1);
        w.WriteBulkString("LUA");
        w.WriteMapHeader(2);
        w.WriteBulkString("libraries_count");
        w.WriteInteger(catalog.Libraries.Count);
        w.WriteBulkString("functions_count");
        w.WriteInteger(catalog.FunctionCount);
    }
}
