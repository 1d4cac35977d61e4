namespace OrleansLua.LoadGen;

/// <summary>
/// The timestamps of a connection's requests in flight, oldest first (RESP replies come back in order).
/// Single producer, single consumer: in open loop the sender (pacer or receive loop, under a lock) pushes while the receive loop pops,
/// so head and tail are published with volatile reads and writes instead of a lock.
/// </summary>
public sealed class InFlight(int capacity)
{
    private readonly long[] _slots = new long[capacity];
    private long _head; // next to pop, written by the consumer
    private long _tail; // next to push, written by the producer

    public int Capacity => _slots.Length;
    public int Count => (int)(Volatile.Read(ref _tail) - Volatile.Read(ref _head));

    public bool TryPush(long timestamp)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) >= _slots.Length) return false;
        _slots[tail % _slots.Length] = timestamp;
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    public bool TryPop(out long timestamp)
    {
        long head = _head;
        if (head == Volatile.Read(ref _tail)) { timestamp = 0; return false; }
        timestamp = _slots[head % _slots.Length];
        Volatile.Write(ref _head, head + 1);
        return true;
    }
}
