using System.Diagnostics;

namespace OrleansLua.LoadGen;

/// <summary>
/// The run's phases on the <see cref="Stopwatch"/> timeline: warm-up from <see cref="Start"/>, measuring
/// from <see cref="MeasureStart"/> to <see cref="End"/>. A request belongs to the phase of its send
/// (closed loop) or intended send (open loop) time; only measured requests are recorded.
/// </summary>
public sealed class RunClock(double warmupSeconds, double durationSeconds)
{
    public static readonly double TicksPerMicrosecond = Stopwatch.Frequency / 1_000_000.0;

    public long Start { get; } = Stopwatch.GetTimestamp();
    public long MeasureStart => Start + Ticks(warmupSeconds);
    public long End => MeasureStart + Ticks(durationSeconds);

    private volatile bool _aborted;
    /// <summary>Set when in-flight replies did not arrive within the drain time after <see cref="End"/>.</summary>
    public bool Aborted { get => _aborted; set => _aborted = value; }

    public bool IsMeasured(long sent) => sent >= MeasureStart && sent < End;

    public static long Now => Stopwatch.GetTimestamp();

    public static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);

    public static long Micros(long ticks) => (long)(ticks / TicksPerMicrosecond);
}
