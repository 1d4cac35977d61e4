using HdrHistogram;

namespace OrleansLua.LoadGen;

/// <summary>
/// Latency histograms in microseconds, 3 significant digits. Each connection records into its own
/// <see cref="Recorder"/> (single writer, no contention); the progress reporter and the final result
/// harvest the recorders' interval histograms into one merged <see cref="LongHistogram"/>.
/// </summary>
public static class Histograms
{
    /// <summary>Ten minutes: larger latencies (a hopelessly overloaded open loop) are clamped to it.</summary>
    public const long HighestMicros = 600_000_000;
    private const int Digits = 3;

    /// <summary>32-bit counts per connection (half the memory; one connection cannot reach 2^31 operations).</summary>
    public static Recorder NewRecorder() =>
        HistogramFactory.With32BitBucketSize().WithValuesFrom(1).WithValuesUpTo(HighestMicros).WithPrecisionOf(Digits)
            .WithThreadSafeReads().Create();

    public static LongHistogram NewTotal() => new(1, HighestMicros, Digits);
    public static HistogramBase NewScratch() => new IntHistogram(1, HighestMicros, Digits);

    public static void Record(Recorder recorder, long micros) =>
        recorder.RecordValue(Math.Clamp(micros, 0, HighestMicros));

    /// <summary>Moves what <paramref name="recorder"/> holds since the last harvest into <paramref name="total"/>.</summary>
    public static void Harvest(Recorder recorder, HistogramBase scratch, HistogramBase total)
    {
        recorder.GetIntervalHistogramInto(scratch);
        total.Add(scratch);
    }

    public static LatencySummary Summarize(HistogramBase h) => h.TotalCount == 0
        ? new LatencySummary(0, 0, 0, 0, 0, 0)
        : new LatencySummary(
            h.GetValueAtPercentile(50), h.GetValueAtPercentile(90), h.GetValueAtPercentile(99),
            h.GetValueAtPercentile(99.9), h.GetMaxValue(), Math.Round(h.GetMean(), 1));

    /// <summary>HdrHistogram's percentile distribution (5 ticks per half distance), as [percentile 0-100, micros] pairs for charts.</summary>
    public static List<double[]> Distribution(HistogramBase h) => h.TotalCount == 0
        ? []
        : h.Percentiles(5).Select(v => new[] { Math.Round(v.PercentileLevelIteratedTo, 6), (double)v.ValueIteratedTo }).ToList();
}
