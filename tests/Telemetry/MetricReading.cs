using OpenTelemetry.Metrics;
using OrleansLua.GrainInterfaces.Diagnostics;

namespace OrleansLua.Tests.Telemetry;

/// <summary>
/// One collection of the silo's metrics (cumulative, as exported), looked up by instrument name and tags.
/// Absent series read as 0, so a delta between two readings is exact.
/// </summary>
public sealed class MetricReading
{
    private readonly Dictionary<(string Meter, string Name), MetricSnapshot> _metrics = [];

    public MetricReading(IEnumerable<MetricSnapshot> snapshots)
    {
        // the last export of each stream wins (a periodic export may have raced the forced one)
        foreach (var snapshot in snapshots) _metrics[(snapshot.MeterName, snapshot.Name)] = snapshot;
    }

    public IEnumerable<string> Names(string meter) => _metrics.Keys.Where(k => k.Meter == meter).Select(k => k.Name);

    /// <summary>A counter's or gauge's value, summed over the points that carry these tags.</summary>
    public long Value(string name, params (string Key, string Value)[] tags) =>
        Points(name, tags).Sum(p => Get(name) is { } m && m.MetricType is MetricType.LongGauge ? p.GetGaugeLastValueLong() : p.GetSumLong());

    public double DoubleValue(string name, params (string Key, string Value)[] tags) => Points(name, tags).Sum(p => p.GetSumDouble());

    /// <summary>A counter's values by one tag (e.g. by command).</summary>
    public Dictionary<string, long> ValuesBy(string name, string tag) =>
        Points(name, []).GroupBy(p => TagsOf(p).GetValueOrDefault(tag) ?? "").ToDictionary(g => g.Key, g => g.Sum(p => p.GetSumLong()));

    public long HistogramCount(string name, params (string Key, string Value)[] tags) => Points(name, tags).Sum(p => p.GetHistogramCount());

    public double HistogramSum(string name, params (string Key, string Value)[] tags) => Points(name, tags).Sum(p => p.GetHistogramSum());

    private MetricSnapshot? Get(string name) => _metrics.GetValueOrDefault((OrleansLuaTelemetry.MeterName, name));

    private IEnumerable<MetricPoint> Points(string name, (string Key, string Value)[] tags)
    {
        if (Get(name) is not { } metric) yield break;
        foreach (var point in metric.MetricPoints)
        {
            var pointTags = TagsOf(point);
            if (tags.All(t => pointTags.GetValueOrDefault(t.Key) == t.Value)) yield return point;
        }
    }

    private static Dictionary<string, string?> TagsOf(MetricPoint point)
    {
        var tags = new Dictionary<string, string?>();
        foreach (var tag in point.Tags) tags[tag.Key] = tag.Value?.ToString();
        return tags;
    }

    /// <summary>Per-tag differences from an earlier reading (only tags that moved).</summary>
    public static Dictionary<string, long> Moved(Dictionary<string, long> before, Dictionary<string, long> after) =>
        after.Select(kv => (kv.Key, Delta: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(x => x.Delta != 0).ToDictionary(x => x.Key, x => x.Delta);
}
