using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>SCRIPT LOAD / EXISTS / FLUSH / KILL against the cluster-wide script registry.</summary>
public sealed class ScriptCommands(IGrainFactory grains, ClusterStateFollower cluster)
{
    private IScriptRegistryGrain Registry => grains.GetGrain<IScriptRegistryGrain>(0);

    public async Task ExecuteAsync(CommandSpec spec, byte[][] args, RespWriter w)
    {
        switch (spec.Name)
        {
            case "script|load":
            {
                var result = await Registry.Load(args[2]);
                if (result.Error is not null) w.WriteError(result.Error);
                else w.WriteBulkString(result.Sha!);
                break;
            }
            case "script|exists":
            {
                var found = await Registry.Exists(args.Skip(2).Select(a => System.Text.Encoding.ASCII.GetString(a)).ToArray());
                w.WriteArrayHeader(found.Length);
                foreach (bool f in found) w.WriteInteger(f ? 1 : 0);
                break;
            }
            case "script|flush":
                if (args.Length > 3 || (args.Length == 3 && !IsMode(args[2])))
                {
                    w.WriteError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
                    break;
                }
                await cluster.FlushScriptsAsync();
                w.WriteOk();
                break;
            case "script|kill":
                if (await Registry.KillBusy()) w.WriteOk();
                else w.WriteError("NOTBUSY No scripts in execution right now.");
                break;
        }
    }

    private static bool IsMode(byte[] arg) => arg.Is("sync") || arg.Is("async");
}
