using System.Globalization;
using System.Text.Json;

namespace OrleansLua.BenchReport;

/// <summary>One generator result (bench/loadgen's JSON contract).</summary>
public sealed record LoadResult(
    string Label,
    string Workload,
    int[] Ports,
    int Connections,
    int Pipeline,
    string Mode,
    double? TargetRate,
    double DurationSeconds,
    long Operations,
    Dictionary<string, long>? Errors,
    double Throughput,
    Latency LatencyMicros,
    double[][]? Percentiles,
    Invariant? Invariant,
    string? StartedUtc,
    List<NodeOperations>? Nodes = null,
    List<TimelinePoint>? Timeline = null,
    ClusterSummary? Cluster = null)
{
    /// <summary>The file's name without .json: scenario.workload.cN[.rateR], the key of its CPU file.</summary>
    public string Run { get; set; } = "";
    public CpuRecord? Cpu { get; set; }
    public string Scenario => Label;
    public bool OpenLoop => Mode == "open";
    public long ErrorCount => Errors?.Values.Sum() ?? 0;
}

/// <summary>Measured successful replies per node (generator JSON <c>nodes</c>).</summary>
public sealed record NodeOperations(string Endpoint, long Operations);

/// <summary>One second of a generator run: successful replies per node (any phase), errors, MOVED redirects.</summary>
public sealed record TimelinePoint(double Seconds, double Interval, long UnixMs, string Phase, Dictionary<string, long> Replies,
    long Errors, long Redirects);

/// <summary>Cluster mode: MOVED followed by measured requests and what the map refresher did.</summary>
public sealed record ClusterSummary(List<int>? Seeds, double RefreshSeconds, long Redirects, long MapRefreshes, long MapChanges,
    long FailedRefreshes, List<string>? NodesAtStart, List<string>? NodesAtEnd);

public sealed record Latency(double P50, double P90, double P99, double P999, double Max, double Mean);

public sealed record Invariant(bool Ok, string Detail);

/// <summary>bench/loadtest.sh's CPU file: CPU seconds of each process over the measured window.</summary>
public sealed record CpuRecord(string Run, string Scenario, double WindowSeconds, double? MachineCpuSeconds, List<CpuProcess> Processes)
{
    public IEnumerable<CpuProcess> Servers => Processes.Where(p => p.Role != "loadgen");
    public CpuProcess? Generator => Processes.FirstOrDefault(p => p.Role == "loadgen");

    /// <summary>Cores used by processes outside this run (other work on the machine) during the window.</summary>
    public double? OtherCores => MachineCpuSeconds is double m && WindowSeconds > 0
        ? Math.Max(0, m - Processes.Sum(p => p.CpuSeconds)) / WindowSeconds
        : null;

    public double? MachineCores => MachineCpuSeconds is double m && WindowSeconds > 0 ? m / WindowSeconds : null;
}

public sealed record CpuProcess(string Role, int Pid, double CpuSeconds);

/// <summary>raw/run.json: settings, versions, machine and the exact command lines.</summary>
public sealed record RunInfo(
    string? Status,
    string? Date,
    string? StartedUtc,
    string? FinishedUtc,
    double? ElapsedSeconds,
    string? Invocation,
    RunSettings? Settings,
    Dictionary<string, JsonElement>? Versions,
    Dictionary<string, JsonElement>? Machine,
    List<string>? FailedRuns,
    List<CommandLine>? Commands);

public sealed record RunSettings(
    bool Quick, double DurationSeconds, double WarmupSeconds, double OpenLoopRate, int Connections,
    double SlotWarmSeconds, int RedisBenchmarkRequests, List<string>? Scenarios);

public sealed record CommandLine(string Purpose, string Scenario, string Command);

/// <summary>One line of redis-benchmark --csv: test,rps,avg,min,p50,p95,p99,max (ms).</summary>
public sealed record BenchmarkLine(string Scenario, string Test, double Rps, double P50Ms, double P99Ms);

/// <summary>Everything the report reads from a results directory.</summary>
public sealed class ResultSet
{
    public static readonly string[] KnownScenarios = ["redis", "ol-1-memory", "ol-1-durable", "ol-3-memory", "ol-3-memory-cluster", "ol-3-durable"];
    public static readonly string[] KnownWorkloads = ["getset", "incr", "evalsha", "ratelimit", "transfer", "hotkey", "spread"];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    public required string Directory { get; init; }
    public required RunInfo Run { get; init; }
    public required List<LoadResult> Results { get; init; }
    public required List<BenchmarkLine> Benchmarks { get; init; }
    /// <summary>The untimed slot warm-up runs (raw/warmup/&lt;scenario&gt;.&lt;n&gt;.json), in order.</summary>
    public required List<LoadResult> Warmups { get; init; }
    public required List<string> Warnings { get; init; }
    /// <summary>The scale-out run (raw/scaleout/), null when the run had none.</summary>
    public ScaleOut? ScaleOut { get; init; }

    public IReadOnlyList<string> Scenarios
    {
        get
        {
            var present = Results.Select(r => r.Scenario).Distinct().ToList();
            var order = Run.Settings?.Scenarios ?? [.. KnownScenarios];
            return [.. order.Where(present.Contains), .. present.Where(s => !order.Contains(s)).Order(StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<string> Workloads
    {
        get
        {
            var present = Results.Select(r => r.Workload).Distinct().ToList();
            return [.. KnownWorkloads.Where(present.Contains), .. present.Where(w => !KnownWorkloads.Contains(w)).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>The connection count of the main (per-workload) runs: the one most runs use.</summary>
    public int MainConnections => Run.Settings?.Connections
        ?? Results.Where(r => !r.OpenLoop).GroupBy(r => r.Connections).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();

    public LoadResult? Closed(string scenario, string workload, int connections) =>
        Results.FirstOrDefault(r => r.Scenario == scenario && r.Workload == workload && !r.OpenLoop && r.Connections == connections && r.Pipeline == 1);

    public LoadResult? Open(string scenario, string workload) =>
        Results.FirstOrDefault(r => r.Scenario == scenario && r.Workload == workload && r.OpenLoop);

    public static ResultSet Load(string directory)
    {
        string raw = Path.Combine(directory, "raw");
        if (!System.IO.Directory.Exists(raw)) throw new DirectoryNotFoundException($"{raw} does not exist");
        var warnings = new List<string>();

        RunInfo run = new(null, null, null, null, null, null, null, null, null, null, null);
        string runPath = Path.Combine(raw, "run.json");
        if (File.Exists(runPath)) run = JsonSerializer.Deserialize<RunInfo>(File.ReadAllText(runPath), Json) ?? run;
        else warnings.Add("raw/run.json is missing: no versions, machine or command lines.");

        var results = new List<LoadResult>();
        foreach (string file in System.IO.Directory.GetFiles(raw, "*.json").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file) == "run.json") continue;
            LoadResult? result;
            try
            {
                result = JsonSerializer.Deserialize<LoadResult>(File.ReadAllText(file), Json);
            }
            catch (JsonException e)
            {
                warnings.Add($"{Path.GetFileName(file)} is not a generator result: {e.Message}");
                continue;
            }
            if (result is null || result.Label is null || result.Workload is null) continue;
            result.Run = Path.GetFileNameWithoutExtension(file);
            string cpuPath = Path.Combine(raw, "cpu", result.Run + ".json");
            if (File.Exists(cpuPath)) result.Cpu = JsonSerializer.Deserialize<CpuRecord>(File.ReadAllText(cpuPath), Json);
            results.Add(result);
        }

        var warmups = new List<LoadResult>();
        string warmDir = Path.Combine(raw, "warmup");
        if (System.IO.Directory.Exists(warmDir))
        {
            foreach (string file in System.IO.Directory.GetFiles(warmDir, "*.json").Order(StringComparer.Ordinal))
            {
                try
                {
                    if (JsonSerializer.Deserialize<LoadResult>(File.ReadAllText(file), Json) is { Label: not null } w)
                    {
                        w.Run = Path.GetFileNameWithoutExtension(file);
                        warmups.Add(w);
                    }
                }
                catch (JsonException) { }
            }
        }

        var benchmarks = new List<BenchmarkLine>();
        string benchDir = Path.Combine(raw, "redis-benchmark");
        if (System.IO.Directory.Exists(benchDir))
        {
            foreach (string file in System.IO.Directory.GetFiles(benchDir, "*.csv").Order(StringComparer.Ordinal))
            {
                string scenario = Path.GetFileNameWithoutExtension(file);
                foreach (string line in File.ReadLines(file).Skip(1))
                {
                    var f = line.Replace("\"", "").Split(',');
                    if (f.Length < 7 || !double.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double rps)) continue;
                    benchmarks.Add(new BenchmarkLine(scenario, f[0], rps, Parse(f[4]), Parse(f[6])));
                }
            }
        }
        var scaleOut = ScaleOut.Load(Path.Combine(raw, "scaleout"), Json, warnings);
        return new ResultSet
        {
            Directory = directory, Run = run, Results = results, Benchmarks = benchmarks, Warmups = warmups, Warnings = warnings,
            ScaleOut = scaleOut,
        };
    }

    private static double Parse(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
}

/// <summary>raw/scaleout/events.json: when the generator and the third silo started, and the silos' ports in start order.</summary>
public sealed record ScaleOutEvents(long GeneratorStartedUnixMs, double JoinAtSeconds, long? Silo3StartedUnixMs, long? Silo3PingUnixMs,
    List<int> Ports, double WarmupSeconds, double DurationSeconds);

/// <summary>raw/scaleout/cpu.jsonl: every silo's CPU ticks at one moment, the generator's and the whole machine's (busy time of all CPUs).</summary>
public sealed record CpuSample(long UnixMs, double ClockTicksPerSecond, List<SiloTicks> Silos, long? GeneratorTicks = null, long? MachineTicks = null);

public sealed record SiloTicks(int Port, int Pid, long CpuTicks);

/// <summary>raw/scaleout/slots.jsonl: one silo's INFO orleans_silo_active_slots and the slots its node owns in the map (null: it did not answer).</summary>
public sealed record SlotSample(long UnixMs, int Port, int? ActiveSlots, long? MapVersion, int? OwnedSlots = null);

/// <summary>The scale-out run: the generator's result (with its per-node timeline) and the per-silo samples.</summary>
public sealed class ScaleOut
{
    public required LoadResult Result { get; init; }
    public required ScaleOutEvents Events { get; init; }
    public required List<CpuSample> Cpu { get; init; }
    public required List<SlotSample> Slots { get; init; }

    /// <summary>Silo number (1-based, start order) of a port; 0 when unknown.</summary>
    public int SiloOf(int port) => Events.Ports.IndexOf(port) + 1;

    public static ScaleOut? Load(string dir, JsonSerializerOptions json, List<string> warnings)
    {
        if (!System.IO.Directory.Exists(dir)) return null;
        var resultFile = System.IO.Directory.GetFiles(dir, "*.json").FirstOrDefault(f => Path.GetFileName(f) != "events.json");
        string eventsFile = Path.Combine(dir, "events.json");
        if (resultFile is null || !File.Exists(eventsFile))
        {
            if (resultFile is not null || File.Exists(eventsFile)) warnings.Add("raw/scaleout/ is incomplete: no scale-out section.");
            return null;
        }
        try
        {
            var result = JsonSerializer.Deserialize<LoadResult>(File.ReadAllText(resultFile), json);
            var events = JsonSerializer.Deserialize<ScaleOutEvents>(File.ReadAllText(eventsFile), json);
            if (result is null || events is null) return null;
            result.Run = Path.GetFileNameWithoutExtension(resultFile);
            return new ScaleOut
            {
                Result = result,
                Events = events,
                Cpu = Lines<CpuSample>(Path.Combine(dir, "cpu.jsonl"), json).OrderBy(c => c.UnixMs).ToList(),
                Slots = Lines<SlotSample>(Path.Combine(dir, "slots.jsonl"), json).OrderBy(c => c.UnixMs).ToList(),
            };
        }
        catch (JsonException e)
        {
            warnings.Add($"raw/scaleout/ could not be read: {e.Message}");
            return null;
        }
    }

    private static IEnumerable<T> Lines<T>(string path, JsonSerializerOptions json)
    {
        if (!File.Exists(path)) yield break;
        foreach (string line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            T? value;
            try { value = JsonSerializer.Deserialize<T>(line, json); }
            catch (JsonException) { continue; } // a line cut short when its sampler was stopped
            if (value is not null) yield return value;
        }
    }
}
