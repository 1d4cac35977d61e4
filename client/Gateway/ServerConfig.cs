using System.Text;
using OrleansLua.GrainInterfaces;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// CONFIG GET/SET. The settings OrleansLua honours at run time (<see cref="ServerSettings"/>) are
/// settable and reach every silo; the others are reported for clients that read them and are
/// immutable.
/// </summary>
public sealed class ServerConfig(GatewayOptions options, ServerSettings settings, IGrainFactory grains, ScriptCommands scripts)
{
    private IEnumerable<(string Name, string Value)> Fixed =>
    [
        ("port", options.Port.ToString()),
        ("bind", options.Bind),
        ("databases", "1"),
        ("save", ""),
        ("appendonly", options.AppendOnly ? "yes" : "no"),
        ("appendfsync", options.AppendFsync),
        ("maxmemory", "0"),
        ("maxmemory-policy", "noeviction"),
        ("maxclients", "10000"),
        ("timeout", "0"),
        ("cluster-enabled", "no"),
        ("proto-max-bulk-len", RespRequestParser.MaxBulkLength.ToString()),
        ("slowlog-log-slower-than", "10000"),
        ("slowlog-max-len", "128"),
        ("requirepass", ""),
    ];

    public void Get(byte[][] args, RespWriter w)
    {
        var patterns = args.Skip(2).Select(a => Encoding.UTF8.GetString(a).ToLowerInvariant()).ToArray();
        var matches = Fixed.Concat(settings.All)
            .Where(p => patterns.Any(pattern => Glob(pattern, p.Name)))
            .ToList();
        w.WriteMapHeader(matches.Count);
        foreach (var (name, value) in matches)
        {
            w.WriteBulkString(name);
            w.WriteBulkString(value);
        }
    }

    public async Task SetAsync(byte[][] args, RespWriter w)
    {
        if (args.Length % 2 != 0)
        {
            w.WriteError($"ERR Unknown option or number of arguments for CONFIG SET - '{Encoding.UTF8.GetString(args[2])}'");
            return;
        }
        // Validate everything first, as Redis does: one bad pair changes nothing.
        var staged = new ServerSettings();
        staged.Apply(settings.Snapshot());
        for (int i = 2; i < args.Length; i += 2)
        {
            var name = Encoding.UTF8.GetString(args[i]).ToLowerInvariant();
            if (!ServerSettings.IsKnown(name))
            {
                w.WriteError(Fixed.Any(p => p.Name == name)
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
        var snapshot = staged.Snapshot();
        settings.Apply(snapshot);
        var state = await grains.GetGrain<IScriptRegistryGrain>(0).SetConfig(new Dictionary<string, long>(snapshot));
        await scripts.PublishAsync(state);
        w.WriteOk();
    }

    private static bool Glob(string pattern, string name) =>
        pattern == "*" || pattern == name ||
        System.Text.RegularExpressions.Regex.IsMatch(name,
            "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$");
}
