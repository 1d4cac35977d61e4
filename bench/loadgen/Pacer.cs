namespace OrleansLua.LoadGen;

/// <summary>
/// The open-loop sender: one thread that sends each connection's requests at their intended times
/// (<see cref="LoadConnection.Pump"/>), independent of replies. It sleeps until the earliest due request,
/// at least <see cref="MinSleepMicros"/> so that at high rates requests are sent in small batches instead
/// of one wake-up per request. Any lateness of this thread is part of the measured latency.
/// </summary>
public sealed class Pacer(IReadOnlyList<ILoadConnection> connections)
{
    private const long MinSleepMicros = 50;
    private const long MaxSleepMicros = 1000;

    public Thread Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "open-loop pacer" };
        thread.Start();
        return thread;
    }

    private void Run()
    {
        long minSleep = (long)(MinSleepMicros * RunClock.TicksPerMicrosecond);
        long maxSleep = (long)(MaxSleepMicros * RunClock.TicksPerMicrosecond);
        while (true)
        {
            long now = RunClock.Now;
            long next = long.MaxValue;
            foreach (var connection in connections)
                next = Math.Min(next, connection.Pump(now));
            if (next == long.MaxValue) return; // every schedule has reached the end of the run
            PreciseSleep.Sleep(Math.Clamp(next - RunClock.Now, minSleep, maxSleep));
        }
    }
}
