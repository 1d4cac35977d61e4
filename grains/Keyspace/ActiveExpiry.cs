using System.Collections.Concurrent;

namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// The silo's active expiry cycle (Redis's, per slot): once a second every slot that holds keys with a TTL
/// samples them and deletes the expired ones. One timer for the silo, not a grain timer per slot: 16,384 grain
/// timers ticking were about 8 % of a busy silo's CPU samples (timer queue and Orleans' invoke path, perf, rate-limiter
/// load with TTL keys in every slot). Slots are visited on a pool thread, each under its own
/// gate (a slot busy with a batch or a script is skipped until the next second).
/// </summary>
public sealed class ActiveExpiry : IDisposable
{
    /// <summary>A slot's side of the cycle.</summary>
    public interface ISlot
    {
        /// <summary>One sampling round; false when the slot has no key with a TTL left (it is then forgotten).</summary>
        bool ExpireCycle();
    }

    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<ISlot, bool> _slots = new();
    private readonly Timer _timer;
    private int _running;

    public ActiveExpiry() => _timer = new Timer(_ => Tick(), null, Period, Period);

    /// <summary>Slots in the cycle now.</summary>
    public int Count => _slots.Count;

    /// <summary>The slot holds keys with a TTL: visit it from now on (idempotent).</summary>
    public void Watch(ISlot slot) => _slots.TryAdd(slot, true);

    public void Forget(ISlot slot) => _slots.TryRemove(slot, out _);

    private void Tick()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1) return; // the previous round is still going
        try
        {
            foreach (var slot in _slots.Keys)
                if (!slot.ExpireCycle()) Forget(slot);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
