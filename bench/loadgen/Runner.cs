using System.Diagnostics;
using HdrHistogram;
using OrleansLua.LoadGen.Cluster;
using OrleansLua.LoadGen.Resp;
using OrleansLua.LoadGen.Workloads;

namespace OrleansLua.LoadGen;

/// <summary>What one run measured: the merged histogram, errors by first word, the measured duration, and per node.</summary>
public sealed record RunOutcome(LongHistogram Latencies, IReadOnlyDictionary<string, long> Errors, double DurationSeconds,
    IReadOnlyList<string> Nodes, long[] NodeOperations, IReadOnlyList<TimelinePoint> Timeline, long MeasuredRedirects);

/// <summary>
/// Drives one run over already open connections: warm-up and measured window (closed loop or paced open
/// loop), progress once a second, then the drain — connections that are done are closed, and after
/// <see cref="DrainSeconds"/> the rest are aborted and their unanswered requests count as TIMEOUT.
/// </summary>
public sealed class Runner(Options options, Workload workload)
{
    public const double DrainSeconds = 5;

    /// <summary>Connection i talks to ports[i % ports] (its node in the per-node counts).</summary>
    public Task<RunOutcome> RunAsync(IReadOnlyList<RespConnection> sockets)
    {
        var clock = new RunClock(options.WarmupSeconds, options.DurationSeconds);
        var connections = sockets
            .Select((socket, i) => (ILoadConnection)new LoadConnection(socket, workload.CreateSource(i, sockets.Count), clock,
                options.Pipeline, i, sockets.Count, options.Rate, i % options.Ports.Count))
            .ToList();
        var endpoints = options.Ports.Select(p => $"{options.Host}:{p}").ToList();
        return DriveAsync(clock, connections, () => endpoints);
    }

    /// <summary>Cluster mode: each logical connection with its sockets, one per node; the map is refreshed while the run lasts.</summary>
    public async Task<RunOutcome> RunClusterAsync(ClusterMap map, IReadOnlyList<IReadOnlyList<(ClusterNode Node, RespConnection Socket)>> sockets)
    {
        var clock = new RunClock(options.WarmupSeconds, options.DurationSeconds);
        var connections = sockets
            .Select((links, i) => new ClusterConnection(map, links, workload.CreateSource(i, sockets.Count), clock,
                options.Pipeline, i, sockets.Count, options.Rate))
            .ToList();
        using var stop = new CancellationTokenSource();
        var refresher = Task.Run(() => map.RunAsync(connections, TimeSpan.FromSeconds(options.RefreshSeconds), stop.Token));
        try
        {
            return await DriveAsync(clock, connections, () => map.Nodes.Select(n => n.Endpoint).ToList());
        }
        finally
        {
            stop.Cancel();
            await refresher;
        }
    }

    private async Task<RunOutcome> DriveAsync(RunClock clock, IReadOnlyList<ILoadConnection> connections, Func<IReadOnlyList<string>> nodes)
    {
        List<Task> receivers;
        Thread? pacer = null;
        if (options.OpenLoop)
        {
            receivers = connections.Select(c => Task.Run(c.RunOpenReceiverAsync)).ToList();
            pacer = new Pacer(connections).Start();
        }
        else
        {
            receivers = connections.Select(c => Task.Run(c.RunClosedAsync)).ToList();
        }

        var progress = new Progress(connections, clock, nodes);
        var all = Task.WhenAll(receivers);
        long nextReport = clock.Start + Stopwatch.Frequency;
        long drainDeadline = clock.End + RunClock.Ticks(DrainSeconds);
        while (!all.IsCompleted)
        {
            long now = RunClock.Now;
            if (now >= nextReport)
            {
                progress.Report();
                nextReport += Stopwatch.Frequency;
            }
            if (now >= clock.End)
            {
                if (now >= drainDeadline) clock.Aborted = true;
                foreach (var connection in connections)
                    if (clock.Aborted || connection.Idle) connection.Close();
            }
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromMilliseconds(now >= clock.End ? 10 : 100)));
        }
        await all;
        pacer?.Join();
        if (pacer is not null && clock.Aborted)
            foreach (var connection in connections) connection.CountUnsent();
        progress.Harvest();
        progress.Report(final: true);

        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var connection in connections)
            foreach (var (code, count) in connection.MeasuredErrors)
                errors[code] = errors.GetValueOrDefault(code) + count;
        // The measured window, extended to the last reply of its requests: an overloaded open loop that
        // needed the drain to get its window's requests through does not report the offered rate as throughput.
        long lastReply = connections.Select(c => c.LastMeasuredReply).DefaultIfEmpty(0).Max();
        double duration = (Math.Max(clock.End, lastReply) - clock.MeasureStart) / (double)Stopwatch.Frequency;
        var endpoints = nodes();
        var replies = new long[endpoints.Count];
        var measured = new long[endpoints.Count];
        foreach (var connection in connections) connection.AddRepliesByNode(replies, measured);
        return new RunOutcome(progress.Total, errors, duration, endpoints, measured, progress.Timeline,
            connections.Sum(c => c.MeasuredRedirects));
    }
}
