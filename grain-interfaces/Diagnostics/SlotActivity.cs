using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansLua.GrainInterfaces.Configuration;

namespace OrleansLua.GrainInterfaces.Diagnostics;

/// <summary>
/// What each slot of this process is running right now, readable while the slot's grain is busy:
/// a batch that has run longer than busy-reply-threshold is logged once (slot, command, time) and
/// again when it ends, and INFO lists it. Writing costs two array stores per batch; reading is a
/// scan once a second by a timer of its own.
/// </summary>
public sealed class SlotActivity : IDisposable
{
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(1);

    private readonly long[] _started = new long[HashSlot.Count];
    private readonly string?[] _command = new string?[HashSlot.Count];
    private readonly Dictionary<int, (long Started, string Command)> _reported = [];
    private readonly ServerSettings _settings;
    private readonly ILogger _logger;
    private readonly Timer _sweep;

    public SlotActivity(ServerSettings settings, ILogger<SlotActivity>? logger = null)
    {
        _settings = settings;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _sweep = new Timer(_ => Sweep(), null, SweepPeriod, SweepPeriod);
    }

    /// <summary>Tests only: called in the slot's grain turn as a command starts (blocking in it wedges the slot).</summary>
    internal Action<int, string>? CommandStarting { get; set; }

    /// <summary>A slot's grain starts a batch (from its own turn only, so one writer per slot).</summary>
    public void Begin(int slot) => Volatile.Write(ref _started[slot], Stopwatch.GetTimestamp());

    /// <summary>The command of the running batch that runs now.</summary>
    public void Running(int slot, string command)
    {
        _command[slot] = command;
        CommandStarting?.Invoke(slot, command);
    }

    public void End(int slot) => Volatile.Write(ref _started[slot], 0);

    /// <summary>Batches running longer than busy-reply-threshold now, longest first.</summary>
    public SlotRunning[] LongRunning()
    {
        var threshold = Threshold;
        var now = Stopwatch.GetTimestamp();
        var running = new List<SlotRunning>();
        for (int slot = 0; slot < HashSlot.Count; slot++)
        {
            long started = Volatile.Read(ref _started[slot]);
            if (started == 0) continue;
            var elapsed = Stopwatch.GetElapsedTime(started, now);
            if (elapsed >= threshold) running.Add(new SlotRunning(slot, _command[slot] ?? "?", (long)elapsed.TotalMilliseconds));
        }
        return running.OrderByDescending(r => r.Milliseconds).ToArray();
    }

    private TimeSpan Threshold => TimeSpan.FromMilliseconds(Math.Max(1, _settings.BusyReplyThresholdMs));

    /// <summary>One warning when a batch passes the threshold and one when it ends, never one per period.</summary>
    private void Sweep()
    {
        try
        {
            var current = LongRunning().ToDictionary(r => r.Slot);
            lock (_reported)
            {
                foreach (var (slot, (started, command)) in _reported.ToList())
                {
                    if (Volatile.Read(ref _started[slot]) == started) continue;
                    _reported.Remove(slot);
                    _logger.LogWarning("Slot {Slot} finished {Command} after {Seconds:F1} s", slot, command,
                        Stopwatch.GetElapsedTime(started).TotalSeconds);
                }
                foreach (var running in current.Values)
                {
                    long started = Volatile.Read(ref _started[running.Slot]);
                    if (started == 0 || _reported.ContainsKey(running.Slot)) continue;
                    _reported[running.Slot] = (started, running.Command);
                    _logger.LogWarning("Slot {Slot} has been running {Command} for {Seconds:F1} s; its other requests wait (or answer BUSY for a script)",
                        running.Slot, running.Command, running.Milliseconds / 1000.0);
                }
            }
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Slot activity sweep failed");
        }
    }

    public void Dispose() => _sweep.Dispose();
}

/// <summary>A slot's batch that has run longer than busy-reply-threshold (INFO's slots section).</summary>
[GenerateSerializer, Immutable]
public sealed record SlotRunning([property: Id(0)] int Slot, [property: Id(1)] string Command, [property: Id(2)] long Milliseconds);
