using System.Diagnostics;
using OrleansLua.GrainInterfaces.Commands;

namespace OrleansLua.GrainInterfaces.Diagnostics;

/// <summary>
/// The one place a command that ran is measured, as Redis's <c>call()</c> does: INFO commandstats and
/// errorstats, then the slow log (unless the command is flagged skip_slowlog). Whoever runs a command — a
/// slot's grain, the keyless script worker, a blocking attempt, the gateway — reports it here once.
/// </summary>
public sealed class CommandMeter(CommandStats stats, SlowLog slowLog)
{
    public static long Start() => Stopwatch.GetTimestamp();

    /// <summary><paramref name="failed"/>: its reply is an error. The client's address and name go to the slow log.</summary>
    public void Ran(CommandSpec spec, long started, bool failed, byte[][] args, string? clientAddress, string? clientName)
    {
        long elapsed = Stopwatch.GetTimestamp() - started;
        stats.Called(spec, elapsed, failed);
        if (spec.Has(CommandFlags.SkipSlowlog)) return;
        long micros = elapsed * 1_000_000 / Stopwatch.Frequency;
        if (slowLog.IsSlow(micros)) slowLog.Add(spec, args, micros, clientAddress ?? "", clientName ?? "");
    }
}
