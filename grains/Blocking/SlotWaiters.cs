using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Blocking;

/// <summary>
/// The clients blocked on one slot's keys (BLPOP, BZPOPMIN, XREAD BLOCK…), first come first served
/// per key. A write to a key with waiters marks it ready; after the batch that wrote it, the grain
/// serves waiters in order for as long as their command finds data — as Redis serves blocked
/// clients after each command, script or transaction.
/// </summary>
internal sealed class SlotWaiters
{
    private sealed class Waiter(BlockRequest request, byte[][] keys, bool pops, long seq)
    {
        public BlockRequest Request { get; } = request;
        /// <summary>Arrival order (a migration hands waiters over in it).</summary>
        public long Seq { get; } = seq;
        public byte[][] Keys { get; } = keys;
        /// <summary>A pop: when it finds nothing, no later pop on the key would either.</summary>
        public bool Pops { get; } = pops;
    }

    private readonly Dictionary<byte[], LinkedList<Waiter>> _byKey = new(ByteArrayComparer.Instance);
    private readonly Dictionary<BlockedClientObserverKey, Waiter> _byId = [];
    private readonly HashSet<byte[]> _ready = new(ByteArrayComparer.Instance);
    private long _arrivals;

    public int Count => _byId.Count;
    public bool HasReady => _ready.Count > 0;

    /// <summary>Keyspace hook: a key is about to change.</summary>
    public void KeyChanging(byte[] key)
    {
        if (_byKey.ContainsKey(key)) _ready.Add(key);
    }

    public void Add(BlockRequest request, byte[][] keys, bool pops)
    {
        var waiter = new Waiter(request, keys, pops, ++_arrivals);
        _byId[request.Waiter] = waiter;
        foreach (var key in keys)
        {
            if (!_byKey.TryGetValue(key, out var queue)) _byKey[key] = queue = new LinkedList<Waiter>();
            queue.AddLast(waiter);
        }
    }

    /// <summary>Every waiter in arrival order, for the slot's next activation (migration).</summary>
    public BlockedWaiter[] Snapshot() =>
        _byId.Values.OrderBy(w => w.Seq).Select(w => new BlockedWaiter(w.Request, w.Keys, w.Pops)).ToArray();

    public void Restore(BlockedWaiter[] waiters)
    {
        foreach (var waiter in waiters) Add(waiter.Request, waiter.Keys, waiter.Pops);
    }

    public bool Remove(BlockedClientObserverKey id)
    {
        if (!_byId.Remove(id, out var waiter)) return false;
        foreach (var key in waiter.Keys)
        {
            if (!_byKey.TryGetValue(key, out var queue)) continue;
            queue.Remove(waiter);
            if (queue.Count == 0) _byKey.Remove(key);
        }
        return true;
    }

    /// <summary>
    /// Serves waiters of ready keys in FIFO order. <paramref name="tryServe"/> runs a waiter's command
    /// and returns its reply, or null if it would still block; it may write keys (BLMOVE), which
    /// makes them ready in turn.
    /// </summary>
    public List<(BlockRequest Request, byte[] Reply)> ServeReady(Func<BlockRequest, byte[]?> tryServe)
    {
        var served = new List<(BlockRequest, byte[])>();
        while (_ready.Count > 0)
        {
            var key = _ready.First();
            _ready.Remove(key);
            if (!_byKey.TryGetValue(key, out var queue)) continue;
            foreach (var waiter in queue.ToArray())
            {
                var reply = tryServe(waiter.Request);
                if (reply is null)
                {
                    // A pop that finds nothing means the key ran dry for every later pop; a stream
                    // reader may wait for other IDs or another group, so later ones still get a try.
                    if (waiter.Pops) break;
                    continue;
                }
                Remove(waiter.Request.Waiter);
                served.Add((waiter.Request, reply));
            }
        }
        return served;
    }
}

/// <summary>A blocked client as a migrating slot hands it over.</summary>
[GenerateSerializer, Immutable]
public sealed record BlockedWaiter([property: Id(0)] BlockRequest Request, [property: Id(1)] byte[][] Keys, [property: Id(2)] bool Pops);
