using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>SCRIPT LOAD / EXISTS / FLUSH / KILL against the cluster-wide script registry.</summary>
public static class ScriptCommands
{
    public static void Register(GatewayHandlers handlers)
    {
        handlers.Add("script|load", async c =>
        {
            var result = await c.Gateway.Scripts.Load(c.Args[2]);
            if (result.Error is not null) c.Reply.WriteError(result.Error);
            else c.Reply.WriteBulkString(result.Sha!);
        });
        handlers.Add("script|exists", async c =>
        {
            var found = await c.Gateway.Scripts.Exists(c.Args.Skip(2).Select(a => System.Text.Encoding.ASCII.GetString(a)).ToArray());
            c.Reply.WriteArrayHeader(found.Length);
            foreach (bool f in found) c.Reply.WriteInteger(f ? 1 : 0);
        });
        handlers.Add("script|flush", async c =>
        {
            var args = c.Args;
            if (args.Length > 3 || (args.Length == 3 && !IsMode(args[2])))
            {
                c.Reply.WriteError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
                return;
            }
            await c.Gateway.Cluster.FlushScriptsAsync();
            c.Reply.WriteOk();
        });
        handlers.Add("script|kill", async c =>
        {
            if (await c.Gateway.Scripts.KillBusy()) c.Reply.WriteOk();
            else c.Reply.WriteError("NOTBUSY No scripts in execution right now.");
        });
        handlers.AddHelp("script");
    }

    private static bool IsMode(byte[] arg) => arg.Is("sync") || arg.Is("async");
}
