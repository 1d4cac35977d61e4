using System.Text;
using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// CONFIG GET/SET/RESETSTAT. The settings OrleansLua honours (<see cref="ServerSettings"/>) are settable and
/// reach every node of the cluster; the others are reported for clients that read them and are
/// immutable. CONFIG GET of an unknown name matches nothing, as in Redis.
/// </summary>
public static class ServerConfig
{
    public static void Register(GatewayHandlers handlers)
    {
        handlers.Add("config|get", c => Get(c.Gateway, c.Args, c.Reply));
        handlers.Add("config|set", c => SetAsync(c.Gateway, c.Args, c.Reply));
        handlers.Add("config|resetstat", async c =>
        {
            var gateway = c.Gateway;
            await gateway.Nodes.Reset(everything: true);
            gateway.CommandStats.Reset();
            gateway.Stats.Reset();
            gateway.SlowLog.Reset();
            c.Reply.WriteOk();
        });
        handlers.AddHelp("config");
    }

    private static IEnumerable<(string Name, string Value)> Fixed(GatewayOptions options) =>
    [
        ("port", options.Port.ToString()),
        ("bind", options.Bind),
        ("databases", "1"),
        ("appendonly", options.AppendOnly ? "yes" : "no"),
        ("appendfsync", options.AppendFsync),
        ("maxmemory", "0"),
        ("maxmemory-policy", "noeviction"),
        ("cluster-enabled", "yes"),
    ];

    private static void Get(GatewayContext gateway, byte[][] args, RespWriter w)
    {
        var patterns = args.Skip(2).ToArray();
        var matches = Fixed(gateway.Options).Concat(gateway.Settings.All)
            .Where(p => patterns.Any(pattern => GlobPattern.IsMatch(pattern, Encoding.UTF8.GetBytes(p.Name), noCase: true)))
            .ToList();
        w.WriteMapHeader(matches.Count);
        foreach (var (name, value) in matches)
        {
            w.WriteBulkString(name);
            w.WriteBulkString(value);
        }
    }

    private static async Task SetAsync(GatewayContext gateway, byte[][] args, RespWriter w)
    {
        var cluster = gateway.Cluster;
        if (args.Length % 2 != 0)
        {
            w.WriteError("ERR syntax error"); // a name without its value, as Redis 7 answers
            return;
        }
        // Validate everything first, as Redis does: one bad pair changes nothing.
        var staged = new ServerSettings();
        staged.Apply(cluster.Settings.Snapshot());
        var changes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 2; i < args.Length; i += 2)
        {
            var name = Encoding.UTF8.GetString(args[i]).ToLowerInvariant();
            if (!ServerSettings.IsKnown(name))
            {
                w.WriteError(Fixed(gateway.Options).Any(p => p.Name == name)
                    ? $"ERR CONFIG SET failed (possibly related to argument '{name}') - can't set immutable config"
                    : $"ERR Unknown option or number of arguments for CONFIG SET - '{name}'");
                return;
            }
            var error = staged.TrySet(name, Encoding.UTF8.GetString(args[i + 1]));
            if (error is not null)
            {
                w.WriteError(error);
                return;
            }
        }
        foreach (var (name, value) in staged.Snapshot())
            if (cluster.Settings.Get(name) != value) changes[name] = value;
        // requirepass is always written: it also resets the default user's passwords
        for (int i = 2; i < args.Length; i += 2)
            if (ServerSettings.IsSecret(Encoding.UTF8.GetString(args[i]))) changes[ServerSettings.RequirePass] = staged.Get(ServerSettings.RequirePass)!;
        if (changes.Count > 0) await cluster.ConfigureAsync(changes);
        w.WriteOk();
    }
}
