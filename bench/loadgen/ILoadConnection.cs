using HdrHistogram;

namespace OrleansLua.LoadGen;

/// <summary>
/// One logical client of the run, as <see cref="Runner"/>, <see cref="Pacer"/> and <see cref="Progress"/> drive it:
/// a <see cref="LoadConnection"/> (one socket) or a <see cref="Cluster.ClusterConnection"/> (one socket per node).
/// Either keeps at most <c>--pipeline</c> requests in flight and records the latency of its measured requests.
/// </summary>
public interface ILoadConnection
{
    Recorder Recorder { get; }
    /// <summary>Successful replies in any phase (progress line).</summary>
    long Replies { get; }
    /// <summary>Error replies in any phase (progress line).</summary>
    long ErrorReplies { get; }
    /// <summary>Errors of measured requests by first word; read only after the run.</summary>
    IReadOnlyDictionary<string, long> MeasuredErrors { get; }
    /// <summary>When the last reply to a measured request arrived (Stopwatch ticks; 0 if none); read after the run.</summary>
    long LastMeasuredReply { get; }
    /// <summary>Nothing more will be sent and nothing is awaited: the connection can be closed.</summary>
    bool Idle { get; }

    Task RunClosedAsync();
    Task RunOpenReceiverAsync();
    /// <summary>Open loop: sends what is due; returns when to call again (long.MaxValue: done).</summary>
    long Pump(long now);
    void Close();
    /// <summary>Open loop, after an aborted drain: measured requests that were due but never sent count as TIMEOUT.</summary>
    void CountUnsent();

    /// <summary>Adds this connection's successful replies so far (any phase) per node index, and the measured ones.</summary>
    void AddRepliesByNode(long[] replies, long[] measured);
    /// <summary>MOVED redirects followed so far (any phase); 0 outside cluster mode.</summary>
    long Redirects { get; }
    /// <summary>MOVED redirects of measured requests; read after the run.</summary>
    long MeasuredRedirects { get; }
}
