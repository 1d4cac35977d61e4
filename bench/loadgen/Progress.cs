using HdrHistogram;

namespace OrleansLua.LoadGen;

/// <summary>One second of the run (JSON <c>timeline</c>): successful replies per node, error replies and MOVED redirects in that interval.</summary>
public sealed record TimelinePoint(double Seconds, double Interval, long UnixMs, string Phase, IReadOnlyDictionary<string, long> Replies,
    long Errors, long Redirects);

/// <summary>
/// Once a second: harvests every connection's recorder into the merged histogram, prints one line to
/// stderr (elapsed, phase, ops/s of the last second, errors so far, p99 of the measured requests so far)
/// and adds a <see cref="TimelinePoint"/> with the replies of that second per node.
/// </summary>
public sealed class Progress(IReadOnlyList<ILoadConnection> connections, RunClock clock, Func<IReadOnlyList<string>> nodes)
{
    private readonly HistogramBase _scratch = Histograms.NewScratch();
    private long _lastReplies, _lastErrors, _lastRedirects;
    private long[] _lastByNode = [];
    private long _lastTime = clock.Start;
    private readonly List<TimelinePoint> _timeline = [];

    /// <summary>Every measured latency harvested so far; complete after the final <see cref="Harvest"/>.</summary>
    public LongHistogram Total { get; } = Histograms.NewTotal();

    public IReadOnlyList<TimelinePoint> Timeline => _timeline;

    public void Harvest()
    {
        foreach (var connection in connections)
            Histograms.Harvest(connection.Recorder, _scratch, Total);
    }

    /// <summary>The progress line and a timeline point; <paramref name="final"/>: the last, partial interval, timeline only.</summary>
    public void Report(bool final = false)
    {
        if (!final) Harvest();
        long now = RunClock.Now;
        var endpoints = nodes();
        var byNode = new long[endpoints.Count];
        var unused = new long[endpoints.Count];
        long replies = 0, errors = 0, redirects = 0;
        foreach (var connection in connections)
        {
            replies += connection.Replies;
            errors += connection.ErrorReplies;
            redirects += connection.Redirects;
            connection.AddRepliesByNode(byNode, unused);
        }
        double seconds = Math.Max(1e-9, (now - _lastTime) / (double)System.Diagnostics.Stopwatch.Frequency);
        double opsPerSecond = (replies - _lastReplies) / seconds;
        string phase = now < clock.MeasureStart ? "warmup" : now < clock.End ? "measure" : "drain";
        double elapsed = (now - clock.Start) / (double)System.Diagnostics.Stopwatch.Frequency;
        var perNode = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < endpoints.Count; i++)
            perNode[endpoints[i]] = Math.Max(0, byNode[i] - (i < _lastByNode.Length ? _lastByNode[i] : 0));
        if (!final || seconds >= 0.05)
            _timeline.Add(new TimelinePoint(Math.Round(elapsed, 3), Math.Round(seconds, 3), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                phase, perNode, errors - _lastErrors, redirects - _lastRedirects));
        _lastReplies = replies;
        _lastErrors = errors;
        _lastRedirects = redirects;
        _lastByNode = byNode;
        _lastTime = now;
        if (final) return;
        string p99 = Total.TotalCount == 0 ? "-" : $"{Total.GetValueAtPercentile(99)} us";
        string nodeRates = endpoints.Count > 1 ? "  per node " + string.Join(" ", perNode.Values.Select(v => $"{v / seconds:0}")) : "";
        string moved = redirects > 0 ? $"  moved {redirects}" : "";
        Console.Error.WriteLine($"[{elapsed,6:0.0}s] {phase,-7} {opsPerSecond,10:0} ops/s  errors {errors}  p99 {p99}{moved}{nodeRates}");
    }
}
