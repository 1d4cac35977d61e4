namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// A consumer group of a stream: the last ID it delivered, its read counter, its consumers and its
/// pending entries list (PEL: delivered, not yet acknowledged). Every pending entry belongs to one
/// consumer and is listed in both the group's and that consumer's PEL, as in Redis.
/// </summary>
public sealed class ConsumerGroup(StreamId lastId, long entriesRead)
{
    /// <summary>Redis's SCG_INVALID_ENTRIES_READ: the group's read counter is not known.</summary>
    public const long UnknownEntriesRead = -1;

    public StreamId LastId { get; set; } = lastId;
    public long EntriesRead { get; set; } = entriesRead;
    public PendingEntries Pending { get; } = new();
    /// <summary>By name in byte order (Redis keeps them in a radix tree).</summary>
    public SortedDictionary<byte[], StreamConsumer> Consumers { get; } = new(ByteArrayComparer.Instance);

    /// <summary>The named consumer, created when missing; either way it was just seen.</summary>
    public StreamConsumer Consumer(byte[] name, long now)
    {
        if (!Consumers.TryGetValue(name, out var consumer)) Consumers[name] = consumer = new StreamConsumer(name);
        consumer.SeenTime = now;
        return consumer;
    }

    public bool TryCreateConsumer(byte[] name, long now)
    {
        if (Consumers.ContainsKey(name)) return false;
        Consumers[name] = new StreamConsumer(name) { SeenTime = now };
        return true;
    }

    /// <summary>Removes a consumer and its pending entries; returns how many it had pending.</summary>
    public long DeleteConsumer(byte[] name)
    {
        if (!Consumers.Remove(name, out var consumer)) return 0;
        foreach (var entry in consumer.Pending.All()) Pending.Remove(entry.Id);
        return consumer.Pending.Count;
    }

    /// <summary>Hands a pending entry to <paramref name="consumer"/> (no-op if it already has it).</summary>
    public static void Assign(PendingEntry entry, StreamConsumer consumer)
    {
        if (entry.Consumer == consumer) return;
        entry.Consumer?.Pending.Remove(entry.Id);
        entry.Consumer = consumer;
        consumer.Pending.Add(entry);
    }

    /// <summary>Forgets a pending entry (XACK, or its stream entry is gone).</summary>
    public bool Acknowledge(StreamId id)
    {
        if (!Pending.TryGet(id, out var entry)) return false;
        Pending.Remove(id);
        entry.Consumer?.Pending.Remove(id);
        return true;
    }

    public ConsumerGroup Clone()
    {
        var copy = new ConsumerGroup(LastId, EntriesRead);
        foreach (var (name, consumer) in Consumers)
        {
            var consumerCopy = new StreamConsumer(name) { SeenTime = consumer.SeenTime };
            copy.Consumers[name] = consumerCopy;
            foreach (var entry in consumer.Pending.All())
            {
                var entryCopy = new PendingEntry(entry.Id, entry.DeliveryTime, entry.DeliveryCount) { Consumer = consumerCopy };
                consumerCopy.Pending.Add(entryCopy);
                copy.Pending.Add(entryCopy);
            }
        }
        return copy;
    }
}

public sealed class StreamConsumer(byte[] name)
{
    public byte[] Name { get; } = name;
    /// <summary>Unix ms of the consumer's last read or claim (XINFO CONSUMERS idle).</summary>
    public long SeenTime { get; set; }
    public PendingEntries Pending { get; } = new();
}

/// <summary>A delivered, unacknowledged entry (Redis's NACK).</summary>
public sealed class PendingEntry(StreamId id, long deliveryTime, long deliveryCount)
{
    public StreamId Id { get; } = id;
    public StreamConsumer? Consumer { get; set; }
    /// <summary>Unix ms of the last delivery.</summary>
    public long DeliveryTime { get; set; } = deliveryTime;
    public long DeliveryCount { get; set; } = deliveryCount;
}

/// <summary>A pending entries list: by ID, ascending, with lookups and range scans.</summary>
public sealed class PendingEntries
{
    private readonly SortedSet<StreamId> _ids = [];
    private readonly Dictionary<StreamId, PendingEntry> _entries = [];

    public int Count => _ids.Count;
    public StreamId First => _ids.Min;
    public StreamId Last => _ids.Max;

    public void Add(PendingEntry entry)
    {
        _ids.Add(entry.Id);
        _entries[entry.Id] = entry;
    }

    public void Remove(StreamId id)
    {
        _ids.Remove(id);
        _entries.Remove(id);
    }

    public bool TryGet(StreamId id, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out PendingEntry entry) =>
        _entries.TryGetValue(id, out entry);

    /// <summary>Entries with IDs in [start, end], ascending; a snapshot, so callers may change the list meanwhile.</summary>
    public List<PendingEntry> Range(StreamId start, StreamId end, int limit = int.MaxValue)
    {
        var result = new List<PendingEntry>();
        if (start > end || _ids.Count == 0) return result;
        foreach (var id in _ids.GetViewBetween(start, end))
        {
            if (result.Count == limit) break;
            result.Add(_entries[id]);
        }
        return result;
    }

    public List<PendingEntry> All() => Range(StreamId.Zero, StreamId.Max);
}
