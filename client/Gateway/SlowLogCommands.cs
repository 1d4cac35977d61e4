using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>SLOWLOG GET / LEN / RESET over every node of the cluster (entry ids are per node).</summary>
public sealed class SlowLogCommands(GatewayContext gateway, ServerInfo info)
{
    public async Task ExecuteAsync(CommandSpec spec, byte[][] args, RespWriter w)
    {
        switch (spec.Name)
        {
            case "slowlog|get":
            {
                long count = 10;
                if (args.Length > 3)
                {
                    w.WriteError("ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.");
                    return;
                }
                if (args.Length == 3 && (!RespNumbers.TryParseInt64(args[2], out count) || count < -1))
                {
                    w.WriteError("ERR count should be greater than or equal to -1");
                    return;
                }
                var entries = await EntriesAsync();
                var shown = count == -1 ? entries : entries.Take((int)Math.Min(count, int.MaxValue)).ToList();
                w.WriteArrayHeader(shown.Count);
                foreach (var entry in shown) Write(entry, w);
                break;
            }
            case "slowlog|len":
                w.WriteInteger((await EntriesAsync()).Count);
                break;
            case "slowlog|reset":
                await gateway.Nodes.Reset(everything: false);
                gateway.SlowLog.Reset();
                w.WriteOk();
                break;
        }
    }

    /// <summary>Every node's entries, newest first, at most slowlog-max-len in all.</summary>
    private async Task<List<SlowLogEntry>> EntriesAsync()
    {
        var reports = await info.ReportsAsync();
        return reports.SelectMany(r => r.SlowLog)
            .OrderByDescending(e => e.UnixTimeMilliseconds).ThenByDescending(e => e.Id)
            .Take((int)Math.Min(gateway.Settings.SlowlogMaxLength, int.MaxValue))
            .ToList();
    }

    private static void Write(SlowLogEntry entry, RespWriter w)
    {
        w.WriteArrayHeader(6);
        w.WriteInteger(entry.Id);
        w.WriteInteger(entry.UnixTimeMilliseconds / 1000);
        w.WriteInteger(entry.Microseconds);
        w.WriteArrayHeader(entry.Arguments.Length);
        foreach (var arg in entry.Arguments) w.WriteBulk(arg);
        w.WriteBulkString(entry.ClientAddress);
        w.WriteBulkString(entry.ClientName);
    }
}
