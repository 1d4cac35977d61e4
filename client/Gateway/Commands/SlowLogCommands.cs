using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>SLOWLOG GET / LEN / RESET over every node of the cluster (entry ids are per node).</summary>
public static class SlowLogCommands
{
    public static void Register(GatewayHandlers handlers)
    {
        handlers.Add("slowlog|get", c => GetAsync(c.Gateway, c.Args, c.Reply));
        handlers.Add("slowlog|len", async c => c.Reply.WriteInteger((await EntriesAsync(c.Gateway)).Count));
        handlers.Add("slowlog|reset", async c =>
        {
            await c.Gateway.Nodes.Reset(everything: false);
            c.Gateway.SlowLog.Reset();
            c.Reply.WriteOk();
        });
        handlers.AddHelp("slowlog");
    }

    private static async Task GetAsync(GatewayContext gateway, byte[][] args, RespWriter w)
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
        var entries = await EntriesAsync(gateway);
        var shown = count == -1 ? entries : entries.Take((int)Math.Min(count, int.MaxValue)).ToList();
        w.WriteArrayHeader(shown.Count);
        foreach (var entry in shown) Write(entry, w);
    }

    /// <summary>Every node's entries, newest first, at most slowlog-max-len in all.</summary>
    private static async Task<List<SlowLogEntry>> EntriesAsync(GatewayContext gateway)
    {
        var reports = await gateway.Info.ReportsAsync();
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
