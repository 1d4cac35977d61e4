using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OrleansLua.LoadGen;

/// <summary>
/// Sub-millisecond sleeps for the open-loop pacer. Thread.Sleep only has millisecond granularity, which
/// would add up to a millisecond of generator-made delay to every open-loop latency; nanosleep(2) wakes
/// within tens of microseconds. Falls back to Thread.Sleep where nanosleep is not available.
/// </summary>
public static partial class PreciseSleep
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(ref Timespec request, IntPtr remaining);

    private static bool _native = (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && Environment.Is64BitProcess;

    public static void Sleep(long ticks)
    {
        if (ticks <= 0) return;
        if (_native)
        {
            long nanos = (long)(ticks * (1_000_000_000.0 / Stopwatch.Frequency));
            var request = new Timespec { Seconds = nanos / 1_000_000_000, Nanoseconds = nanos % 1_000_000_000 };
            try
            {
                NanoSleep(ref request, IntPtr.Zero);
                return;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _native = false;
            }
        }
        Thread.Sleep(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, ticks * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
    }
}
