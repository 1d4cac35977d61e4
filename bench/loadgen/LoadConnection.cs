using System.Net.Sockets;
using System.Text;
using HdrHistogram;
using OrleansLua.LoadGen.Resp;
using OrleansLua.LoadGen.Workloads;

namespace OrleansLua.LoadGen;

/// <summary>
/// One load connection: keeps up to <c>pipeline</c> requests in flight, matches replies to their send
/// times in order and records the latency of measured requests into its own recorder.
/// Closed loop: the receive loop sends the next request for every reply.
/// Open loop: requests are sent on a fixed schedule (<see cref="Pump"/>) by the <see cref="Pacer"/> thread,
/// or by the receive loop when a reply frees the window for an overdue request; latency is measured from
/// the intended send time.
/// </summary>
public sealed class LoadConnection : ILoadConnection
{
    private readonly RespConnection _connection;
    private readonly IRequestSource _source;
    private readonly RunClock _clock;
    private readonly InFlight _inFlight;
    private readonly RespWriter _writer = new();
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    private byte[] _lastErrorWord = [];
    private string _lastErrorCode = "";
    private long _replies, _errorReplies, _measuredReplies;
    private readonly int _node; // the index of its port, for the replies per node
    private int _closed;

    // Open loop: request k of this connection is due at Start + (index + k * connections) / rate seconds,
    // so the connections' schedules interleave into one evenly spaced stream of the total rate.
    private readonly int _index;
    private readonly int _connections;
    private readonly double _ticksPerRequest;
    private long _next;
    private readonly Lock _sendLock = new(); // the pacer and the receive loop both send in open loop
    private volatile bool _sendingDone;

    public LoadConnection(RespConnection connection, IRequestSource source, RunClock clock, int pipeline,
        int index, int connections, double? rate, int node)
    {
        _node = node;
        _connection = connection;
        _source = source;
        _clock = clock;
        _inFlight = new InFlight(pipeline);
        _index = index;
        _connections = connections;
        _ticksPerRequest = rate is null ? 0 : System.Diagnostics.Stopwatch.Frequency / rate.Value;
    }

    public Recorder Recorder { get; } = Histograms.NewRecorder();
    public int Port => _connection.Port;
    /// <summary>Successful replies in any phase (progress line).</summary>
    public long Replies => Volatile.Read(ref _replies);
    /// <summary>Error replies in any phase (progress line).</summary>
    public long ErrorReplies => Volatile.Read(ref _errorReplies);
    /// <summary>Errors of measured requests by first word; read only after the run.</summary>
    public IReadOnlyDictionary<string, long> MeasuredErrors => _errors;
    /// <summary>When the last reply to a measured request arrived (Stopwatch ticks; 0 if none); read after the run.</summary>
    public long LastMeasuredReply { get; private set; }
    /// <summary>Nothing more will be sent and nothing is awaited: the connection can be closed.</summary>
    public bool Idle => _sendingDone && _inFlight.Count == 0;
    public long Redirects => 0;
    public long MeasuredRedirects => 0;

    public void AddRepliesByNode(long[] replies, long[] measured)
    {
        if (_node >= replies.Length) return;
        replies[_node] += Replies;
        measured[_node] += Volatile.Read(ref _measuredReplies);
    }

    public async Task RunClosedAsync()
    {
        try
        {
            long stamp = RunClock.Now;
            for (int i = 0; i < _inFlight.Capacity; i++) Write(stamp);
            await FlushAsync();
            while (true)
            {
                if (!await _connection.ReceiveAsync())
                {
                    Lost("CONNECTION", "closed by the server");
                    return;
                }
                long now = RunClock.Now;
                int completed = ProcessReplies(now);
                if (completed > 0 && now < _clock.End)
                {
                    stamp = RunClock.Now;
                    for (int i = 0; i < completed; i++) Write(stamp);
                    await FlushAsync();
                }
                else if (now >= _clock.End)
                {
                    _sendingDone = true;
                    if (_inFlight.Count == 0) return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Lost(_clock.Aborted ? "TIMEOUT" : "CONNECTION", e.Message);
        }
        catch (InvalidDataException e)
        {
            Lost("PROTOCOL", e.Message);
            Close();
        }
    }

    /// <summary>Open loop: receives, and sends overdue requests as soon as the window has room.</summary>
    public async Task RunOpenReceiverAsync()
    {
        try
        {
            while (true)
            {
                if (!await _connection.ReceiveAsync())
                {
                    _sendingDone = true;
                    Lost("CONNECTION", "closed by the server");
                    return;
                }
                // A reply frees room in the window: send what is overdue now rather than at the
                // pacer's next wake-up (which can be late on a busy machine).
                if (ProcessReplies(RunClock.Now) > 0) Pump(RunClock.Now);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // Closing an idle connection at the end also lands here, with nothing in flight.
            _sendingDone = true;
            Lost(_clock.Aborted ? "TIMEOUT" : "CONNECTION", e.Message);
        }
        catch (InvalidDataException e)
        {
            _sendingDone = true;
            Lost("PROTOCOL", e.Message);
            Close();
        }
    }

    /// <summary>
    /// Open loop, pacer thread or receive loop: sends every request whose intended time has come, as far as the in-flight
    /// window allows (the rest waits, still timed from its intended time). Returns when to call again.
    /// </summary>
    public long Pump(long now)
    {
        if (_sendingDone) return long.MaxValue;
        lock (_sendLock) return PumpLocked(now);
    }

    private long PumpLocked(long now)
    {
        if (_sendingDone || _clock.Aborted)
        {
            _sendingDone = true;
            return long.MaxValue;
        }
        long intended = Intended(_next);
        while (intended <= now && intended < _clock.End && _inFlight.TryPush(intended))
        {
            _source.Write(_writer);
            _writer.CheckComplete();
            intended = Intended(++_next);
        }
        if (_writer.Length > 0)
        {
            try
            {
                _connection.Send(_writer.Written.Span);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                _sendingDone = true; // the receive loop reports the broken connection
            }
            _writer.Clear();
        }
        if (intended >= _clock.End) _sendingDone = true;
        return _sendingDone ? long.MaxValue : intended;
    }

    /// <summary>Closes the socket (once); a receive loop waiting on it ends.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0) _connection.Abort();
    }

    /// <summary>
    /// Open loop, after an aborted drain (the pacer has stopped): measured requests that were due but
    /// never sent count as TIMEOUT, so that operations + errors is what the schedule offered.
    /// </summary>
    public void CountUnsent()
    {
        long unsent = 0;
        for (long k = _next; Intended(k) < _clock.End; k++)
            if (Intended(k) >= _clock.MeasureStart) unsent++;
        if (unsent > 0) _errors["TIMEOUT"] = _errors.GetValueOrDefault("TIMEOUT") + unsent;
    }

    private long Intended(long k) => _clock.Start + (long)((_index + (double)k * _connections) * _ticksPerRequest);

    private void Write(long stamp)
    {
        _inFlight.TryPush(stamp);
        _source.Write(_writer);
        _writer.CheckComplete();
    }

    private async ValueTask FlushAsync()
    {
        await _connection.SendAsync(_writer.Written);
        _writer.Clear();
    }

    /// <summary>Consumes every complete reply in the receive buffer; returns how many.</summary>
    private int ProcessReplies(long now)
    {
        int completed = 0;
        while (true)
        {
            var status = RespReader.Skip(_connection.Unread, out int consumed, out var errorText);
            if (status == ReplyStatus.Incomplete) return completed;
            if (!_inFlight.TryPop(out long sent))
                throw new InvalidDataException("a reply arrived with no request in flight");
            bool measured = _clock.IsMeasured(sent);
            if (measured) LastMeasuredReply = now;
            if (status == ReplyStatus.Ok)
            {
                Volatile.Write(ref _replies, _replies + 1);
                if (measured)
                {
                    Histograms.Record(Recorder, RunClock.Micros(now - sent));
                    Volatile.Write(ref _measuredReplies, _measuredReplies + 1);
                }
            }
            else
            {
                Volatile.Write(ref _errorReplies, _errorReplies + 1);
                if (measured) CountError(_connection.Unread[errorText]);
            }
            _connection.Consume(consumed);
            completed++;
        }
    }

    private void CountError(ReadOnlySpan<byte> message)
    {
        int space = message.IndexOf((byte)' ');
        var word = space < 0 ? message : message[..space];
        // Errors tend to repeat: reuse the last code's string instead of decoding every time.
        if (!word.SequenceEqual(_lastErrorWord))
        {
            _lastErrorWord = word.ToArray();
            _lastErrorCode = word.IsEmpty ? "ERR" : Encoding.UTF8.GetString(word);
        }
        _errors[_lastErrorCode] = _errors.GetValueOrDefault(_lastErrorCode) + 1;
    }

    /// <summary>The connection ended: measured requests still in flight count as errors of <paramref name="code"/>.</summary>
    private void Lost(string code, string why)
    {
        long lost = 0;
        lock (_sendLock) // so that no sender pushes after the drain below
        {
            _sendingDone = true;
            while (_inFlight.TryPop(out long sent))
                if (_clock.IsMeasured(sent)) lost++;
        }
        if (lost > 0) _errors[code] = _errors.GetValueOrDefault(code) + lost;
        // Closing connections after the run ends here too: that is not worth a message.
        bool normalEnd = lost == 0 && (code == "TIMEOUT" || (code == "CONNECTION" && RunClock.Now >= _clock.End));
        if (!normalEnd)
            Console.Error.WriteLine($"connection {_index} (port {Port}): {why}" +
                (lost > 0 ? $"; {lost} measured request(s) unanswered, counted as {code}" : ""));
    }
}
