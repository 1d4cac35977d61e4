using System.Globalization;
using OrleansLua.Fuzz;

// Exit codes: 0 passed, 1 a bystander check failed, 2 usage, 3 the server died or became unreachable.
const string Usage = """
    usage: OrleansLua.Fuzz --port P [--frames 1000000] [--seed 1] [--connections 16] [--pid PID]
                           [--check-every 10000] [--host 127.0.0.1] [--label TEXT] [--no-whole-server]
      --pid          the server's process: RSS is sampled from /proc/PID/status, and its death fails the run
      --check-every  frames between bystander checks (PING, GET of the canary, SET/GET round trip)
      --no-whole-server  leave out DBSIZE, KEYS, SCAN, RANDOMKEY, INFO and MEMORY PURGE
    exit codes: 0 passed, 1 bystander failure, 2 usage error, 3 server died or unreachable
    """;

FuzzOptions options;
string label;
try
{
    var values = new Dictionary<string, string>();
    for (int i = 0; i < args.Length; i++)
    {
        if (args[i] is "-h" or "--help") { Console.WriteLine(Usage); return 0; }
        if (args[i] == "--no-whole-server") { values["no-whole-server"] = "true"; continue; }
        if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) throw new FormatException($"unexpected argument '{args[i]}'");
        values[args[i][2..]] = args[++i];
    }
    int Int(string name, int fallback) => values.Remove(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    if (!values.ContainsKey("port")) throw new FormatException("--port is required");
    options = new FuzzOptions
    {
        Port = Int("port", 0),
        Frames = values.Remove("frames", out var frames) ? long.Parse(frames.Replace("_", ""), CultureInfo.InvariantCulture) : 1_000_000,
        Seed = Int("seed", 1),
        Connections = Int("connections", 16),
        Pid = values.Remove("pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
        CheckEvery = Int("check-every", 10_000),
        Host = values.Remove("host", out var host) ? host : "127.0.0.1",
        WholeServerCommands = !values.Remove("no-whole-server"),
        Progress = Console.Error,
    };
    label = values.Remove("label", out var l) ? l : $"port {options.Port}";
    if (values.Count > 0) throw new FormatException($"unknown option --{values.Keys.First()}");
}
catch (FormatException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n{Usage}");
    return 2;
}

FuzzSummary s;
try
{
    s = await new FuzzRun(options).RunAsync();
}
catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 3;
}

static string Mib(long? kb) => kb is long k ? $"{k / 1024.0:0.0} MiB" : "n/a";
Console.WriteLine($"""
    == fuzz summary: {label} (seed {options.Seed}, {options.Connections} connections{(options.WholeServerCommands ? "" : ", no whole-server commands")})
    frames sent          {s.Frames:N0} ({s.Valid:N0} valid, {s.Mutated:N0} mutated, {s.Random:N0} random) in {s.Seconds:0.0} s ({s.Frames / s.Seconds:N0}/s)
    sessions             {s.Sessions:N0} on {s.ConnectionsOpened:N0} connections ({s.Aborted:N0} reset by us mid-request)
    closed by server     {s.ClosedByServer:N0}
    sync timeouts        {s.SyncTimeouts:N0} (a frame still waiting for bytes, a blocked command…: we closed)
    protocol errors seen {s.ProtocolErrors:N0}
    connect failures     {s.ConnectFailures:N0}
    bystander            {s.BystanderChecks - s.BystanderFailures}/{s.BystanderChecks} checks ok, {s.BystanderFailures} failures{(s.FirstBystanderFailure is { } f ? $" (first: {f})" : "")}
    server RSS           start {Mib(s.RssStartKb)}, max {Mib(s.RssMaxKb)} (growth {Mib(s.RssGrowthKb)}), end {Mib(s.RssEndKb)}
    server alive         {(options.Pid is null ? "not watched" : s.ServerAlive ? "yes" : "NO")}
    """);
return !s.ServerAlive ? 3 : s.BystanderFailures > 0 ? 1 : 0;
