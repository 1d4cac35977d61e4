using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansLua.LoadGen;

/// <summary>p50/p90/p99/p99.9/max in microseconds (histogram-equivalent values) and the mean.</summary>
public sealed record LatencySummary(long P50, long P90, long P99, long P999, long Max, double Mean);

/// <summary>The outcome of a workload's end-of-run consistency check (transfer only).</summary>
public sealed record Invariant(bool Ok, string Detail);

public sealed record Machine(int Cores, string Os);

/// <summary>Successful measured replies that came from one node (a port, or in cluster mode a node of the map).</summary>
public sealed record NodeOperations(string Endpoint, long Operations);

/// <summary>Cluster mode: the seeds, the MOVED redirects followed and what the map refresher did.</summary>
public sealed record ClusterSummary(IReadOnlyList<int> Seeds, double RefreshSeconds, long Redirects, long MapRefreshes,
    long MapChanges, long FailedRefreshes, IReadOnlyList<string> NodesAtStart, IReadOnlyList<string> NodesAtEnd);

/// <summary>The JSON result: its shape is the contract with the scenario script and the report, keep it stable.</summary>
public sealed record Result(
    string Label,
    string Workload,
    IReadOnlyList<int> Ports,
    int Connections,
    int Pipeline,
    string Mode,
    double? TargetRate,
    double DurationSeconds,
    long Operations,
    IReadOnlyDictionary<string, long> Errors,
    double Throughput,
    LatencySummary LatencyMicros,
    IReadOnlyList<double[]> Percentiles,
    Invariant? Invariant,
    string StartedUtc,
    Machine Machine,
    IReadOnlyList<NodeOperations> Nodes,
    IReadOnlyList<TimelinePoint> Timeline,
    ClusterSummary? Cluster)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The one-line summary printed to stdout.</summary>
    public string Summary()
    {
        string errors = Errors.Count == 0 ? "0" : string.Join(",", Errors.Select(e => $"{e.Key}={e.Value}"));
        string invariant = Invariant is null ? "" : Invariant.Ok ? " invariant ok" : " INVARIANT VIOLATED";
        string rate = TargetRate is null ? "" : $" rate {TargetRate:0.#}/s";
        string cluster = Cluster is null ? "" : $", cluster: {Cluster.NodesAtEnd.Count} nodes, {Cluster.Redirects} MOVED followed, " +
            "operations per node " + string.Join(" ", Nodes.Select(n => $"{n.Endpoint}={n.Operations}"));
        return $"{Label}: {Workload} {Mode}{rate} c{Connections} p{Pipeline} ports {string.Join(",", Ports)}: " +
               $"{Throughput:0} ops/s ({Operations} in {DurationSeconds:0.00} s), " +
               $"latency us p50 {LatencyMicros.P50} p90 {LatencyMicros.P90} p99 {LatencyMicros.P99} " +
               $"p99.9 {LatencyMicros.P999} max {LatencyMicros.Max} mean {LatencyMicros.Mean:0.0}, errors {errors}{invariant}{cluster}";
    }
}
