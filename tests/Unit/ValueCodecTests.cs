using System.Text;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Commands;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Grains.Persistence;
using OrleansLua.Protocol;
using Xunit;
using KeyspaceStore = OrleansLua.Grains.Keyspace.Keyspace;
using StreamId = OrleansLua.Grains.Keyspace.StreamId;

namespace OrleansLua.Tests.Unit;

public class ValueCodecTests
{
    private const long Start = 1_700_000_000_000;

    /// <summary>A slot's keyspace driven through the real command handlers, replies as RESP3 text.</summary>
    private sealed class Slot
    {
        private readonly RespWriter _writer = new(RespProtocol.Resp3);
        private readonly CommandContext _context;

        public Slot() => _context = new CommandContext(Keys, _writer);

        public KeyspaceStore Keys { get; } = new();
        public long Now { get; set; } = Start;

        public string Run(params string[] args)
        {
            var bytes = args.Select(B).ToArray();
            var spec = CommandTable.Resolve(bytes, out var error) ?? throw new InvalidOperationException(error);
            var handler = CommandHandlers.For(spec) ?? throw new InvalidOperationException($"no handler for {spec.Name}");
            _writer.Reset();
            _context.Args = bytes;
            _context.Now = Now;
            handler(_context);
            return Encoding.Latin1.GetString(_writer.WrittenSpan);
        }

        public T Value<T>(string key) where T : class => (T)Keys.Get(B(key), Now)!.Value;

        /// <summary>A new slot holding every key of this one, each value through Serialize/Deserialize.</summary>
        public Slot RoundTrip()
        {
            var copy = new Slot { Now = Now };
            foreach (var (key, entry) in Keys.Entries(Now))
            {
                byte[] stored = ValueCodec.Serialize(entry.Value);
                var restored = ValueCodec.Deserialize(stored);
                // The format is canonical: the restored value serializes to the same bytes.
                Assert.Equal(stored, ValueCodec.Serialize(restored));
                Assert.NotSame(entry.Value, restored);
                copy.Keys.Restore(key, restored, entry.ExpireAt);
            }
            return copy;
        }
    }

    private static byte[] B(string text) => Encoding.Latin1.GetBytes(text);

    private static string S(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>Runs each command on both slots (the same clock) and requires byte-identical replies.</summary>
    private static void AssertSameReplies(Slot expected, Slot actual, params string[][] commands)
    {
        actual.Now = expected.Now;
        foreach (var command in commands)
            Assert.Equal(expected.Run(command), actual.Run(command));
    }

    private static object RoundTrip(object value) => ValueCodec.Deserialize(ValueCodec.Serialize(value));

    // ------------------------------------------------------------------ strings

    [Fact]
    public void String_format_is_version_tag_length_bytes()
    {
        Assert.Equal(new byte[] { 1, 1, 3, (byte)'a', (byte)'b', (byte)'c' }, ValueCodec.Serialize(B("abc")));
        Assert.Equal(new byte[] { 1, 1, 0 }, ValueCodec.Serialize(Array.Empty<byte>()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(300_000)]
    public void Strings_round_trip_binary_safe(int length)
    {
        var value = new byte[length];
        for (int i = 0; i < length; i++) value[i] = (byte)(i * 7 + 3);
        var restored = Assert.IsType<byte[]>(RoundTrip(value));
        Assert.Equal(value, restored);
    }

    // ------------------------------------------------------------------ hashes

    [Fact]
    public void Listpack_hash_keeps_insertion_order_and_encoding()
    {
        var source = new Slot();
        source.Run("HSET", "h", "zeta", "1", "alpha", "2", "mid\0dle", "\u00ff\u0001", "empty", "");
        source.Run("HDEL", "h", "alpha");
        source.Run("HSET", "h", "alpha", "again");
        var copy = source.RoundTrip();

        Assert.Equal("$8\r\nlistpack\r\n", copy.Run("OBJECT", "ENCODING", "h"));
        Assert.Equal("%4\r\n$4\r\nzeta\r\n$1\r\n1\r\n$7\r\nmid\0dle\r\n$2\r\n\u00ff\u0001\r\n$5\r\nempty\r\n$0\r\n\r\n$5\r\nalpha\r\n$5\r\nagain\r\n",
            copy.Run("HGETALL", "h"));
        AssertSameReplies(source, copy, ["HSCAN", "h", "0"], ["HLEN", "h"], ["HGET", "h", "mid\0dle"]);
        // Still a listpack with the same limits: a long value converts both the same way.
        AssertSameReplies(source, copy, ["HSET", "h", "long", new string('x', 65)], ["OBJECT", "ENCODING", "h"], ["HGETALL", "h"]);
        Assert.Equal("$9\r\nhashtable\r\n", copy.Run("OBJECT", "ENCODING", "h"));
    }

    [Fact]
    public void Hashtable_hash_that_shrank_stays_a_hashtable_in_the_same_order()
    {
        var source = new Slot();
        for (int i = 0; i < 600; i++) source.Run("HSET", "h", $"f{i}", $"v{i}");
        for (int i = 0; i < 600; i += 3) source.Run("HDEL", "h", $"f{i}");
        for (int i = 5; i < 600; i += 7) source.Run("HDEL", "h", $"f{i}");
        while (source.Value<RedisHash>("h").Count > 5) source.Run("HDEL", "h", S(source.Value<RedisHash>("h").MemberAt(0)));
        var copy = source.RoundTrip();

        Assert.Equal("$9\r\nhashtable\r\n", copy.Run("OBJECT", "ENCODING", "h"));
        Assert.Equal(source.Value<RedisHash>("h").Fields.Select(p => S(p.Key) + "=" + S(p.Value)),
            copy.Value<RedisHash>("h").Fields.Select(p => S(p.Key) + "=" + S(p.Value)));
        AssertSameReplies(source, copy, ["HGETALL", "h"], ["HSCAN", "h", "0", "COUNT", "2"], ["HKEYS", "h"],
            ["HSET", "h", "new", "1"], ["HDEL", "h", S(source.Value<RedisHash>("h").MemberAt(1))], ["HGETALL", "h"]);
    }

    [Fact]
    public void Large_hash_round_trips_in_order()
    {
        var hash = new RedisHash();
        for (int i = 0; i < 100_000; i++) hash.Set(B($"field:{i}"), B($"value:{i * 31}"));
        for (int i = 0; i < 100_000; i += 10) hash.Remove(B($"field:{i}"));
        var restored = Assert.IsType<RedisHash>(RoundTrip(hash));

        Assert.Equal("hashtable", restored.Encoding);
        Assert.Equal(90_000, restored.Count);
        Assert.Equal(hash.Fields.Select(p => (S(p.Key), S(p.Value))), restored.Fields.Select(p => (S(p.Key), S(p.Value))));
        Assert.Equal("value:31", S(restored.Get(B("field:1"))!));
        Assert.Null(restored.Get(B("field:10")));
    }

    // ------------------------------------------------------------------ lists

    [Fact]
    public void Small_list_round_trips_in_order()
    {
        var source = new Slot();
        source.Run("RPUSH", "l", "b", "c", "\0");
        source.Run("LPUSH", "l", "a", "");
        source.Run("LINSERT", "l", "BEFORE", "c", "b2");
        var copy = source.RoundTrip();

        Assert.Equal("*6\r\n$0\r\n\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\nb2\r\n$1\r\nc\r\n$1\r\n\0\r\n", copy.Run("LRANGE", "l", "0", "-1"));
        Assert.Equal("$8\r\nlistpack\r\n", copy.Run("OBJECT", "ENCODING", "l"));
        AssertSameReplies(source, copy, ["LPOP", "l"], ["RPOP", "l"], ["LRANGE", "l", "0", "-1"], ["LPOS", "l", "c"]);
    }

    [Fact]
    public void List_keeps_its_encoding_inside_the_hysteresis_band()
    {
        var source = new Slot();
        var value = new string('v', 98); // 100 bytes each with the per-entry overhead
        // Grown past 8 KB (quicklist) and drained to 6 KB: still a quicklist.
        for (int i = 0; i < 90; i++) source.Run("RPUSH", "q", value);
        for (int i = 0; i < 30; i++) source.Run("RPOP", "q");
        // Grown to 6 KB without ever passing 8 KB: still a listpack.
        for (int i = 0; i < 60; i++) source.Run("RPUSH", "p", value);
        var copy = source.RoundTrip();

        Assert.Equal("$9\r\nquicklist\r\n", copy.Run("OBJECT", "ENCODING", "q"));
        Assert.Equal("$8\r\nlistpack\r\n", copy.Run("OBJECT", "ENCODING", "p"));
        // The byte accounting came back too: both cross the thresholds at the same element.
        for (int i = 0; i < 25; i++)
            AssertSameReplies(source, copy, ["RPOP", "q"], ["OBJECT", "ENCODING", "q"], ["RPUSH", "p", value], ["OBJECT", "ENCODING", "p"]);
        Assert.Equal("$8\r\nlistpack\r\n", copy.Run("OBJECT", "ENCODING", "q"));
        Assert.Equal("$9\r\nquicklist\r\n", copy.Run("OBJECT", "ENCODING", "p"));
    }

    [Fact]
    public void Large_list_round_trips_in_order()
    {
        var list = new RedisList();
        for (int i = 0; i < 50_000; i++)
        {
            list.Push(ListEnd.Right, B($"r{i}"));
            list.Push(ListEnd.Left, B($"l{i}"));
        }
        list.Pop(ListEnd.Left);
        var restored = Assert.IsType<RedisList>(RoundTrip(list));

        Assert.Equal(99_999, restored.Count);
        Assert.Equal("quicklist", restored.Encoding);
        Assert.Equal("l49998", S(restored[0]));
        Assert.Equal("r49999", S(restored[^1]));
        for (int i = 0; i < list.Count; i++) Assert.Equal(list[i], restored[i]);
        restored.Push(ListEnd.Left, B("x"));
        Assert.Equal("x", S(restored[0]));
        Assert.Equal("l49998", S(restored[1]));
    }

    // ------------------------------------------------------------------ sets

    [Fact]
    public void Intset_round_trips_ascending_with_extreme_values()
    {
        var source = new Slot();
        source.Run("SADD", "s", "5", "-3", "9223372036854775807", "-9223372036854775808", "0", "42");
        var copy = source.RoundTrip();

        Assert.Equal("$6\r\nintset\r\n", copy.Run("OBJECT", "ENCODING", "s"));
        Assert.Equal("~6\r\n$20\r\n-9223372036854775808\r\n$2\r\n-3\r\n$1\r\n0\r\n$1\r\n5\r\n$2\r\n42\r\n$19\r\n9223372036854775807\r\n",
            copy.Run("SMEMBERS", "s"));
        AssertSameReplies(source, copy, ["SISMEMBER", "s", "42"], ["SADD", "s", "7"], ["SMEMBERS", "s"],
            ["SADD", "s", "x"], ["OBJECT", "ENCODING", "s"], ["SMEMBERS", "s"]);
    }

    [Fact]
    public void Set_encodings_never_revert_after_a_round_trip()
    {
        var source = new Slot();
        // A listpack of integers only (the non-integer left): Redis never turns it back into an intset.
        source.Run("SADD", "lp", "3", "word", "1", "2");
        source.Run("SREM", "lp", "word");
        // A hashtable shrunk to three members.
        for (int i = 0; i < 200; i++) source.Run("SADD", "ht", $"m{i}");
        for (int i = 0; i < 197; i++) source.Run("SREM", "ht", $"m{(i * 13) % 200}");
        var copy = source.RoundTrip();

        Assert.Equal("$8\r\nlistpack\r\n", copy.Run("OBJECT", "ENCODING", "lp"));
        Assert.Equal("~3\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n", copy.Run("SMEMBERS", "lp"));
        Assert.Equal("$9\r\nhashtable\r\n", copy.Run("OBJECT", "ENCODING", "ht"));
        Assert.Equal(":3\r\n", copy.Run("SCARD", "ht"));
        AssertSameReplies(source, copy, ["SMEMBERS", "ht"], ["SSCAN", "ht", "0", "COUNT", "1"], ["SADD", "lp", "4"],
            ["SMEMBERS", "lp"], ["SADD", "ht", "m1000"], ["SMEMBERS", "ht"], ["OBJECT", "ENCODING", "ht"]);
    }

    [Fact]
    public void Large_set_round_trips_in_order()
    {
        var set = new RedisSet();
        for (int i = 0; i < 100_000; i++) set.Add(B($"member-{i}"));
        for (int i = 0; i < 100_000; i += 7) set.Remove(B($"member-{i}"));
        var restored = Assert.IsType<RedisSet>(RoundTrip(set));

        Assert.Equal("hashtable", restored.Encoding);
        Assert.Equal(set.Count, restored.Count);
        Assert.Equal(set.Members.Select(S), restored.Members.Select(S));
        Assert.True(restored.Contains(B("member-1")));
        Assert.False(restored.Contains(B("member-7")));
    }

    // ------------------------------------------------------------------ sorted sets

    [Fact]
    public void Listpack_sorted_set_round_trips_scores_exactly()
    {
        var source = new Slot();
        source.Run("ZADD", "z", "-inf", "lo", "+inf", "hi", "-0", "zero", "1.5", "b", "1.5", "a", "0.1", "tenth", "-1024.5", "tiny");
        var copy = source.RoundTrip();

        Assert.Equal("$8\r\nlistpack\r\n", copy.Run("OBJECT", "ENCODING", "z"));
        Assert.Equal("*7\r\n*2\r\n$2\r\nlo\r\n,-inf\r\n*2\r\n$4\r\ntiny\r\n,-1024.5\r\n*2\r\n$4\r\nzero\r\n,0\r\n*2\r\n$5\r\ntenth\r\n,0.10000000000000001\r\n"
            + "*2\r\n$1\r\na\r\n,1.5\r\n*2\r\n$1\r\nb\r\n,1.5\r\n*2\r\n$2\r\nhi\r\n,inf\r\n", copy.Run("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        AssertSameReplies(source, copy, ["ZRANK", "z", "a"], ["ZRANGEBYSCORE", "z", "(0", "+inf"], ["ZSCAN", "z", "0"],
            ["ZINCRBY", "z", "5", "a"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"]);
    }

    [Fact]
    public void Skiplist_sorted_set_keeps_negative_zero_and_its_encoding()
    {
        var source = new Slot();
        for (int i = 0; i < 130; i++) source.Run("ZADD", "z", (i - 65).ToString(), $"m{i:D3}");
        source.Run("ZADD", "z", "-0", "negzero", "-inf", "lo", "inf", "hi");
        for (int i = 0; i < 130; i++) source.Run("ZREM", "z", $"m{i:D3}");
        var copy = source.RoundTrip();

        Assert.Equal("$8\r\nskiplist\r\n", copy.Run("OBJECT", "ENCODING", "z"));
        Assert.True(copy.Value<RedisSortedSet>("z").TryGetScore(B("negzero"), out double score));
        Assert.True(double.IsNegative(score) && score == 0);
        Assert.Equal("*3\r\n*2\r\n$2\r\nlo\r\n,-inf\r\n*2\r\n$7\r\nnegzero\r\n,-0\r\n*2\r\n$2\r\nhi\r\n,inf\r\n",
            copy.Run("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        AssertSameReplies(source, copy, ["ZADD", "z", "0", "zero"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZRANK", "z", "hi"],
            ["ZRANGEBYLEX", "z", "-", "+"], ["ZREVRANGE", "z", "0", "1"]);
    }

    [Fact]
    public void Large_sorted_set_round_trips_with_consistent_ranks()
    {
        var zset = new RedisSortedSet();
        zset.PrepareForAdding(100_000);
        for (int i = 0; i < 100_000; i++) zset.Add(B($"m{i}"), (i * 7919) % 1000 - 500.25);
        var restored = Assert.IsType<RedisSortedSet>(RoundTrip(zset));

        Assert.Equal("skiplist", restored.Encoding);
        Assert.Equal(100_000, restored.Count);
        var expected = new List<(string, double)>();
        for (var node = zset.First; node is not null; node = node.Next) expected.Add((S(node.Member), node.Score));
        var actual = new List<(string, double)>();
        for (var node = restored.First; node is not null; node = node.Next) actual.Add((S(node.Member), node.Score));
        Assert.Equal(expected, actual);
        // Spans are right: rank lookups both ways agree with the order, and backward links too.
        for (int rank = 0; rank < expected.Count; rank += 97)
        {
            Assert.Equal(expected[rank].Item1, S(restored.ByRank(rank)!.Member));
            Assert.Equal(rank, restored.RankOf(B(expected[rank].Item1)));
        }
        Assert.Equal(expected[^1].Item1, S(restored.Last!.Member));
        Assert.Equal(expected[^2].Item1, S(restored.Last!.Previous!.Member));
        Assert.Null(restored.First!.Previous);

        // It keeps working as a skip list: the same changes give the same ranks and ranges.
        foreach (var set in new[] { zset, restored })
        {
            set.Add(B("new-low"), -1e9);
            set.Update(B("m5"), 12345);
            set.Remove(B("m6"));
            set.RemoveRange(new RankRange(1000, 1999));
        }
        for (int rank = 0; rank < zset.Count; rank += 101) Assert.Equal(zset.ByRank(rank)!.Member, restored.ByRank(rank)!.Member);
        Assert.Equal(zset.Count, restored.Count);
        Assert.Equal(zset.CountIn(new ScoreRange(-100, false, 100, true)), restored.CountIn(new ScoreRange(-100, false, 100, true)));
        Assert.Equal(zset.RankOf(B("m5")), restored.RankOf(B("m5")));
    }

    // ------------------------------------------------------------------ streams

    /// <summary>
    /// A stream with three nodes (one whose master entry was deleted), deletions, three groups,
    /// consumers with and without pending entries, claimed and re-delivered entries.
    /// </summary>
    private static Slot BuildStream()
    {
        var source = new Slot();
        for (int i = 1; i <= 230; i++)
        {
            source.Now = Start + i;
            if (i % 50 == 0) source.Run("XADD", "s", $"{1000 + i}-{i % 3}", "other", $"{i}", "x", "y");
            else source.Run("XADD", "s", $"{1000 + i}-{i % 3}", "name", $"n{i}", "n", $"{i * 1000}");
        }
        source.Run("XDEL", "s", "1001-1", "1010-1", "1150-0", "1229-1");
        source.Run("XGROUP", "CREATE", "s", "g1", "0");
        source.Run("XGROUP", "CREATE", "s", "g2", "1100-1", "ENTRIESREAD", "100");
        source.Run("XGROUP", "CREATE", "s", "empty", "$");
        source.Run("XGROUP", "CREATECONSUMER", "s", "g1", "idle-one");
        source.Now = Start + 10_000;
        source.Run("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "20", "STREAMS", "s", ">");
        source.Now = Start + 20_000;
        source.Run("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "15", "STREAMS", "s", ">");
        source.Run("XREADGROUP", "GROUP", "g2", "carol", "COUNT", "5", "STREAMS", "s", ">");
        source.Run("XACK", "s", "g1", "1003-0", "1004-1");
        source.Now = Start + 30_000;
        source.Run("XCLAIM", "s", "g1", "bob", "5000", "1005-2", "1006-0", "RETRYCOUNT", "7");
        source.Run("XDEL", "s", "1007-1");
        source.Now = Start + 40_000;
        return source;
    }

    private static readonly string[][] StreamReads =
    [
        ["XINFO", "STREAM", "s"],
        ["XINFO", "STREAM", "s", "FULL"],
        ["XINFO", "STREAM", "s", "FULL", "COUNT", "0"],
        ["XINFO", "GROUPS", "s"],
        ["XINFO", "CONSUMERS", "s", "g1"],
        ["XINFO", "CONSUMERS", "s", "g2"],
        ["XINFO", "CONSUMERS", "s", "empty"],
        ["XPENDING", "s", "g1"],
        ["XPENDING", "s", "g1", "-", "+", "100"],
        ["XPENDING", "s", "g1", "IDLE", "15000", "-", "+", "100", "alice"],
        ["XPENDING", "s", "g2", "-", "+", "100"],
        ["XLEN", "s"],
        ["XRANGE", "s", "-", "+"],
        ["XREVRANGE", "s", "+", "-", "COUNT", "30"],
    ];

    [Fact]
    public void Stream_with_groups_consumers_and_pending_entries_round_trips()
    {
        var source = BuildStream();
        var copy = source.RoundTrip();

        Assert.Equal(StreamDump(source.Value<RedisStream>("s")), StreamDump(copy.Value<RedisStream>("s")));
        AssertSameReplies(source, copy, StreamReads);
        var info = copy.Run("XINFO", "STREAM", "s");
        Assert.Contains("$6\r\nlength\r\n:225\r\n$15\r\nradix-tree-keys\r\n:3\r\n", info);
        Assert.Contains("$20\r\nmax-deleted-entry-id\r\n$6\r\n1229-1\r\n$13\r\nentries-added\r\n:230\r\n", info);
        Assert.Contains("$4\r\nname\r\n$3\r\nbob\r\n$7\r\npending\r\n:17\r\n", copy.Run("XINFO", "CONSUMERS", "s", "g1"));
    }

    [Fact]
    public void Restored_stream_behaves_the_same_under_further_commands()
    {
        var source = BuildStream();
        var copy = source.RoundTrip();

        // Claims, acks and deliveries see the same pending entries, times and counters.
        AssertSameReplies(source, copy,
            ["XAUTOCLAIM", "s", "g1", "dave", "25000", "0", "COUNT", "4"],
            ["XAUTOCLAIM", "s", "g1", "dave", "0", "0", "COUNT", "100", "JUSTID"],
            ["XCLAIM", "s", "g2", "erin", "0", "1101-2", "1102-0", "1999-0", "FORCE"],
            ["XACK", "s", "g2", "1103-1"],
            ["XREADGROUP", "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", "s", ">"],
            ["XREADGROUP", "GROUP", "g2", "carol", "STREAMS", "s", "0"],
            ["XGROUP", "DELCONSUMER", "s", "g1", "bob"]);
        AssertSameReplies(source, copy, StreamReads);
        // Node layout came back exactly: new entries fill and split nodes at the same places, and
        // approximate trimming (whole nodes only) removes the same entries.
        for (int i = 0; i < 150; i++)
        {
            source.Now = copy.Now = Start + 50_000 + i;
            AssertSameReplies(source, copy, ["XADD", "s", "*", "name", new string('v', i % 40), "n", $"{i}"]);
        }
        AssertSameReplies(source, copy, ["XINFO", "STREAM", "s"], ["XTRIM", "s", "MAXLEN", "~", "250"], ["XINFO", "STREAM", "s"],
            ["XTRIM", "s", "MINID", "1229-0"], ["XINFO", "STREAM", "s", "FULL"], ["XINFO", "GROUPS", "s"]);
        Assert.Equal(StreamDump(source.Value<RedisStream>("s")), StreamDump(copy.Value<RedisStream>("s")));
    }

    [Fact]
    public void Stream_with_an_emptied_node_round_trips()
    {
        var source = new Slot();
        for (int i = 1; i <= 150; i++) source.Run("XADD", "s", $"{i}-0", "f", "v");
        // The first node (100 entries) loses its newest entry, then exact MINID trimming empties it:
        // Redis keeps the node (it still counts for radix-tree-keys and for the next trims).
        source.Run("XDEL", "s", "100-0");
        Assert.Equal(":99\r\n", source.Run("XTRIM", "s", "MINID", "100"));
        var copy = source.RoundTrip();

        var stream = copy.Value<RedisStream>("s");
        Assert.Equal(2, stream.RadixTreeKeys);
        Assert.Empty(stream.Nodes[0].Entries);
        Assert.Equal(100, stream.Nodes[0].Deleted);
        Assert.Equal(StreamDump(source.Value<RedisStream>("s")), StreamDump(stream));
        AssertSameReplies(source, copy, ["XINFO", "STREAM", "s"], ["XRANGE", "s", "-", "+", "COUNT", "2"],
            ["XTRIM", "s", "MINID", "120"], ["XINFO", "STREAM", "s"]);
    }

    [Fact]
    public void Empty_stream_keeps_its_metadata_and_groups()
    {
        var source = new Slot();
        source.Run("XADD", "s", "5-1", "a", "1");
        source.Run("XADD", "s", "7-3", "b", "2");
        source.Run("XGROUP", "CREATE", "s", "g", "0");
        source.Run("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
        source.Run("XDEL", "s", "7-3");
        source.Run("XTRIM", "s", "MAXLEN", "0");
        source.Run("XSETID", "s", "9-9", "ENTRIESADDED", "12", "MAXDELETEDID", "8-0");
        var copy = source.RoundTrip();

        var stream = copy.Value<RedisStream>("s");
        Assert.Equal(0, stream.Length);
        Assert.Equal(new StreamId(9, 9), stream.LastId);
        Assert.Equal(new StreamId(8, 0), stream.MaxDeletedId);
        Assert.Equal(12, stream.EntriesAdded);
        Assert.Equal(0, stream.RadixTreeKeys);
        var group = stream.Groups[B("g")];
        Assert.Equal(new StreamId(7, 3), group.LastId);
        Assert.Equal(2, group.EntriesRead);
        Assert.Equal(2, group.Pending.Count);
        Assert.All(group.Pending.All(), e => Assert.Equal("c", S(e.Consumer!.Name)));
        AssertSameReplies(source, copy, ["XINFO", "STREAM", "s", "FULL"], ["XINFO", "GROUPS", "s"], ["XPENDING", "s", "g", "-", "+", "10"],
            ["XAUTOCLAIM", "s", "g", "d", "0", "0"], ["XINFO", "CONSUMERS", "s", "g"], ["XADD", "s", "*", "c", "3"], ["XINFO", "STREAM", "s"]);
    }

    [Fact]
    public void Large_stream_round_trips()
    {
        var stream = new RedisStream();
        for (int i = 0; i < 100_000; i++)
        {
            Assert.True(stream.TryNextId(null, true, 1_000 + i / 3, out var id));
            stream.Append(id, i % 1000 == 0 ? [B("other"), B($"{i}")] : [B("temperature"), B($"{i % 97}"), B("station"), B($"s{i % 13}")]);
        }
        for (int i = 0; i < 100_000; i += 11) stream.Delete(new StreamId((ulong)(1_000 + i / 3), (ulong)(i % 3)));
        var group = new ConsumerGroup(new StreamId(20_000, 0), ConsumerGroup.UnknownEntriesRead);
        stream.Groups[B("g")] = group;
        for (int i = 0; i < 5_000; i++)
        {
            var consumer = group.Consumer(B($"c{i % 10}"), 77 + i);
            var entry = new PendingEntry(new StreamId((ulong)(1_000 + i), 1), 1_000 + i, 1 + i % 4);
            group.Pending.Add(entry);
            ConsumerGroup.Assign(entry, consumer);
        }
        var restored = Assert.IsType<RedisStream>(RoundTrip(stream));

        Assert.Equal(stream.Length, restored.Length);
        Assert.Equal(StreamDump(stream), StreamDump(restored));
        // Entries repeating their node's master fields share the field arrays.
        var node = restored.Nodes[1];
        Assert.Equal(["temperature", "station"], node.MasterFields.Select(S));
        Assert.Same(node.MasterFields[0], node.Entries[1].FieldsAndValues[0]);
        Assert.Same(node.MasterFields[1], node.Entries[2].FieldsAndValues[2]);
    }

    /// <summary>Everything a stream holds, as text: nodes as laid out, counters, groups, consumers, PELs.</summary>
    private static string StreamDump(RedisStream stream)
    {
        var text = new StringBuilder();
        text.Append($"len={stream.Length} last={stream.LastId} maxdel={stream.MaxDeletedId} added={stream.EntriesAdded}\n");
        foreach (var node in stream.Nodes)
        {
            text.Append($"node master={node.MasterId} lastadded={node.LastAddedId} bytes={node.Bytes} deleted={node.Deleted} fields=");
            text.AppendJoin(',', node.MasterFields.Select(S)).Append('\n');
            foreach (var entry in node.Entries) text.Append($" {entry.Id}:").AppendJoin(',', entry.FieldsAndValues.Select(S)).Append('\n');
        }
        foreach (var (name, group) in stream.Groups)
        {
            text.Append($"group {S(name)} last={group.LastId} read={group.EntriesRead} pending={group.Pending.Count}\n");
            foreach (var entry in group.Pending.All())
                text.Append($" {entry.Id} owner={S(entry.Consumer!.Name)} time={entry.DeliveryTime} count={entry.DeliveryCount}\n");
            foreach (var (consumerName, consumer) in group.Consumers)
            {
                text.Append($" consumer {S(consumerName)} seen={consumer.SeenTime}:");
                foreach (var entry in consumer.Pending.All())
                {
                    Assert.True(group.Pending.TryGet(entry.Id, out var shared));
                    Assert.Same(shared, entry);
                    text.Append($" {entry.Id}");
                }
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    // ------------------------------------------------------------------ malformed input

    public static TheoryData<string> SmallValues() => new() { "string", "hash", "hashtable", "list", "quicklist", "intset", "setlistpack", "sethashtable", "zset", "skiplist", "stream" };

    private static object SmallValue(string kind)
    {
        switch (kind)
        {
            case "string": return B("hello");
            case "hash":
            case "hashtable":
            {
                var hash = new RedisHash();
                hash.Set(B("f"), B("v"));
                hash.Set(B("g"), kind == "hash" ? B("w") : new byte[70]);
                return hash;
            }
            case "list":
            case "quicklist":
            {
                var list = new RedisList();
                list.Push(ListEnd.Right, B("a"));
                list.Push(ListEnd.Right, kind == "list" ? B("bc") : new byte[9000]);
                return list;
            }
            case "intset":
            case "setlistpack":
            case "sethashtable":
            {
                var set = new RedisSet();
                set.Add(B("-7"));
                set.Add(B("300"));
                if (kind != "intset") set.Add(kind == "setlistpack" ? B("x") : new byte[65]);
                return set;
            }
            case "zset":
            case "skiplist":
            {
                var zset = new RedisSortedSet();
                if (kind == "skiplist") zset.PrepareForAdding(200);
                zset.Add(B("a"), 1.5);
                zset.Add(B("b"), double.NegativeInfinity);
                return zset;
            }
            default:
            {
                var slot = new Slot();
                slot.Run("XADD", "s", "1-1", "f", "v");
                slot.Run("XADD", "s", "2-0", "f", "w", "g", "x");
                slot.Run("XADD", "s", "2-5", "f", "y");
                slot.Run("XDEL", "s", "2-0");
                slot.Run("XGROUP", "CREATE", "s", "g", "0");
                slot.Run("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">");
                slot.Run("XGROUP", "CREATECONSUMER", "s", "g", "d");
                return slot.Value<RedisStream>("s");
            }
        }
    }

    [Theory]
    [MemberData(nameof(SmallValues))]
    public void Small_values_keep_their_encoding(string kind)
    {
        var value = SmallValue(kind);
        var restored = RoundTrip(value);
        Assert.Equal(value.GetType(), restored.GetType());
        if (value is IRedisValue collection) Assert.Equal(collection.Encoding, ((IRedisValue)restored).Encoding);
        Assert.Equal(ValueCodec.Serialize(value), ValueCodec.Serialize(restored));
    }

    [Theory]
    [MemberData(nameof(SmallValues))]
    public void Every_truncation_throws_InvalidDataException(string kind)
    {
        byte[] data = ValueCodec.Serialize(SmallValue(kind));
        for (int length = 0; length < data.Length; length++)
        {
            var error = Assert.Throws<InvalidDataException>(() => ValueCodec.Deserialize(data.AsSpan(0, length)));
            Assert.Contains("stored value", error.Message);
        }
        Assert.NotNull(ValueCodec.Deserialize(data));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void Unknown_version_throws_InvalidDataException(byte version)
    {
        byte[] data = ValueCodec.Serialize(B("hello"));
        data[0] = version;
        var error = Assert.Throws<InvalidDataException>(() => ValueCodec.Deserialize(data));
        Assert.Equal($"stored value has unknown format version {version} (this server reads version 1)", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 0 }, "unknown type tag 0")]
    [InlineData(new byte[] { 1, 12, 0 }, "unknown type tag 12")]
    [InlineData(new byte[] { 1, 1, 1, 65, 66 }, "1 unexpected trailing byte(s)")]
    // Intset members must be ascending: a zero gap is not.
    [InlineData(new byte[] { 1, 6, 2, 2, 0 }, "intset members not strictly ascending")]
    // Intset gap overflowing long.MaxValue.
    [InlineData(new byte[] { 1, 6, 2, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, "intset members not strictly ascending")]
    [InlineData(new byte[] { 1, 2, 2, 1, 65, 0, 1, 65, 0 }, "duplicate hash field")]
    [InlineData(new byte[] { 1, 3, 2, 1, 65, 0, 1, 65, 0 }, "duplicate hash field")]
    [InlineData(new byte[] { 1, 7, 2, 1, 65, 1, 65 }, "duplicate set member")]
    [InlineData(new byte[] { 1, 8, 2, 1, 65, 1, 65 }, "duplicate set member")]
    // Sorted set members out of order (score 2 before score 1).
    [InlineData(new byte[] { 1, 10, 2, 0, 0, 0, 0, 0, 0, 0, 64, 1, 65, 0, 0, 0, 0, 0, 0, 240, 63, 1, 66 }, "not strictly ascending")]
    // The same member twice with different scores.
    [InlineData(new byte[] { 1, 10, 2, 0, 0, 0, 0, 0, 0, 240, 63, 1, 65, 0, 0, 0, 0, 0, 0, 0, 64, 1, 65 }, "duplicate sorted set member")]
    [InlineData(new byte[] { 1, 9, 2, 0, 0, 0, 0, 0, 0, 240, 63, 1, 65, 0, 0, 0, 0, 0, 0, 0, 64, 1, 65 }, "duplicate sorted set member")]
    [InlineData(new byte[] { 1, 9, 1, 0, 0, 0, 0, 0, 0, 248, 127, 1, 65 }, "score is NaN")]
    [InlineData(new byte[] { 1, 4, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, "cannot fit")]
    [InlineData(new byte[] { 1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 }, "varint overflows 64 bits")]
    // Stream: counters 0-0, 0-0, 0; two nodes, the second's master ID (3-0) before the first's (5-0).
    [InlineData(new byte[] { 1, 11, 0, 0, 0, 0, 0, 2, 5, 0, 0, 0, 10, 0, 0, 0, 3, 0, 0, 0, 10, 0, 0, 0, 0 }, "stream nodes overlap or are out of order")]
    // Stream: one node 5-0..5-5 whose entries are 5-1 and 5-1 again.
    [InlineData(new byte[] { 1, 11, 0, 0, 0, 0, 0, 1, 5, 0, 0, 5, 10, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0 }, "stream entries not strictly ascending")]
    // Stream: one node 5-0..5-5 with an entry 5-6.
    [InlineData(new byte[] { 1, 11, 0, 0, 0, 0, 0, 1, 5, 0, 0, 5, 10, 0, 0, 1, 0, 6, 0, 0 }, "stream entry 5-6 after its node's last added ID 5-5")]
    // Stream: no nodes, one group "g" with consumer "c" pending 1-0, and 1-0 again unowned.
    [InlineData(new byte[] { 1, 11, 0, 0, 0, 0, 0, 0, 1, 1, 103, 0, 0, 0, 1, 1, 99, 0, 1, 1, 0, 0, 2, 1, 1, 0, 0, 2 }, "pending entry 1-0 listed twice in a group")]
    public void Corrupt_input_throws_InvalidDataException(byte[] data, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => ValueCodec.Deserialize(data));
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Listpack_limits_are_checked()
    {
        // A "listpack" set of 129 members cannot exist: Redis would have made it a hashtable.
        var w = new List<byte> { 1, 7, 0x81, 0x01 }; // varint 129
        for (int i = 0; i < 129; i++) w.AddRange([1, (byte)i]);
        var error = Assert.Throws<InvalidDataException>(() => ValueCodec.Deserialize(w.ToArray()));
        Assert.Contains("listpack set with 129 members (the limit is 128)", error.Message);
    }

    [Theory]
    [MemberData(nameof(SmallValues))]
    public void Corrupted_bytes_never_throw_anything_but_InvalidDataException(string kind)
    {
        byte[] data = ValueCodec.Serialize(SmallValue(kind));
        // Damage one byte at a time: the result is some value or an InvalidDataException, never
        // another exception (an unexpected one escapes and fails the test).
        int rejected = 0;
        foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF, 0x5A })
        {
            for (int i = 1; i < data.Length; i++)
            {
                var corrupt = (byte[])data.Clone();
                corrupt[i] ^= mask;
                try
                {
                    ValueCodec.Deserialize(corrupt);
                }
                catch (InvalidDataException)
                {
                    rejected++;
                }
            }
        }
        // The type tag byte alone is rejected by the 0x80 and 0xFF masks.
        Assert.True(rejected >= 2);
    }

    [Fact]
    public void Unsupported_values_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ValueCodec.Serialize("text"));
        Assert.Throws<ArgumentNullException>(() => ValueCodec.Serialize(null!));
    }
}
