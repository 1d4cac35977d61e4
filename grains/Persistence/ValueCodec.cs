using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Numerics;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Persistence;

/// <summary>
/// The stored form of one key's value (without its key or TTL), for durable storage.
/// <para>
/// Layout: a format-version byte (<see cref="FormatVersion"/>), a type tag naming the type and its
/// encoding (OBJECT ENCODING survives the round trip: a set that became a hashtable stays one),
/// then the fields. Numbers are LEB128 varints (signed ones zigzagged), byte strings a varint
/// length and the bytes, scores 8-byte little-endian IEEE doubles (so -0, ±inf are exact).
/// Collections are a varint count and their elements in the order the value iterates them, which is
/// the order commands observe (listpack insertion order, hashtable positions, intset ascending,
/// sorted sets ascending). A stream is its counters, then its nodes exactly as laid out (master ID,
/// master fields, last added ID, modelled listpack bytes, deleted count, live entries with IDs as
/// deltas and entries repeating the master fields stored as values only), then its consumer groups
/// (last delivered ID, entries-read, consumers with seen time and their pending entries).
/// </para>
/// </summary>
public static class ValueCodec
{
    public const byte FormatVersion = 1;

    private enum Tag : byte
    {
        String = 1,
        HashListpack = 2,
        HashHashtable = 3,
        ListListpack = 4,
        ListQuicklist = 5,
        SetIntset = 6,
        SetListpack = 7,
        SetHashtable = 8,
        ZsetListpack = 9,
        ZsetSkiplist = 10,
        Stream = 11,
    }

    // Stream entry layouts: the master entry's fields (values follow), else count + 1 items follow.
    private const ulong MasterLayout = 0;

    // ------------------------------------------------------------------ serialize

    /// <summary>Serializes a Redis string (<c>byte[]</c>) or an <see cref="IRedisValue"/> collection.</summary>
    public static byte[] Serialize(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value is byte[] text)
        {
            var result = GC.AllocateUninitializedArray<byte>(2 + VarintSize((ulong)text.Length) + text.Length);
            result[0] = FormatVersion;
            result[1] = (byte)Tag.String;
            int n = EncodeVarint(result.AsSpan(2), (ulong)text.Length);
            text.CopyTo(result.AsSpan(2 + n));
            return result;
        }
        var w = new ArrayBufferWriter<byte>(EstimateSize(value));
        switch (value)
        {
            case RedisHash hash: WriteHash(w, hash); break;
            case RedisList list: WriteList(w, list); break;
            case RedisSet set: WriteSet(w, set); break;
            case RedisSortedSet zset: WriteSortedSet(w, zset); break;
            case RedisStream stream: WriteStream(w, stream); break;
            default: throw new ArgumentException($"cannot serialize a value of type {value.GetType().FullName}", nameof(value));
        }
        return w.WrittenSpan.ToArray();
    }

    private static void WriteHeader(ArrayBufferWriter<byte> w, Tag tag)
    {
        var span = w.GetSpan(2);
        span[0] = FormatVersion;
        span[1] = (byte)tag;
        w.Advance(2);
    }

    private static void WriteHash(ArrayBufferWriter<byte> w, RedisHash hash)
    {
        WriteHeader(w, hash.IsCompact ? Tag.HashListpack : Tag.HashHashtable);
        int count = hash.Count;
        WriteVarint(w, (ulong)count);
        for (int i = 0; i < count; i++)
        {
            var (field, value) = hash.At(i);
            WriteBytes(w, field);
            WriteBytes(w, value);
        }
    }

    private static void WriteList(ArrayBufferWriter<byte> w, RedisList list)
    {
        WriteHeader(w, list.Encoding == "quicklist" ? Tag.ListQuicklist : Tag.ListListpack);
        int count = list.Count;
        WriteVarint(w, (ulong)count);
        for (int i = 0; i < count; i++) WriteBytes(w, list[i]);
    }

    private static void WriteSet(ArrayBufferWriter<byte> w, RedisSet set)
    {
        int count = set.Count;
        switch (set.Encoding)
        {
            case "intset":
                // Ascending integers: the first zigzagged, then the (positive) gaps.
                WriteHeader(w, Tag.SetIntset);
                WriteVarint(w, (ulong)count);
                long previous = 0;
                for (int i = 0; i < count; i++)
                {
                    if (!RespNumbers.TryParseInt64(set.MemberAt(i), out long value))
                        throw new InvalidOperationException("an intset member is not an integer");
                    if (i == 0) WriteSigned(w, value);
                    else WriteVarint(w, unchecked((ulong)(value - previous)));
                    previous = value;
                }
                return;
            case "listpack":
                WriteHeader(w, Tag.SetListpack);
                break;
            default:
                WriteHeader(w, Tag.SetHashtable);
                break;
        }
        WriteVarint(w, (ulong)count);
        for (int i = 0; i < count; i++) WriteBytes(w, set.MemberAt(i));
    }

    private static void WriteSortedSet(ArrayBufferWriter<byte> w, RedisSortedSet zset)
    {
        int count = zset.Count;
        WriteHeader(w, zset.IsCompact ? Tag.ZsetListpack : Tag.ZsetSkiplist);
        WriteVarint(w, (ulong)count);
        if (zset.IsCompact)
        {
            for (int i = 0; i < count; i++)
            {
                WriteDouble(w, zset.CompactScoreAt(i));
                WriteBytes(w, zset.MemberAt(i));
            }
            return;
        }
        for (var node = zset.First; node is not null; node = node.Next)
        {
            WriteDouble(w, node.Score);
            WriteBytes(w, node.Member);
        }
    }

    private static void WriteStream(ArrayBufferWriter<byte> w, RedisStream stream)
    {
        WriteHeader(w, Tag.Stream);
        WriteId(w, stream.LastId);
        WriteId(w, stream.MaxDeletedId);
        WriteSigned(w, stream.EntriesAdded);
        var nodes = stream.Nodes;
        WriteVarint(w, (ulong)nodes.Count);
        foreach (var node in nodes)
        {
            WriteId(w, node.MasterId);
            WriteIdFrom(w, node.MasterId, node.LastAddedId);
            WriteVarint(w, (ulong)node.Bytes);
            WriteVarint(w, (ulong)node.Deleted);
            var masterFields = node.MasterFields;
            WriteVarint(w, (ulong)masterFields.Length);
            foreach (var field in masterFields) WriteBytes(w, field);
            var entries = node.Entries;
            WriteVarint(w, (ulong)entries.Count);
            var previous = node.MasterId;
            foreach (var entry in entries)
            {
                WriteIdFrom(w, previous, entry.Id);
                previous = entry.Id;
                var items = entry.FieldsAndValues;
                if (HasMasterFields(items, masterFields))
                {
                    WriteVarint(w, MasterLayout);
                    for (int i = 1; i < items.Length; i += 2) WriteBytes(w, items[i]);
                }
                else
                {
                    WriteVarint(w, (ulong)items.Length + 1);
                    foreach (var item in items) WriteBytes(w, item);
                }
            }
        }

        WriteVarint(w, (ulong)stream.Groups.Count);
        foreach (var (name, group) in stream.Groups)
        {
            WriteBytes(w, name);
            WriteId(w, group.LastId);
            WriteSigned(w, group.EntriesRead);
            WriteVarint(w, (ulong)group.Consumers.Count);
            int owned = 0;
            foreach (var (consumerName, consumer) in group.Consumers)
            {
                WriteBytes(w, consumerName);
                WriteSigned(w, consumer.SeenTime);
                WritePending(w, consumer.Pending.All());
                owned += consumer.Pending.Count;
            }
            // Every pending entry normally belongs to a consumer; any that does not is kept too.
            if (group.Pending.Count == owned) WriteVarint(w, 0);
            else WritePending(w, group.Pending.All().FindAll(e => e.Consumer is null));
        }
    }

    private static void WritePending(ArrayBufferWriter<byte> w, List<PendingEntry> entries)
    {
        WriteVarint(w, (ulong)entries.Count);
        var previous = StreamId.Zero;
        foreach (var entry in entries)
        {
            WriteIdFrom(w, previous, entry.Id);
            previous = entry.Id;
            WriteSigned(w, entry.DeliveryTime);
            WriteSigned(w, entry.DeliveryCount);
        }
    }

    private static bool HasMasterFields(byte[][] items, byte[][] masterFields)
    {
        if (items.Length != masterFields.Length * 2) return false;
        for (int i = 0; i < masterFields.Length; i++)
            if (!items[2 * i].AsSpan().SequenceEqual(masterFields[i])) return false;
        return true;
    }

    /// <summary>What the buffer is sized to up front: exact for most values, close for streams.</summary>
    private static int EstimateSize(object value)
    {
        long size = 2 + 10;
        switch (value)
        {
            case RedisHash hash:
                for (int i = 0; i < hash.Count; i++)
                {
                    var (field, fieldValue) = hash.At(i);
                    size += BytesSize(field) + BytesSize(fieldValue);
                }
                break;
            case RedisList list:
                for (int i = 0; i < list.Count; i++) size += BytesSize(list[i]);
                break;
            case RedisSet set:
                for (int i = 0; i < set.Count; i++) size += BytesSize(set.MemberAt(i));
                break;
            case RedisSortedSet zset when zset.IsCompact:
                for (int i = 0; i < zset.Count; i++) size += 8 + BytesSize(zset.MemberAt(i));
                break;
            case RedisSortedSet zset:
                for (var node = zset.First; node is not null; node = node.Next) size += 8 + BytesSize(node.Member);
                break;
            case RedisStream stream:
                size += 40;
                foreach (var node in stream.Nodes) size += node.Bytes + 40;
                foreach (var (name, group) in stream.Groups)
                {
                    size += name.Length + 40 + 24L * group.Pending.Count;
                    foreach (var consumerName in group.Consumers.Keys) size += consumerName.Length + 20;
                }
                break;
        }
        // Slack: each write asks for room for a maximal varint before the bytes it needs.
        return (int)Math.Clamp(size + 32, 256, Array.MaxLength);
    }

    private static long BytesSize(byte[] bytes) => VarintSize((ulong)bytes.Length) + bytes.Length;

    private static int VarintSize(ulong value) => BitOperations.Log2(value | 1) / 7 + 1;

    private static int EncodeVarint(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    private static void WriteVarint(ArrayBufferWriter<byte> w, ulong value) =>
        w.Advance(EncodeVarint(w.GetSpan(10), value));

    private static void WriteSigned(ArrayBufferWriter<byte> w, long value) =>
        WriteVarint(w, (ulong)((value << 1) ^ (value >> 63)));

    private static void WriteBytes(ArrayBufferWriter<byte> w, ReadOnlySpan<byte> bytes)
    {
        var span = w.GetSpan(10 + bytes.Length);
        int n = EncodeVarint(span, (ulong)bytes.Length);
        bytes.CopyTo(span[n..]);
        w.Advance(n + bytes.Length);
    }

    private static void WriteDouble(ArrayBufferWriter<byte> w, double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(w.GetSpan(8), value);
        w.Advance(8);
    }

    private static void WriteId(ArrayBufferWriter<byte> w, StreamId id)
    {
        WriteVarint(w, id.Ms);
        WriteVarint(w, id.Seq);
    }

    /// <summary>An ID at least <paramref name="from"/>: the ms gap, then the seq gap (same ms) or the seq.</summary>
    private static void WriteIdFrom(ArrayBufferWriter<byte> w, StreamId from, StreamId id)
    {
        if (id < from) throw new InvalidOperationException($"stream IDs out of order: {id} after {from}");
        WriteVarint(w, id.Ms - from.Ms);
        WriteVarint(w, id.Ms == from.Ms ? id.Seq - from.Seq : id.Seq);
    }

    // ------------------------------------------------------------------ deserialize

    /// <summary>
    /// Rebuilds a value written by <see cref="Serialize"/>. Truncated, corrupt or unknown-version
    /// input throws <see cref="InvalidDataException"/>.
    /// </summary>
    public static object Deserialize(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new Reader(data);
            if (data.IsEmpty) throw new InvalidDataException("stored value is empty (expected a format version byte)");
            byte version = r.Byte();
            if (version != FormatVersion)
                throw new InvalidDataException($"stored value has unknown format version {version} (this server reads version {FormatVersion})");
            byte tag = r.Byte();
            object value = (Tag)tag switch
            {
                Tag.String => r.Bytes(),
                Tag.HashListpack => ReadHashListpack(ref r),
                Tag.HashHashtable => ReadHashHashtable(ref r),
                Tag.ListListpack => ReadList(ref r, quicklist: false),
                Tag.ListQuicklist => ReadList(ref r, quicklist: true),
                Tag.SetIntset => ReadIntset(ref r),
                Tag.SetListpack => ReadSetListpack(ref r),
                Tag.SetHashtable => ReadSetHashtable(ref r),
                Tag.ZsetListpack => ReadSortedSetListpack(ref r),
                Tag.ZsetSkiplist => ReadSortedSetSkiplist(ref r),
                Tag.Stream => ReadStream(ref r),
                _ => throw new InvalidDataException($"stored value has unknown type tag {tag}"),
            };
            if (!r.AtEnd) throw r.Corrupt($"{r.Remaining} unexpected trailing byte(s)");
            return value;
        }
        catch (Exception ex) when (ex is not InvalidDataException and not OutOfMemoryException)
        {
            // A safety net: whatever else a malformed value trips over is reported the same way.
            throw new InvalidDataException($"stored value is corrupt: {ex.Message}", ex);
        }
    }

    private static RedisHash ReadHashListpack(ref Reader r)
    {
        int count = r.Count(2);
        if (count > RedisHash.ListpackMaxEntries)
            throw r.Corrupt($"listpack hash with {count} fields (the limit is {RedisHash.ListpackMaxEntries})");
        var pairs = new byte[count * 2][];
        for (int i = 0; i < pairs.Length; i++)
        {
            pairs[i] = r.Bytes();
            if (pairs[i].Length > RedisHash.ListpackMaxValue)
                throw r.Corrupt($"listpack hash item of {pairs[i].Length} bytes (the limit is {RedisHash.ListpackMaxValue})");
        }
        CheckUnique(ref r, pairs, count, stride: 2, "hash field");
        return RedisHash.FromListpack(pairs, count);
    }

    private static RedisHash ReadHashHashtable(ref Reader r)
    {
        int count = r.Count(2);
        var hash = RedisHash.CreateHashtable(count);
        for (int i = 0; i < count; i++)
        {
            var field = r.Bytes();
            if (!hash.Set(field, r.Bytes())) throw r.Corrupt("duplicate hash field");
        }
        return hash;
    }

    private static RedisList ReadList(ref Reader r, bool quicklist)
    {
        int count = r.Count(1);
        var items = new byte[count][];
        for (int i = 0; i < count; i++) items[i] = r.Bytes();
        return RedisList.FromElements(items, count, quicklist);
    }

    private static RedisSet ReadIntset(ref Reader r)
    {
        int count = r.Count(1);
        if (count > RedisSet.IntsetMaxEntries)
            throw r.Corrupt($"intset with {count} members (the limit is {RedisSet.IntsetMaxEntries})");
        var ints = new long[count];
        var members = new byte[count][];
        Span<byte> text = stackalloc byte[20];
        long value = 0;
        for (int i = 0; i < count; i++)
        {
            if (i == 0) value = r.Signed();
            else
            {
                ulong gap = r.Varint();
                if (gap == 0 || gap > (ulong)(long.MaxValue - value)) throw r.Corrupt("intset members not strictly ascending");
                value += (long)gap;
            }
            ints[i] = value;
            Utf8Formatter.TryFormat(value, text, out int length);
            members[i] = text[..length].ToArray();
        }
        return RedisSet.FromIntset(ints, members, count);
    }

    private static RedisSet ReadSetListpack(ref Reader r)
    {
        int count = r.Count(1);
        if (count > RedisSet.ListpackMaxEntries)
            throw r.Corrupt($"listpack set with {count} members (the limit is {RedisSet.ListpackMaxEntries})");
        var members = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            members[i] = r.Bytes();
            if (members[i].Length > RedisSet.ListpackMaxValue)
                throw r.Corrupt($"listpack set member of {members[i].Length} bytes (the limit is {RedisSet.ListpackMaxValue})");
        }
        CheckUnique(ref r, members, count, stride: 1, "set member");
        return RedisSet.FromListpack(members, count);
    }

    private static RedisSet ReadSetHashtable(ref Reader r)
    {
        int count = r.Count(1);
        var set = RedisSet.CreateHashtable(count);
        for (int i = 0; i < count; i++)
            if (!set.Add(r.Bytes())) throw r.Corrupt("duplicate set member");
        return set;
    }

    private static RedisSortedSet ReadSortedSetListpack(ref Reader r)
    {
        int count = r.Count(9);
        if (count > RedisSortedSet.ListpackMaxEntries)
            throw r.Corrupt($"listpack sorted set with {count} members (the limit is {RedisSortedSet.ListpackMaxEntries})");
        var scores = new double[count];
        var members = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            // A listpack holds integral scores as integers: -0 reads back as 0.
            double score = r.Score();
            scores[i] = score == 0 ? 0 : score;
            members[i] = r.Bytes();
            if (members[i].Length > RedisSortedSet.ListpackMaxValue)
                throw r.Corrupt($"listpack sorted set member of {members[i].Length} bytes (the limit is {RedisSortedSet.ListpackMaxValue})");
            if (i > 0 && !Ascending(scores[i - 1], members[i - 1], score, members[i]))
                throw r.Corrupt("sorted set members not strictly ascending by (score, member)");
        }
        CheckUnique(ref r, members, count, stride: 1, "sorted set member");
        return RedisSortedSet.FromListpack(scores, members, count);
    }

    private static RedisSortedSet ReadSortedSetSkiplist(ref Reader r)
    {
        int count = r.Count(9);
        var scores = ArrayPool<double>.Shared.Rent(count);
        var members = ArrayPool<byte[]>.Shared.Rent(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                scores[i] = r.Score();
                members[i] = r.Bytes();
                if (i > 0 && !Ascending(scores[i - 1], members[i - 1], scores[i], members[i]))
                    throw r.Corrupt("sorted set members not strictly ascending by (score, member)");
            }
            return RedisSortedSet.FromSkiplist(scores.AsSpan(0, count), members.AsSpan(0, count))
                ?? throw r.Corrupt("duplicate sorted set member");
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scores);
            ArrayPool<byte[]>.Shared.Return(members, clearArray: true);
        }
    }

    /// <summary>(score, member) strictly after (previous score, previous member): the skip list's order.</summary>
    private static bool Ascending(double previousScore, byte[] previousMember, double score, byte[] member) =>
        previousScore < score || (previousScore == score && ByteArrayComparer.Instance.Compare(previousMember, member) < 0);

    private static RedisStream ReadStream(ref Reader r)
    {
        var lastId = r.Id();
        var maxDeletedId = r.Id();
        long entriesAdded = r.Signed();
        int nodeCount = r.Count(8);
        var nodes = new List<StreamNode>(nodeCount);
        for (int n = 0; n < nodeCount; n++)
        {
            var masterId = r.Id();
            if (n > 0 && masterId <= nodes[n - 1].LastAddedId) throw r.Corrupt("stream nodes overlap or are out of order");
            var lastAddedId = r.IdFrom(masterId);
            long bytes = r.Int64();
            int deleted = r.Int32();
            int fieldCount = r.Count(1);
            var masterFields = new byte[fieldCount][];
            for (int i = 0; i < fieldCount; i++) masterFields[i] = r.Bytes();
            int entryCount = r.Count(3);
            var entries = new List<StreamEntry>(entryCount);
            var previous = masterId;
            for (int e = 0; e < entryCount; e++)
            {
                var id = r.IdFrom(previous);
                if (e > 0 && id == previous) throw r.Corrupt("stream entries not strictly ascending");
                if (id > lastAddedId) throw r.Corrupt($"stream entry {id} after its node's last added ID {lastAddedId}");
                previous = id;
                entries.Add(new StreamEntry(id, ReadEntryItems(ref r, masterFields)));
            }
            nodes.Add(new StreamNode(masterId, masterFields, bytes, lastAddedId, entries, deleted));
        }
        var stream = new RedisStream(nodes, lastId, maxDeletedId, entriesAdded);

        int groupCount = r.Count(6);
        for (int g = 0; g < groupCount; g++)
        {
            var name = r.Bytes();
            var group = new ConsumerGroup(r.Id(), r.Signed());
            if (!stream.Groups.TryAdd(name, group)) throw r.Corrupt("duplicate consumer group name");
            int consumerCount = r.Count(3);
            for (int c = 0; c < consumerCount; c++)
            {
                var consumer = new StreamConsumer(r.Bytes()) { SeenTime = r.Signed() };
                if (!group.Consumers.TryAdd(consumer.Name, consumer)) throw r.Corrupt("duplicate consumer name");
                ReadPending(ref r, group, consumer);
            }
            ReadPending(ref r, group, consumer: null);
        }
        return stream;
    }

    private static byte[][] ReadEntryItems(ref Reader r, byte[][] masterFields)
    {
        ulong layout = r.Varint();
        if (layout == MasterLayout)
        {
            // Field names are immutable: entries share the master's arrays.
            var items = new byte[masterFields.Length * 2][];
            for (int i = 0; i < masterFields.Length; i++)
            {
                items[2 * i] = masterFields[i];
                items[2 * i + 1] = r.Bytes();
            }
            return items;
        }
        if (layout - 1 > (ulong)r.Remaining) throw r.Corrupt($"stream entry of {layout - 1} items exceeds the remaining data");
        var own = new byte[(int)(layout - 1)][];
        for (int i = 0; i < own.Length; i++) own[i] = r.Bytes();
        return own;
    }

    private static void ReadPending(ref Reader r, ConsumerGroup group, StreamConsumer? consumer)
    {
        int count = r.Count(4);
        var previous = StreamId.Zero;
        for (int i = 0; i < count; i++)
        {
            var id = r.IdFrom(previous);
            if (i > 0 && id == previous) throw r.Corrupt("pending entries not strictly ascending");
            previous = id;
            var entry = new PendingEntry(id, r.Signed(), r.Signed()) { Consumer = consumer };
            if (group.Pending.TryGet(id, out _)) throw r.Corrupt($"pending entry {id} listed twice in a group");
            group.Pending.Add(entry);
            consumer?.Pending.Add(entry);
        }
    }

    /// <summary>Compact forms search linearly, so a repeated name would corrupt them quietly.</summary>
    private static void CheckUnique(ref Reader r, byte[][] items, int count, int stride, string what)
    {
        if (count <= 16)
        {
            for (int i = 1; i < count; i++)
                for (int j = 0; j < i; j++)
                    if (items[i * stride].AsSpan().SequenceEqual(items[j * stride])) throw r.Corrupt($"duplicate {what}");
            return;
        }
        var seen = new HashSet<byte[]>(count, ByteArrayComparer.Instance);
        for (int i = 0; i < count; i++)
            if (!seen.Add(items[i * stride])) throw r.Corrupt($"duplicate {what}");
    }

    /// <summary>Reads the fields in order; every shortfall or malformed number is an <see cref="InvalidDataException"/>.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;
        public readonly int Remaining => _data.Length - _position;

        public readonly InvalidDataException Corrupt(string problem) =>
            new($"stored value is corrupt at byte {_position} of {_data.Length}: {problem}");

        private readonly InvalidDataException Truncated(long needed) =>
            new($"stored value is truncated: {needed} more byte(s) needed at byte {_position} of {_data.Length}");

        public byte Byte()
        {
            if (_position >= _data.Length) throw Truncated(1);
            return _data[_position++];
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (int shift = 0; ; shift += 7)
            {
                if (_position >= _data.Length) throw Truncated(1);
                byte b = _data[_position++];
                if (shift == 63 && b > 1) throw Corrupt("varint overflows 64 bits");
                result |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return result;
            }
        }

        public long Signed()
        {
            ulong zigzag = Varint();
            return (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
        }

        public long Int64()
        {
            ulong value = Varint();
            if (value > long.MaxValue) throw Corrupt($"number {value} out of range");
            return (long)value;
        }

        public int Int32()
        {
            ulong value = Varint();
            if (value > int.MaxValue) throw Corrupt($"number {value} out of range");
            return (int)value;
        }

        /// <summary>An element count, checked against what is left (each element takes at least <paramref name="minBytes"/>).</summary>
        public int Count(int minBytes)
        {
            ulong count = Varint();
            if (count > (ulong)(Remaining / minBytes))
                throw Corrupt($"{count} elements cannot fit in the {Remaining} byte(s) left (truncated or corrupt)");
            return (int)count;
        }

        public byte[] Bytes()
        {
            ulong length = Varint();
            if (length > (ulong)Remaining) throw Truncated((long)Math.Min(length, long.MaxValue) - Remaining);
            var bytes = GC.AllocateUninitializedArray<byte>((int)length);
            _data.Slice(_position, bytes.Length).CopyTo(bytes);
            _position += bytes.Length;
            return bytes;
        }

        public double Score()
        {
            if (Remaining < 8) throw Truncated(8 - Remaining);
            double score = BinaryPrimitives.ReadDoubleLittleEndian(_data[_position..]);
            if (double.IsNaN(score)) throw Corrupt("score is NaN");
            _position += 8;
            return score;
        }

        public StreamId Id() => new(Varint(), Varint());

        /// <summary>The inverse of WriteIdFrom: an ID at least <paramref name="from"/>.</summary>
        public StreamId IdFrom(StreamId from)
        {
            ulong msGap = Varint();
            if (msGap > ulong.MaxValue - from.Ms) throw Corrupt("stream ID overflows");
            ulong seq = Varint();
            if (msGap != 0) return new(from.Ms + msGap, seq);
            if (seq > ulong.MaxValue - from.Seq) throw Corrupt("stream ID overflows");
            return new(from.Ms, from.Seq + seq);
        }
    }
}
