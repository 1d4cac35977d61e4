using System.Globalization;

namespace OrleansLua.LoadGen;

/// <summary>A command-line mistake: Program prints the message and the usage and exits with 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The parsed command line. Kept apart from the run so the CLI contract (used by the scenario scripts) is in one place.</summary>
public sealed record Options
{
    public const string Usage = """
        usage: OrleansLua.LoadGen --ports 6379[,6380,...] --workload W --connections N
                                  [--pipeline D] [--duration 10] [--warmup 2] [--rate R] [--keys 100000]
                                  [--label TEXT] [--out result.json] [--host 127.0.0.1] [--cluster [--refresh 2]]
          --ports        gateway ports; connections are spread round-robin over them
                         (with --cluster: seeds, asked for CLUSTER SLOTS until one answers)
          --workload     getset | incr | evalsha | ratelimit | transfer | hotkey | spread
          --connections  number of TCP connections
          --pipeline     requests in flight per connection (default 1)
          --duration     measured seconds (default 10)
          --warmup       seconds run before measuring, not recorded (default 2)
          --rate         open loop: R requests/s in total, latency from the intended send time
                         (default: closed loop, each reply triggers the next request)
          --keys         key space of the random-key workloads (default 100000)
          --label        free text copied to the JSON result
          --out          write the JSON result to this file
          --host         server address (default 127.0.0.1)
          --cluster      Redis Cluster client: every connection has a socket to every node and sends each
                         request to its slot's node (CLUSTER SLOTS), follows -MOVED, refreshes the map
          --refresh      cluster mode: seconds between CLUSTER SLOTS refreshes (default 2)
        exit codes: 0 ok, 2 usage error, 3 invariant violated (transfer), 4 no operation succeeded
        """;

    public required string Host { get; init; }
    public required IReadOnlyList<int> Ports { get; init; }
    public required string Workload { get; init; }
    public required int Connections { get; init; }
    public int Pipeline { get; init; } = 1;
    public double DurationSeconds { get; init; } = 10;
    public double WarmupSeconds { get; init; } = 2;
    /// <summary>Total requests per second in open-loop mode; null means closed loop.</summary>
    public double? Rate { get; init; }
    public int Keys { get; init; } = 100_000;
    public required string Label { get; init; }
    public string? Out { get; init; }
    public bool Help { get; init; }
    /// <summary>Redis Cluster mode: route by slot over the nodes CLUSTER SLOTS names (the ports are seeds).</summary>
    public bool Cluster { get; init; }
    public double RefreshSeconds { get; init; } = 2;

    public bool OpenLoop => Rate is not null;

    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help")
                return new Options { Host = "", Ports = [], Workload = "", Connections = 0, Label = "", Help = true };
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new UsageException($"unexpected argument '{arg}'");
            string name, value;
            int eq = arg.IndexOf('=');
            if (eq < 0 && Flags.Contains(arg[2..]))
            {
                name = arg[2..];
                value = "yes";
            }
            else if (eq > 0)
            {
                name = arg[2..eq];
                value = arg[(eq + 1)..];
            }
            else
            {
                name = arg[2..];
                if (i + 1 >= args.Length) throw new UsageException($"--{name} needs a value");
                value = args[++i];
            }
            if (!Known.Contains(name)) throw new UsageException($"unknown option --{name}");
            if (!values.TryAdd(name, value)) throw new UsageException($"--{name} given twice");
        }

        string workload = Required(values, "workload").ToLowerInvariant();
        if (!Workloads.Workload.Names.Contains(workload))
            throw new UsageException($"unknown workload '{workload}' (one of {string.Join(", ", Workloads.Workload.Names)})");
        var ports = Required(values, "ports")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v is > 0 and < 65536
                ? v : throw new UsageException($"--ports: '{p}' is not a TCP port"))
            .ToArray();
        if (ports.Length == 0) throw new UsageException("--ports: no port given");
        int connections = Int(values, "connections", null, min: 1);
        int pipeline = Int(values, "pipeline", 1, min: 1);
        double duration = Number(values, "duration", 10, min: 0.001);
        double warmup = Number(values, "warmup", 2, min: 0);
        double? rate = values.ContainsKey("rate") ? Number(values, "rate", null, min: 0.001) : null;
        int keys = Int(values, "keys", 100_000, min: 1);
        bool cluster = values.TryGetValue("cluster", out var flag) && (flag is "yes" or "true" or "1"
            || (flag is "no" or "false" or "0" ? false : throw new UsageException($"--cluster: '{flag}' is not yes or no")));
        double refresh = Number(values, "refresh", 2, min: 0.05);
        if (values.ContainsKey("refresh") && !cluster) throw new UsageException("--refresh needs --cluster");
        string label = values.GetValueOrDefault("label")
            ?? $"{workload} c{connections} p{pipeline}" + (rate is null ? "" : $" r{rate.Value.ToString(CultureInfo.InvariantCulture)}");
        return new Options
        {
            Host = values.GetValueOrDefault("host") ?? "127.0.0.1",
            Ports = ports,
            Workload = workload,
            Connections = connections,
            Pipeline = pipeline,
            DurationSeconds = duration,
            WarmupSeconds = warmup,
            Rate = rate,
            Keys = keys,
            Label = label,
            Out = values.GetValueOrDefault("out"),
            Cluster = cluster,
            RefreshSeconds = refresh,
        };
    }

    private static readonly HashSet<string> Known =
        ["ports", "workload", "connections", "pipeline", "duration", "warmup", "rate", "keys", "label", "out", "host", "cluster", "refresh"];

    /// <summary>Options that take no value (also accepted as --name=yes|no).</summary>
    private static readonly HashSet<string> Flags = ["cluster"];

    private static string Required(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new UsageException($"--{name} is required");

    private static int Int(Dictionary<string, string> values, string name, int? fallback, int min)
    {
        if (!values.TryGetValue(name, out var text))
            return fallback ?? throw new UsageException($"--{name} is required");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v < min)
            throw new UsageException($"--{name}: '{text}' is not an integer >= {min}");
        return v;
    }

    private static double Number(Dictionary<string, string> values, string name, double? fallback, double min)
    {
        if (!values.TryGetValue(name, out var text))
            return fallback ?? throw new UsageException($"--{name} is required");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v < min)
            throw new UsageException($"--{name}: '{text}' is not a number >= {min.ToString(CultureInfo.InvariantCulture)}");
        return v;
    }
}
