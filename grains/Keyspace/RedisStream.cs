namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// A stream: entries ordered by ID in nodes laid out as Redis lays them out (see <see cref="StreamNode"/>),
/// the counters XINFO reports, and the consumer groups. An emptied stream stays (Redis keeps it).
/// </summary>
public sealed class RedisStream : IRedisValue
{
    private readonly List<StreamNode> _nodes;

    public RedisStream()
    {
        _nodes = [];
        Groups = new(ByteArrayComparer.Instance);
    }

    private RedisStream(RedisStream other)
    {
        _nodes = other._nodes.ConvertAll(n => n.Clone());
        Length = other.Length;
        LastId = other.LastId;
        MaxDeletedId = other.MaxDeletedId;
        EntriesAdded = other.EntriesAdded;
        Groups = new(ByteArrayComparer.Instance);
        foreach (var (name, group) in other.Groups) Groups[name] = group.Clone();
    }

    /// <summary>
    /// Rebuilds a stream from its nodes (ValueCodec), ascending and not overlapping; the groups are
    /// added to <see cref="Groups"/> afterwards.
    /// </summary>
    internal RedisStream(List<StreamNode> nodes, StreamId lastId, StreamId maxDeletedId, long entriesAdded)
    {
        _nodes = nodes;
        long length = 0;
        foreach (var node in nodes) length += node.Entries.Count;
        Length = length;
        LastId = lastId;
        MaxDeletedId = maxDeletedId;
        EntriesAdded = entriesAdded;
        Groups = new(ByteArrayComparer.Instance);
    }

    /// <summary>The nodes in ID order (ValueCodec).</summary>
    internal IReadOnlyList<StreamNode> Nodes => _nodes;

    public string TypeName => "stream";
    public string Encoding => "stream";
    public bool IsEmpty => false;
    public IRedisValue Clone() => new RedisStream(this);

    public long Length { get; private set; }
    /// <summary>last-generated-id: new IDs must be greater.</summary>
    public StreamId LastId { get; set; }
    /// <summary>max-deleted-entry-id: the greatest ID removed by XDEL.</summary>
    public StreamId MaxDeletedId { get; set; }
    /// <summary>entries-added: every entry ever added.</summary>
    public long EntriesAdded { get; set; }
    /// <summary>Consumer groups by name, in byte order.</summary>
    public SortedDictionary<byte[], ConsumerGroup> Groups { get; }

    /// <summary>recorded-first-entry-id: the first live entry's ID, 0-0 when empty.</summary>
    public StreamId FirstId => First()?.Id ?? StreamId.Zero;

    /// <summary>The last live entry's ID, 0-0 when empty (Redis's streamLastValidID).</summary>
    public StreamId LastValidId => Last()?.Id ?? StreamId.Zero;

    public StreamEntry? First() => Range(StreamId.Zero, StreamId.Max).FirstOrDefault();
    public StreamEntry? Last() => Range(StreamId.Zero, StreamId.Max, reverse: true).FirstOrDefault();

    /// <summary>
    /// The ID XADD gives a new entry: <paramref name="requested"/> null means "*" (time based,
    /// <paramref name="now"/> in ms); <paramref name="seqGiven"/> false means "&lt;ms&gt;-*". False when
    /// the ID would not be greater than <see cref="LastId"/>.
    /// </summary>
    public bool TryNextId(StreamId? requested, bool seqGiven, long now, out StreamId id)
    {
        if (requested is not { } wanted)
        {
            if ((ulong)now > LastId.Ms) id = new StreamId((ulong)now, 0);
            else LastId.TryIncrement(out id);
        }
        else if (seqGiven || wanted.Ms != LastId.Ms) id = wanted;
        else if (LastId.Seq == ulong.MaxValue)
        {
            id = LastId;
            return false;
        }
        else id = new StreamId(LastId.Ms, LastId.Seq + 1);
        return id > LastId;
    }

    /// <summary>Appends an entry whose ID comes from <see cref="TryNextId"/>.</summary>
    public void Append(StreamId id, byte[][] fieldsAndValues)
    {
        var entry = new StreamEntry(id, fieldsAndValues);
        if (_nodes.Count > 0 && _nodes[^1].CanTake(fieldsAndValues)) _nodes[^1].Add(entry);
        else _nodes.Add(new StreamNode(entry));
        Length++;
        EntriesAdded++;
        LastId = id;
    }

    /// <summary>XDEL of one ID: true if it was there.</summary>
    public bool Delete(StreamId id)
    {
        int n = FirstNodeEndingAtOrAfter(id);
        if (n == _nodes.Count) return false;
        var node = _nodes[n];
        int index = node.LowerBound(id);
        if (index == node.Entries.Count || node.Entries[index].Id != id) return false;
        if (node.Entries.Count == 1) _nodes.RemoveAt(n);
        else
        {
            node.Entries.RemoveAt(index);
            node.Deleted++;
        }
        Length--;
        if (id > MaxDeletedId) MaxDeletedId = id;
        return true;
    }

    public StreamEntry? Find(StreamId id) => Range(id, id).FirstOrDefault();

    /// <summary>Live entries with IDs in [start, end], ascending or, with <paramref name="reverse"/>, descending.</summary>
    public IEnumerable<StreamEntry> Range(StreamId start, StreamId end, bool reverse = false)
    {
        if (start > end) yield break;
        if (!reverse)
        {
            for (int n = FirstNodeEndingAtOrAfter(start); n < _nodes.Count; n++)
            {
                var entries = _nodes[n].Entries;
                for (int i = _nodes[n].LowerBound(start); i < entries.Count; i++)
                {
                    if (entries[i].Id > end) yield break;
                    yield return entries[i];
                }
            }
            yield break;
        }
        for (int n = LastNodeStartingAtOrBefore(end); n >= 0; n--)
        {
            var entries = _nodes[n].Entries;
            int i = _nodes[n].LowerBound(end);
            if (i == entries.Count || entries[i].Id > end) i--;
            for (; i >= 0; i--)
            {
                if (entries[i].Id < start) yield break;
                yield return entries[i];
            }
        }
    }

    /// <summary>
    /// XTRIM / XADD trimming, as Redis's streamTrim: whole nodes go from the head while they fit the
    /// strategy and <see cref="StreamTrim.Limit"/>; exact trimming then deletes single entries of the
    /// next node, approximate trimming stops. Returns how many entries were removed.
    /// </summary>
    public long Trim(StreamTrim trim)
    {
        long removed = 0;
        while (_nodes.Count > 0)
        {
            if (trim.MaxLength is { } maxLength && Length <= maxLength) break;
            var node = _nodes[0];
            int live = node.Entries.Count;
            if (trim.Limit > 0 && removed + live > trim.Limit) break;
            bool wholeNode = trim.MaxLength is { } max ? Length - live >= max : node.LastAddedId < trim.MinId;
            if (wholeNode)
            {
                _nodes.RemoveAt(0);
                Length -= live;
                removed += live;
                continue;
            }
            if (trim.Approximate) break;
            int count = 0;
            while (count < live && (trim.MaxLength is { } keep ? Length > keep : node.Entries[count].Id < trim.MinId))
            {
                count++;
                Length--;
            }
            node.Entries.RemoveRange(0, count);
            node.Deleted += count;
            removed += count;
            break;
        }
        return removed;
    }

    /// <summary>
    /// How many entries were ever added up to <paramref name="id"/> (a group's entries-read), when
    /// it can be known: -1 otherwise (Redis's streamEstimateDistanceFromFirstEverEntry).
    /// </summary>
    public long EstimateEntriesRead(StreamId id)
    {
        if (EntriesAdded == 0) return 0;
        if (Length == 0 && id <= LastId) return EntriesAdded;
        int toLast = id.CompareTo(LastId);
        if (toLast == 0) return EntriesAdded;
        if (toLast > 0) return ConsumerGroup.UnknownEntriesRead;
        var first = FirstId;
        if (MaxDeletedId.IsZero || MaxDeletedId < first)
        {
            // No deleted entry past the first one: the count before the first entry is exact.
            int toFirst = id.CompareTo(first);
            if (toFirst < 0) return EntriesAdded - Length;
            if (toFirst == 0) return EntriesAdded - Length + 1;
        }
        return ConsumerGroup.UnknownEntriesRead;
    }

    /// <summary>Whether an XDEL'd entry may lie in [start, end] (end null: to the end).</summary>
    public bool RangeHasTombstones(StreamId start, StreamId? end = null)
    {
        if (Length == 0 || MaxDeletedId.IsZero) return false;
        if (FirstId > MaxDeletedId) return false;
        return start <= MaxDeletedId && MaxDeletedId <= (end ?? StreamId.Max);
    }

    /// <summary>XINFO's lag of a group: entries added after its last delivered one, null when unknown.</summary>
    public long? Lag(ConsumerGroup group)
    {
        if (EntriesAdded == 0) return 0;
        if (group.EntriesRead != ConsumerGroup.UnknownEntriesRead && !RangeHasTombstones(group.LastId))
            return EntriesAdded - group.EntriesRead;
        long read = EstimateEntriesRead(group.LastId);
        return read == ConsumerGroup.UnknownEntriesRead ? null : EntriesAdded - read;
    }

    /// <summary>radix-tree-keys: the number of nodes.</summary>
    public int RadixTreeKeys => _nodes.Count;

    /// <summary>radix-tree-nodes: the nodes of Redis's radix tree holding the node keys.</summary>
    public int RadixTreeNodes => RadixTreeSize.Of(_nodes.ConvertAll(n => n.MasterId));

    private int FirstNodeEndingAtOrAfter(StreamId id)
    {
        int lo = 0, hi = _nodes.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_nodes[mid].LastAddedId < id) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private int LastNodeStartingAtOrBefore(StreamId id)
    {
        int lo = 0, hi = _nodes.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_nodes[mid].MasterId <= id) lo = mid + 1;
            else hi = mid;
        }
        return lo - 1;
    }
}

/// <summary>A trimming strategy: MAXLEN or MINID, exact or approximate (~), with a LIMIT (0: none).</summary>
public readonly record struct StreamTrim(long? MaxLength, StreamId MinId, bool Approximate, long Limit);
