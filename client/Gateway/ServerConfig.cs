using System.Text;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>CONFIG GET/SET over the parameters OrleansLua reports. None is settable at run time yet.</summary>
public static class ServerConfig
{
    private static IEnumerable<(string Name, string Value)> Parameters(GatewayOptions options) =>
    [
        ("port", options.Port.ToString()),
        ("bind", options.Bind),
        ("databases", "1"),
        ("save", ""),
        ("appendonly", "no"),
        ("appendfsync", "everysec"),
        ("maxmemory", "0"),
        ("maxmemory-policy", "noeviction"),
        ("maxclients", "10000"),
        ("timeout", "0"),
        ("cluster-enabled", "no"),
        ("proto-max-bulk-len", RespRequestParser.MaxBulkLength.ToString()),
        ("lua-time-limit", "5000"),
        ("busy-reply-threshold", "5000"),
        ("slowlog-log-slower-than", "10000"),
        ("slowlog-max-len", "128"),
        ("requirepass", ""),
    ];

    public static void Get(byte[][] args, RespWriter w, GatewayOptions options)
    {
        var patterns = args.Skip(2).Select(a => Encoding.UTF8.GetString(a).ToLowerInvariant()).ToArray();
        var matches = Parameters(options)
            .Where(p => patterns.Any(pattern => Glob(pattern, p.Name)))
            .ToList();
        w.WriteMapHeader(matches.Count);
        foreach (var (name, value) in matches)
        {
            w.WriteBulkString(name);
            w.WriteBulkString(value);
        }
    }

    public static void Set(byte[][] args, RespWriter w)
    {
        var name = Encoding.UTF8.GetString(args[2]).ToLowerInvariant();
        if (args.Length % 2 != 0 || !Parameters(new GatewayOptions()).Any(p => p.Name == name))
            w.WriteError($"ERR Unknown option or number of arguments for CONFIG SET - '{name}'");
        else
            w.WriteError($"ERR CONFIG SET failed (possibly related to argument '{name}') - can't set immutable config");
    }

    private static bool Glob(string pattern, string name) =>
        pattern == "*" || pattern == name ||
        System.Text.RegularExpressions.Regex.IsMatch(name,
            "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$");
}
