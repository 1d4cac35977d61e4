using OrleansLua.LoadGen.Resp;
using OrleansLua.LoadGen.Workloads;

namespace OrleansLua.LoadGen.Cluster;

/// <summary>A node as CLUSTER SLOTS names it; <see cref="Index"/> never changes (per-node counters, each connection's socket to it).</summary>
public sealed record ClusterNode(int Index, string Host, int Port)
{
    public string Endpoint => $"{Host}:{Port}";
}

/// <summary>
/// The generator's copy of the cluster's slot map: which node serves each of the 16384 slots. Loaded from
/// CLUSTER SLOTS of a seed; corrected slot by slot by every -MOVED a connection follows; refreshed from CLUSTER
/// SLOTS every <c>--refresh</c> seconds and at once when a request names a node no connection has a socket to,
/// so the generator learns nodes that join and leave. Before a refreshed map is used every connection has a
/// socket to each of its nodes.
/// </summary>
public sealed class ClusterMap
{
    /// <summary>A refresh that a MOVED or a lost node asks for waits at least this long after the last one.</summary>
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    private readonly string _host;
    private readonly IReadOnlyList<int> _seeds;
    private readonly Lock _lock = new();
    private readonly List<ClusterNode> _nodes = [];
    private readonly HashSet<int> _named = [];   // nodes a MOVED named since the last refresh
    private int[] _owners;                       // node index per slot, -1 when no node serves it
    private RespConnection? _admin;
    private readonly SemaphoreSlim _wake = new(0); // an extra count only costs one extra refresh
    private int _wakeRequested;
    private long _refreshes, _changes, _failedRefreshes;

    private ClusterMap(string host, IReadOnlyList<int> seeds)
    {
        _host = host;
        _seeds = seeds;
        _owners = new int[KeySlot.Count];
        Array.Fill(_owners, -1);
    }

    public IReadOnlyList<int> Seeds => _seeds;

    /// <summary>The node serving <paramref name="slot"/> (-1: none known).</summary>
    public int Owner(int slot) => Volatile.Read(ref _owners)[slot];

    public IReadOnlyList<ClusterNode> Nodes
    {
        get { lock (_lock) return [.. _nodes]; }
    }

    /// <summary>The nodes that serve at least one slot now.</summary>
    public IReadOnlyList<ClusterNode> Serving
    {
        get
        {
            var owners = Volatile.Read(ref _owners);
            var used = owners.Where(o => o >= 0).ToHashSet();
            lock (_lock) return [.. _nodes.Where(n => used.Contains(n.Index))];
        }
    }

    public long Refreshes => Interlocked.Read(ref _refreshes);
    /// <summary>Slots whose node a refresh changed (a MOVED already followed for a slot does not count again).</summary>
    public long Changes => Interlocked.Read(ref _changes);
    public long FailedRefreshes => Interlocked.Read(ref _failedRefreshes);

    /// <summary>Reads CLUSTER SLOTS from the first seed that answers it.</summary>
    public static async Task<ClusterMap> LoadAsync(string host, IReadOnlyList<int> seeds)
    {
        var map = new ClusterMap(host, seeds);
        string? why = null;
        foreach (int port in seeds)
        {
            try
            {
                var connection = await RespConnection.ConnectAsync(host, port, CancellationToken.None);
                var reply = await connection.CallAsync("CLUSTER", "SLOTS");
                if (reply.IsError || reply.Items is null)
                {
                    why = $"port {port}: CLUSTER SLOTS answered {reply} (not a cluster node?)";
                    await connection.DisposeAsync();
                    continue;
                }
                map._admin = connection;
                map.Apply(map.Parse(reply));
                if (map.Serving.Count == 0) throw new SetupException($"port {port}: CLUSTER SLOTS lists no node serving a slot");
                return map;
            }
            catch (IOException e)
            {
                why = e.Message;
            }
        }
        throw new SetupException($"no seed answered CLUSTER SLOTS: {why}");
    }

    /// <summary>Records a -MOVED: the slot is served by that endpoint now. Returns the node's index (registered if new).</summary>
    public int Moved(int slot, string host, int port)
    {
        int node;
        lock (_lock)
        {
            node = Register(host, port);
            _named.Add(node);
        }
        Volatile.Read(ref _owners)[slot] = node; // a plain store: a refresh racing with it only costs one more MOVED
        return node;
    }

    /// <summary>A request found no socket to its node: refresh soon.</summary>
    public void RequestRefresh()
    {
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0) _wake.Release();
    }

    /// <summary>Refreshes every <paramref name="period"/> and on request, until <paramref name="stop"/>.</summary>
    public async Task RunAsync(IReadOnlyList<ClusterConnection> connections, TimeSpan period, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await _wake.WaitAsync(period, stop);
                Volatile.Write(ref _wakeRequested, 0);
                try
                {
                    await RefreshAsync(connections, stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A reply it could not read: the map stays as it is until the next refresh.
                    Interlocked.Increment(ref _failedRefreshes);
                    Console.Error.WriteLine($"cluster map refresh failed: {e.Message}");
                }
                await Task.Delay(MinRefreshInterval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (_admin is not null) await _admin.DisposeAsync();
        }
    }

    private async Task RefreshAsync(IReadOnlyList<ClusterConnection> connections, CancellationToken stop)
    {
        int[]? owners = await FetchAsync();
        if (owners is null)
        {
            Interlocked.Increment(ref _failedRefreshes);
            return;
        }
        int[] needed;
        lock (_lock)
        {
            needed = [.. owners.Where(o => o >= 0).Concat(_named).Distinct()];
            _named.Clear();
        }
        var nodes = Nodes;
        // Sockets first, then the map that sends requests through them.
        await Task.WhenAll(connections.Select(c => c.EnsureLinksAsync(needed.Select(i => nodes[i]), ConnectTimeout, stop)));
        var previous = Volatile.Read(ref _owners);
        int changed = 0;
        for (int slot = 0; slot < KeySlot.Count; slot++)
            if (owners[slot] != previous[slot]) changed++;
        Volatile.Write(ref _owners, owners);
        Interlocked.Increment(ref _refreshes);
        Interlocked.Add(ref _changes, changed);
        foreach (var connection in connections) connection.Unpark();
    }

    /// <summary>CLUSTER SLOTS from the node asked last, else any node known, else a seed; null when none answers.</summary>
    private async Task<int[]?> FetchAsync()
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            if (_admin is null)
            {
                var endpoints = Serving.Select(n => (n.Host, n.Port)).Concat(_seeds.Select(p => (Host: _host, Port: p))).Distinct();
                foreach (var (host, port) in endpoints)
                {
                    try
                    {
                        using var timeout = new CancellationTokenSource(ConnectTimeout);
                        _admin = await RespConnection.ConnectAsync(host, port, timeout.Token);
                        break;
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException)
                    {
                    }
                }
                if (_admin is null) return null;
            }
            try
            {
                var reply = await _admin.CallAsync("CLUSTER", "SLOTS").WaitAsync(ConnectTimeout);
                if (!reply.IsError && reply.Items is not null) return Parse(reply);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or TimeoutException or System.Net.Sockets.SocketException)
            {
            }
            await _admin.DisposeAsync(); // ask another node next time
            _admin = null;
        }
        return null;
    }

    /// <summary>CLUSTER SLOTS: [start, end, [ip, port, id, …], replicas…] per range; an empty ip means the seed's host.</summary>
    private int[] Parse(RespValue reply)
    {
        var owners = new int[KeySlot.Count];
        Array.Fill(owners, -1);
        foreach (var range in reply.Items!)
        {
            if (range.Items is not { Count: >= 3 } r || r[2].Items is not { Count: >= 2 } master)
                throw new InvalidDataException($"unexpected CLUSTER SLOTS entry {range}");
            string host = string.IsNullOrEmpty(master[0].Text) || master[0].Text == "?" ? _host : master[0].Text!;
            int node;
            lock (_lock) node = Register(host, (int)master[1].Integer);
            for (long slot = r[0].Integer; slot <= r[1].Integer && slot < KeySlot.Count; slot++)
                if (slot >= 0) owners[slot] = node;
        }
        return owners;
    }

    private void Apply(int[] owners) => Volatile.Write(ref _owners, owners);

    private int Register(string host, int port)
    {
        var existing = _nodes.Find(n => n.Port == port && n.Host == host);
        if (existing is not null) return existing.Index;
        _nodes.Add(new ClusterNode(_nodes.Count, host, port));
        return _nodes.Count - 1;
    }
}
