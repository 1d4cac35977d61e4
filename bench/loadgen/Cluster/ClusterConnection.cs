using System.Net.Sockets;
using System.Text;
using HdrHistogram;
using OrleansLua.LoadGen.Resp;
using OrleansLua.LoadGen.Workloads;

namespace OrleansLua.LoadGen.Cluster;

/// <summary>
/// One logical client in cluster mode: a socket to every node, each request sent to its slot's node by the
/// <see cref="ClusterMap"/>. The window (<c>--pipeline</c>) is the logical connection's, whatever node its
/// requests are on, so N connections keep N × pipeline requests in flight as in the single-port mode, and
/// closed and open loop mean the same. Replies come back in order per socket, so each socket keeps its own
/// queue of requests in flight. A -MOVED reply updates the map and sends the same request again to the node
/// it names, its latency still counted from the first send (or intended send) time, as an application using
/// a cluster client sees it; a request whose node has no socket (a node that just joined, or a lost one)
/// waits, still timed, until the map's refresh has connected it. Everything runs under one lock per logical
/// connection: the socket receive loops, the open-loop pacer and the map refresher all touch its state.
/// </summary>
public sealed class ClusterConnection : ILoadConnection
{
    /// <summary>Redirects one request may follow before it counts as a MOVED error (redis-py and Jedis allow 5–16).</summary>
    private const int MaxRedirects = 16;

    private sealed class Request
    {
        public readonly RespWriter Command = new(256);
        public long Stamp; // send time (closed loop) or intended send time (open loop)
        public int Slot;
        public int Redirects;
    }

    private sealed class Link(ClusterNode node, RespConnection socket)
    {
        public readonly ClusterNode Node = node;
        public readonly RespConnection Socket = socket;
        public readonly Queue<Request> InFlight = new();
        public readonly RespWriter Out = new(4096);
        public bool Dead;
    }

    private readonly ClusterMap _map;
    private readonly IRequestSource _source;
    private readonly RunClock _clock;
    private readonly Lock _lock = new();
    private Link?[] _links = [];
    private readonly Stack<Request> _free = new();
    private readonly Queue<Request> _parked = new();
    private readonly List<Link> _unsent = [];
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    private byte[] _lastErrorWord = [];
    private string _lastErrorCode = "";
    private long _replies, _errorReplies, _redirects, _measuredRedirects;
    private long[] _nodeReplies = [], _nodeMeasured = [];
    private int _inFlight; // requests taken from _free: on a socket or parked
    private int _loops;
    private bool _closed, _closedLoop;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Open loop: the same schedule as LoadConnection's.
    private readonly int _index;
    private readonly int _connections;
    private readonly double _ticksPerRequest;
    private long _next;
    private volatile bool _sendingDone;

    public ClusterConnection(ClusterMap map, IEnumerable<(ClusterNode Node, RespConnection Socket)> sockets, IRequestSource source,
        RunClock clock, int pipeline, int index, int connections, double? rate)
    {
        _map = map;
        _source = source;
        _clock = clock;
        _index = index;
        _connections = connections;
        _ticksPerRequest = rate is null ? 0 : System.Diagnostics.Stopwatch.Frequency / rate.Value;
        for (int i = 0; i < pipeline; i++) _free.Push(new Request());
        foreach (var (node, socket) in sockets) Put(new Link(node, socket));
    }

    public Recorder Recorder { get; } = Histograms.NewRecorder();
    public long Replies => Volatile.Read(ref _replies);
    public long ErrorReplies => Volatile.Read(ref _errorReplies);
    public IReadOnlyDictionary<string, long> MeasuredErrors => _errors;
    public long LastMeasuredReply { get; private set; }
    public bool Idle => _sendingDone && Volatile.Read(ref _inFlight) == 0;
    public long Redirects => Volatile.Read(ref _redirects);
    public long MeasuredRedirects => _measuredRedirects;

    public void AddRepliesByNode(long[] replies, long[] measured)
    {
        // The arrays only grow (copied under the lock), so a stale one holds smaller counts, never larger.
        var all = Volatile.Read(ref _nodeReplies);
        var inWindow = Volatile.Read(ref _nodeMeasured);
        for (int i = 0; i < all.Length && i < replies.Length; i++) replies[i] += Volatile.Read(ref all[i]);
        for (int i = 0; i < inWindow.Length && i < measured.Length; i++) measured[i] += Volatile.Read(ref inWindow[i]);
    }

    public async Task RunClosedAsync()
    {
        lock (_lock)
        {
            _closedLoop = true;
            long stamp = RunClock.Now;
            while (_free.Count > 0) Issue(stamp);
            Flush();
        }
        StartLoops();
        await _done.Task;
    }

    public async Task RunOpenReceiverAsync()
    {
        StartLoops();
        await _done.Task;
    }

    public long Pump(long now)
    {
        if (_sendingDone) return long.MaxValue;
        lock (_lock) return PumpLocked(now);
    }

    public void Close()
    {
        List<Link> links;
        lock (_lock)
        {
            if (_closed) return;
            _closed = true;
            _sendingDone = true;
            // Requests still waiting for a node were never sent: measured ones count like unanswered ones.
            long lost = 0;
            while (_parked.TryDequeue(out var request))
            {
                if (_clock.IsMeasured(request.Stamp)) lost++;
                Release(request);
            }
            if (lost > 0) _errors["TIMEOUT"] = _errors.GetValueOrDefault("TIMEOUT") + lost;
            links = [.. _links.Where(l => l is not null).Select(l => l!)];
            if (_loops == 0) _done.TrySetResult();
        }
        foreach (var link in links) link.Socket.Abort();
    }

    public void CountUnsent()
    {
        long unsent = 0;
        for (long k = _next; Intended(k) < _clock.End; k++)
            if (Intended(k) >= _clock.MeasureStart) unsent++;
        if (unsent > 0) _errors["TIMEOUT"] = _errors.GetValueOrDefault("TIMEOUT") + unsent;
    }

    /// <summary>Map refresher: opens a socket to every node in <paramref name="nodes"/> that this connection has none (or a lost one) to.</summary>
    public async Task EnsureLinksAsync(IEnumerable<ClusterNode> nodes, TimeSpan timeout, CancellationToken stop)
    {
        foreach (var node in nodes)
        {
            lock (_lock)
            {
                if (_closed) return;
                if (node.Index < _links.Length && _links[node.Index] is { Dead: false }) continue;
            }
            RespConnection socket;
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stop);
                bounded.CancelAfter(timeout);
                socket = await RespConnection.ConnectAsync(node.Host, node.Port, bounded.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                continue; // not reachable (yet): requests for it wait, and the next refresh tries again
            }
            Link link;
            lock (_lock)
            {
                if (_closed || (node.Index < _links.Length && _links[node.Index] is { Dead: false }))
                {
                    socket.Abort();
                    continue;
                }
                link = new Link(node, socket);
                Put(link);
                _loops++;
            }
            _ = Task.Run(() => LinkLoopAsync(link));
        }
    }

    /// <summary>Map refresher, after a new map: requests waiting for a node go out if their node has a socket now.</summary>
    public void Unpark()
    {
        lock (_lock)
        {
            for (int n = _parked.Count; n > 0 && _parked.TryDequeue(out var request); n--) Route(request, _map.Owner(request.Slot));
            Flush();
        }
    }

    private void StartLoops()
    {
        List<Link> links;
        lock (_lock)
        {
            links = [.. _links.Where(l => l is { Dead: false }).Select(l => l!)];
            _loops += links.Count; // none: the requests wait for the refresher to connect a node
        }
        foreach (var link in links) _ = Task.Run(() => LinkLoopAsync(link));
    }

    private void Put(Link link)
    {
        int node = link.Node.Index;
        if (node >= _links.Length)
        {
            // Copies, so that readers without the lock (AddRepliesByNode) see whole arrays.
            int size = Math.Max(node + 1, _links.Length * 2);
            var links = new Link?[size];
            _links.CopyTo(links, 0);
            _links = links;
            var replies = new long[size];
            _nodeReplies.CopyTo(replies, 0);
            var measured = new long[size];
            _nodeMeasured.CopyTo(measured, 0);
            Volatile.Write(ref _nodeReplies, replies);
            Volatile.Write(ref _nodeMeasured, measured);
        }
        _links[node] = link;
    }

    private async Task LinkLoopAsync(Link link)
    {
        try
        {
            while (true)
            {
                if (!await link.Socket.ReceiveAsync())
                {
                    Lost(link, "CONNECTION", "closed by the server");
                    return;
                }
                lock (_lock)
                {
                    long now = RunClock.Now;
                    int completed = ProcessReplies(link, now);
                    if (_closedLoop)
                    {
                        if (now >= _clock.End) _sendingDone = true;
                        else if (completed > 0 && !_closed)
                        {
                            long stamp = RunClock.Now;
                            for (int i = 0; i < completed; i++) Issue(stamp);
                        }
                    }
                    else if (completed > 0)
                    {
                        // A reply frees room in the window: send what is overdue now, not at the pacer's next wake-up.
                        PumpLocked(RunClock.Now);
                    }
                    Flush();
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Lost(link, _clock.Aborted ? "TIMEOUT" : "CONNECTION", e.Message);
        }
        catch (InvalidDataException e)
        {
            Lost(link, "PROTOCOL", e.Message);
            link.Socket.Abort();
        }
        finally
        {
            lock (_lock)
            {
                if (--_loops == 0 && _closed) _done.TrySetResult();
            }
        }
    }

    private long PumpLocked(long now)
    {
        if (_sendingDone || _clock.Aborted || _closed)
        {
            _sendingDone = true;
            return long.MaxValue;
        }
        long intended = Intended(_next);
        while (intended <= now && intended < _clock.End && _free.Count > 0)
        {
            Issue(intended);
            intended = Intended(++_next);
        }
        Flush();
        if (intended >= _clock.End) _sendingDone = true;
        return _sendingDone ? long.MaxValue : intended;
    }

    private long Intended(long k) => _clock.Start + (long)((_index + (double)k * _connections) * _ticksPerRequest);

    /// <summary>A new request from the workload, timed from <paramref name="stamp"/>, to its slot's node.</summary>
    private void Issue(long stamp)
    {
        var request = _free.Pop();
        _inFlight++;
        request.Command.Clear();
        request.Slot = _source.Write(request.Command);
        request.Command.CheckComplete();
        request.Stamp = stamp;
        request.Redirects = 0;
        Route(request, request.Slot >= 0 ? _map.Owner(request.Slot) : -1);
    }

    /// <summary>Queues the request on <paramref name="node"/>'s socket (sent by <see cref="Flush"/>), or parks it until that node has one.</summary>
    private void Route(Request request, int node)
    {
        if (node < 0 && request.Slot < 0) node = Array.FindIndex(_links, l => l is { Dead: false }); // keyless: any node
        var link = node >= 0 && node < _links.Length ? _links[node] : null;
        if (link is null || link.Dead)
        {
            _parked.Enqueue(request);
            _map.RequestRefresh();
            return;
        }
        link.InFlight.Enqueue(request);
        if (link.Out.Length == 0) _unsent.Add(link);
        link.Out.Raw(request.Command.Written.Span);
    }

    /// <summary>One send per socket for everything queued on it since the last flush (a blocking send: the window keeps it small).</summary>
    private void Flush()
    {
        foreach (var link in _unsent)
        {
            try
            {
                link.Socket.Send(link.Out.Written.Span);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                link.Socket.Abort(); // its receive loop ends and counts what was in flight on it
            }
            link.Out.Clear();
        }
        _unsent.Clear();
    }

    private void Release(Request request)
    {
        _free.Push(request);
        _inFlight--;
    }

    /// <summary>Consumes every complete reply in the socket's receive buffer; returns how many requests completed.</summary>
    private int ProcessReplies(Link link, long now)
    {
        int completed = 0;
        var socket = link.Socket;
        while (true)
        {
            var status = RespReader.Skip(socket.Unread, out int consumed, out var errorText);
            if (status == ReplyStatus.Incomplete) return completed;
            if (!link.InFlight.TryDequeue(out var request))
                throw new InvalidDataException("a reply arrived with no request in flight");
            bool measured = _clock.IsMeasured(request.Stamp);
            if (status == ReplyStatus.Error && request.Redirects < MaxRedirects
                && RespReader.TryParseMoved(socket.Unread[errorText], out int slot, out string host, out int port))
            {
                socket.Consume(consumed);
                request.Redirects++;
                Volatile.Write(ref _redirects, _redirects + 1);
                if (measured) _measuredRedirects++;
                int node = _map.Moved(slot, host.Length == 0 ? link.Node.Host : host, port);
                Route(request, node);
                continue;
            }
            if (measured) LastMeasuredReply = now;
            if (status == ReplyStatus.Ok)
            {
                Volatile.Write(ref _replies, _replies + 1);
                int node = link.Node.Index;
                Volatile.Write(ref _nodeReplies[node], _nodeReplies[node] + 1);
                if (measured)
                {
                    Histograms.Record(Recorder, RunClock.Micros(now - request.Stamp));
                    Volatile.Write(ref _nodeMeasured[node], _nodeMeasured[node] + 1);
                }
            }
            else
            {
                Volatile.Write(ref _errorReplies, _errorReplies + 1);
                if (measured) CountError(socket.Unread[errorText]);
            }
            socket.Consume(consumed);
            Release(request);
            completed++;
        }
    }

    private void CountError(ReadOnlySpan<byte> message)
    {
        int space = message.IndexOf((byte)' ');
        var word = space < 0 ? message : message[..space];
        if (!word.SequenceEqual(_lastErrorWord))
        {
            _lastErrorWord = word.ToArray();
            _lastErrorCode = word.IsEmpty ? "ERR" : Encoding.UTF8.GetString(word);
        }
        _errors[_lastErrorCode] = _errors.GetValueOrDefault(_lastErrorCode) + 1;
    }

    /// <summary>
    /// A socket ended: its measured requests in flight count as errors of <paramref name="code"/>. In a closed loop
    /// that is still running, as many new requests take their place (to other nodes once the map has moved on), so
    /// one lost node does not stall the connection.
    /// </summary>
    private void Lost(Link? link, string code, string why)
    {
        long lost = 0;
        int dropped = 0;
        bool ended;
        lock (_lock)
        {
            if (link is not null)
            {
                link.Dead = true;
                while (link.InFlight.TryDequeue(out var request))
                {
                    if (_clock.IsMeasured(request.Stamp)) lost++;
                    Release(request);
                    dropped++;
                }
            }
            if (lost > 0) _errors[code] = _errors.GetValueOrDefault(code) + lost;
            ended = _closed || _clock.Aborted || RunClock.Now >= _clock.End;
            if (_closedLoop && !ended && dropped > 0)
            {
                long stamp = RunClock.Now;
                for (int i = 0; i < dropped; i++) Issue(stamp);
                Flush();
            }
            if (link is not null && Array.TrueForAll(_links, l => l is null or { Dead: true }) && !_closed && !ended)
                _map.RequestRefresh(); // every socket is gone: only a new map can help
        }
        // A node that leaves closes its sockets once its slots are gone: with nothing lost that is no news.
        bool quiet = lost == 0 && code is ("TIMEOUT" or "CONNECTION");
        if (!quiet)
            Console.Error.WriteLine($"connection {_index} ({(link is null ? "no node" : link.Node.Endpoint)}): {why}" +
                (lost > 0 ? $"; {lost} measured request(s) unanswered, counted as {code}" : ""));
    }
}
