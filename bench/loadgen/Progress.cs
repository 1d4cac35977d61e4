using HdrHistogram;

namespace OrleansLua.LoadGen;

/// <summary>
/// Once a second: harvests every connection's recorder into the merged histogram and prints one line to
/// stderr (elapsed, phase, ops/s of the last second, errors so far, p99 of the measured requests so far).
/// </summary>
public sealed class Progress(IReadOnlyList<LoadConnection> connections, RunClock clock)
{
    private readonly HistogramBase _scratch = Histograms.NewScratch();
    private long _lastReplies;
    private long _lastTime = clock.Start;

    /// <summary>Every measured latency harvested so far; complete after the final <see cref="Harvest"/>.</summary>
    public LongHistogram Total { get; } = Histograms.NewTotal();

    public void Harvest()
    {
        foreach (var connection in connections)
            Histograms.Harvest(connection.Recorder, _scratch, Total);
    }

    public void Report()
    {
        Harvest();
        long now = RunClock.Now;
        long replies = 0, errors = 0;
        foreach (var connection in connections)
        {
            replies += connection.Replies;
            errors += connection.ErrorReplies;
        }
        double seconds = Math.Max(1e-9, (now - _lastTime) / (double)System.Diagnostics.Stopwatch.Frequency);
        double opsPerSecond = (replies - _lastReplies) / seconds;
        _lastReplies = replies;
        _lastTime = now;
        string phase = now < clock.MeasureStart ? "warmup" : now < clock.End ? "measure" : "drain";
        string p99 = Total.TotalCount == 0 ? "-" : $"{Total.GetValueAtPercentile(99)} us";
        double elapsed = (now - clock.Start) / (double)System.Diagnostics.Stopwatch.Frequency;
        Console.Error.WriteLine($"[{elapsed,6:0.0}s] {phase,-7} {opsPerSecond,10:0} ops/s  errors {errors}  p99 {p99}");
    }
}
