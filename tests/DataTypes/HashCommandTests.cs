using OrleansLua.Tests.Infrastructure;
using static OrleansLua.Tests.Infrastructure.TestValues;
using Xunit;

namespace OrleansLua.Tests.DataTypes;

/// <summary>
/// Hash commands over TCP. Every expected reply was recorded from redis-server 7.0.15 (rollback of
/// failed scripts, CROSSSLOT and the order of large-hash scans are OrleansLua's own behaviour).
/// </summary>
[Collection(ClusterCollection.Name)]
public class HashCommandTests(ClusterFixture fixture)
{
    private readonly RawRespClient _c = new(fixture.Port);


    private RawRespClient Resp3() => Resp3Client(fixture.Port);

    [Fact]
    public void Hset_hsetnx_hmset_hget_hmget_hlen_hexists_hstrlen()
    {
        var t = Tag();
        string h = t + "h", missing = t + "missing";
        Assert.Equal(":2\r\n", _c.Call("HSET", h, "f1", "v1", "f2", "v2"));
        Assert.Equal(":1\r\n", _c.Call("HSET", h, "f1", "new", "f3", "v3"));
        Assert.Equal("+OK\r\n", _c.Call("HMSET", h, "f4", "v4"));
        Assert.Equal(":0\r\n", _c.Call("HSETNX", h, "f4", "other"));
        Assert.Equal(":1\r\n", _c.Call("HSETNX", h, "f5", "v5"));
        Assert.Equal("$3\r\nnew\r\n", _c.Call("HGET", h, "f1"));
        Assert.Equal("$-1\r\n", _c.Call("HGET", h, "nope"));
        Assert.Equal("$-1\r\n", _c.Call("HGET", missing, "f1"));
        Assert.Equal("*3\r\n$3\r\nnew\r\n$-1\r\n$2\r\nv5\r\n", _c.Call("HMGET", h, "f1", "nope", "f5"));
        Assert.Equal("*2\r\n$-1\r\n$-1\r\n", _c.Call("HMGET", missing, "a", "b"));
        Assert.Equal(":5\r\n", _c.Call("HLEN", h));
        Assert.Equal(":0\r\n", _c.Call("HLEN", missing));
        Assert.Equal(":1\r\n", _c.Call("HEXISTS", h, "f2"));
        Assert.Equal(":0\r\n", _c.Call("HEXISTS", h, "nope"));
        Assert.Equal(":0\r\n", _c.Call("HEXISTS", missing, "f2"));
        Assert.Equal(":3\r\n", _c.Call("HSTRLEN", h, "f1"));
        Assert.Equal(":0\r\n", _c.Call("HSTRLEN", h, "nope"));
        Assert.Equal(":0\r\n", _c.Call("HSTRLEN", missing, "f1"));
        Assert.Equal("+hash\r\n", _c.Call("TYPE", h));
    }

    [Fact]
    public void Field_value_pairs_must_be_complete()
    {
        var h = Tag() + "h";
        Assert.Equal("-ERR wrong number of arguments for 'hset' command\r\n", _c.Call("HSET", h, "f1", "v1", "f2"));
        Assert.Equal("-ERR wrong number of arguments for 'hmset' command\r\n", _c.Call("HMSET", h, "f1", "v1", "f2"));
        Assert.Equal("-ERR wrong number of arguments for 'hset' command\r\n", _c.Call("HSET", h, "f1"));
        Assert.Equal("-ERR wrong number of arguments for 'hget' command\r\n", _c.Call("HGET", h));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", h));
    }

    [Fact]
    public void Small_hashes_keep_insertion_order_and_the_last_hdel_deletes_the_key()
    {
        var t = Tag();
        string h = t + "h", missing = t + "missing";
        Assert.Equal(":4\r\n", _c.Call("HSET", h, "a", "1", "b", "2", "c", "3", "d", "4"));
        Assert.Equal(":1\r\n", _c.Call("HDEL", h, "b", "nope"));
        Assert.Equal(":1\r\n", _c.Call("HSET", h, "b", "22", "a", "11"));
        Assert.Equal("*8\r\n$1\r\na\r\n$2\r\n11\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nb\r\n$2\r\n22\r\n", _c.Call("HGETALL", h));
        Assert.Equal("*4\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\nb\r\n", _c.Call("HKEYS", h));
        Assert.Equal("*4\r\n$2\r\n11\r\n$1\r\n3\r\n$1\r\n4\r\n$2\r\n22\r\n", _c.Call("HVALS", h));
        Assert.Equal("*0\r\n", _c.Call("HGETALL", missing));
        Assert.Equal("*0\r\n", _c.Call("HKEYS", missing));
        Assert.Equal("*0\r\n", _c.Call("HVALS", missing));
        Assert.Equal(":4\r\n", _c.Call("HDEL", h, "a", "b", "c", "d"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", h));
        Assert.Equal(":0\r\n", _c.Call("HDEL", h, "a"));
        Assert.Equal(":0\r\n", _c.Call("HDEL", missing, "a"));
    }

    [Fact]
    public void Binary_safe_fields_and_values()
    {
        var h = Tag() + "bin";
        var field = new byte[] { 0, 13, 10, 255 };
        var value = new byte[] { 1, 0, 13, 10, 200 };
        Assert.Equal(":1\r\n", _c.Call("HSET", h, field, value));
        Assert.Equal(value, _c.CallBytes("HGET", h, field)[4..^2]);
        Assert.Equal(":5\r\n", _c.Call("HSTRLEN", h, field));
        Assert.Equal(":0\r\n", _c.Call("HEXISTS", h, new byte[] { 0, 13, 10 }));
    }

    [Fact]
    public void Every_hash_command_refuses_another_type()
    {
        var s = Tag() + "s";
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        string[][] commands =
        [
            ["HSET", s, "f", "v"], ["HMSET", s, "f", "v"], ["HSETNX", s, "f", "v"], ["HGET", s, "f"], ["HMGET", s, "f"],
            ["HGETALL", s], ["HDEL", s, "f"], ["HEXISTS", s, "f"], ["HLEN", s], ["HKEYS", s], ["HVALS", s],
            ["HINCRBY", s, "f", "1"], ["HINCRBYFLOAT", s, "f", "1"], ["HSTRLEN", s, "f"], ["HRANDFIELD", s],
            ["HRANDFIELD", s, "2", "WITHVALUES"], ["HSCAN", s, "0"],
        ];
        foreach (var command in commands) Assert.Equal(WrongType, _c.Call(command));
        Assert.Equal("$1\r\nx\r\n", _c.Call("GET", s));
    }

    [Fact]
    public void Hincrby()
    {
        var t = Tag();
        string h = t + "h", missing = t + "missing";
        Assert.Equal(":7\r\n", _c.Call("HSET", h, "n", "10", "f", "1.5", "s", "abc", "big", "9223372036854775807", "neg", "-9223372036854775808", "sp", " 1", "e", ""));
        Assert.Equal(":15\r\n", _c.Call("HINCRBY", h, "n", "5"));
        Assert.Equal(":-5\r\n", _c.Call("HINCRBY", h, "n", "-20"));
        Assert.Equal(":7\r\n", _c.Call("HINCRBY", h, "new", "7"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("HINCRBY", h, "n", "x"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("HINCRBY", h, "n", "1.5"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("HINCRBY", h, "n", ""));
        Assert.Equal("-ERR hash value is not an integer\r\n", _c.Call("HINCRBY", h, "s", "1"));
        Assert.Equal("-ERR hash value is not an integer\r\n", _c.Call("HINCRBY", h, "f", "1"));
        Assert.Equal("-ERR hash value is not an integer\r\n", _c.Call("HINCRBY", h, "sp", "1"));
        Assert.Equal("-ERR hash value is not an integer\r\n", _c.Call("HINCRBY", h, "e", "1"));
        Assert.Equal("-ERR increment or decrement would overflow\r\n", _c.Call("HINCRBY", h, "big", "1"));
        Assert.Equal("-ERR increment or decrement would overflow\r\n", _c.Call("HINCRBY", h, "neg", "-1"));
        Assert.Equal(":9223372036854775802\r\n", _c.Call("HINCRBY", h, "n", "9223372036854775807"));
        Assert.Equal(":-6\r\n", _c.Call("HINCRBY", h, "n", "-9223372036854775808"));
        Assert.Equal("$2\r\n-6\r\n", _c.Call("HGET", h, "n"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("HINCRBY", missing, "f", "x"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", missing));
        Assert.Equal(":-3\r\n", _c.Call("HINCRBY", missing, "f", "-3"));
    }

    [Fact]
    public void Hincrbyfloat_prints_like_incrbyfloat()
    {
        var t = Tag();
        string h = t + "h", missing = t + "missing";
        Assert.Equal(":6\r\n", _c.Call("HSET", h, "f", "1.5", "s", "abc", "n", "10", "inf", "inf", "sp", " 1", "e", ""));
        Assert.Equal("$3\r\n1.6\r\n", _c.Call("HINCRBYFLOAT", h, "f", "0.1"));
        Assert.Equal("$3\r\n1.8\r\n", _c.Call("HINCRBYFLOAT", h, "f", "0.2"));
        Assert.Equal("$4\r\n-0.5\r\n", _c.Call("HINCRBYFLOAT", h, "n", "-10.5"));
        Assert.Equal("$6\r\n4996.5\r\n", _c.Call("HINCRBYFLOAT", h, "n", "4.997e3"));
        Assert.Equal("$4\r\n3000\r\n", _c.Call("HINCRBYFLOAT", h, "new", "3.0e3"));
        Assert.Equal("$1\r\n0\r\n", _c.Call("HINCRBYFLOAT", h, "new2", "-0"));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("HINCRBYFLOAT", h, "f", "abc"));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("HINCRBYFLOAT", h, "f", ""));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("HINCRBYFLOAT", h, "f", " 1"));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("HINCRBYFLOAT", h, "f", "nan"));
        Assert.Equal("-ERR value is NaN or Infinity\r\n", _c.Call("HINCRBYFLOAT", h, "f", "inf"));
        Assert.Equal("-ERR value is NaN or Infinity\r\n", _c.Call("HINCRBYFLOAT", h, "f", "-inf"));
        Assert.Equal("-ERR hash value is not a float\r\n", _c.Call("HINCRBYFLOAT", h, "s", "1"));
        Assert.Equal("-ERR hash value is not a float\r\n", _c.Call("HINCRBYFLOAT", h, "sp", "1"));
        Assert.Equal("-ERR hash value is not a float\r\n", _c.Call("HINCRBYFLOAT", h, "e", "1"));
        Assert.Equal("-ERR increment would produce NaN or Infinity\r\n", _c.Call("HINCRBYFLOAT", h, "inf", "1"));
        Assert.Equal("$3\r\n1.8\r\n", _c.Call("HGET", h, "f"));
        Assert.Equal("$6\r\n4996.5\r\n", _c.Call("HGET", h, "n"));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("HINCRBYFLOAT", missing, "f", "x"));
        Assert.Equal("-ERR value is NaN or Infinity\r\n", _c.Call("HINCRBYFLOAT", missing, "f", "inf"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", missing));
    }

    [Fact]
    public void Hrandfield_counts_and_errors()
    {
        var t = Tag();
        string h = t + "h", missing = t + "missing";
        Assert.Equal(":3\r\n", _c.Call("HSET", h, "a", "1", "b", "2", "c", "3"));
        // A count of at least the size returns the whole hash, in order.
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("HRANDFIELD", h, "3"));
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("HRANDFIELD", h, "10"));
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("HRANDFIELD", h, "9223372036854775807"));
        Assert.Equal("*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("HRANDFIELD", h, "3", "WITHVALUES"));
        Assert.Equal("*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("HRANDFIELD", h, "4611686018427387903", "withvalues"));
        Assert.Equal("*0\r\n", _c.Call("HRANDFIELD", h, "0"));
        Assert.Equal("*0\r\n", _c.Call("HRANDFIELD", h, "0", "WITHVALUES"));
        Assert.Equal("$-1\r\n", _c.Call("HRANDFIELD", missing));
        Assert.Equal("*0\r\n", _c.Call("HRANDFIELD", missing, "3"));
        Assert.Equal("*0\r\n", _c.Call("HRANDFIELD", missing, "-3", "WITHVALUES"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("HRANDFIELD", h, "x"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("HRANDFIELD", h, "1.5"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("HRANDFIELD", h, "1", "bogus"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("HRANDFIELD", h, "1", "WITHVALUES", "extra"));
        Assert.Equal("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n", _c.Call("HRANDFIELD", h, "-9223372036854775808"));
        Assert.Equal("-ERR value is out of range\r\n", _c.Call("HRANDFIELD", h, "-4611686018427387904", "WITHVALUES"));
        Assert.Equal("-ERR value is out of range\r\n", _c.Call("HRANDFIELD", h, "4611686018427387904", "WITHVALUES"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("HRANDFIELD", missing, "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("HRANDFIELD", missing, "1", "bogus"));
    }

    [Fact]
    public void Hrandfield_picks_distinct_fields_for_a_positive_count_and_may_repeat_for_a_negative_one()
    {
        var h = Tag() + "h";
        var fields = Enumerable.Range(0, 600).Select(i => "f" + i).ToList(); // a hashtable
        Assert.Equal(":600\r\n", _c.Call(["HSET", h, .. fields.SelectMany(f => new[] { f, "v" + f[1..] })]));
        Assert.Contains(CollectionReplies.Bulk(_c.Call("HRANDFIELD", h)), fields);
        foreach (var count in new[] { 1, 5, 300, 599 })
        {
            var picked = CollectionReplies.Items(_c.Call("HRANDFIELD", h, count));
            Assert.Equal(count, picked.Distinct().Count());
            Assert.All(picked, f => Assert.Contains(f, fields));
        }
        var repeated = CollectionReplies.Items(_c.Call("HRANDFIELD", h, -1000));
        Assert.Equal(1000, repeated.Count);
        Assert.True(repeated.Distinct().Count() < 1000); // 1000 draws out of 600 must repeat
        var pairs = CollectionReplies.Items(_c.Call("HRANDFIELD", h, -50, "WITHVALUES"));
        Assert.Equal(100, pairs.Count);
        for (int i = 0; i < pairs.Count; i += 2) Assert.Equal("v" + pairs[i][1..], pairs[i + 1]);
    }

    [Fact]
    public void Hscan_replies_a_small_hash_whole_and_checks_its_arguments()
    {
        var t = Tag();
        string h = t + "h", missing = t + "missing";
        Assert.Equal(":4\r\n", _c.Call("HSET", h, "a", "1", "b", "2", "c", "3", "ab", "4"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n", _c.Call("HSCAN", h, "0"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n", _c.Call("HSCAN", h, "0", "COUNT", "1"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$1\r\n4\r\n", _c.Call("HSCAN", h, "0", "MATCH", "a*"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$1\r\n4\r\n", _c.Call("HSCAN", h, "0", "match", "*b", "count", "2", "match", "a*"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", _c.Call("HSCAN", h, "0", "MATCH", "zz*"));
        Assert.Equal("-ERR invalid cursor\r\n", _c.Call("HSCAN", h, "x"));
        Assert.Equal("-ERR invalid cursor\r\n", _c.Call("HSCAN", h, "18446744073709551616"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("HSCAN", h, "0", "COUNT", "0"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("HSCAN", h, "0", "COUNT", "-1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("HSCAN", h, "0", "COUNT", "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("HSCAN", h, "0", "COUNT"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("HSCAN", h, "0", "MATCH"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("HSCAN", h, "0", "BOGUS", "1"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("HSCAN", h, "0", "NOVALUES"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", _c.Call("HSCAN", missing, "0"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", _c.Call("HSCAN", missing, "0", "COUNT", "0"));
        Assert.Equal("-ERR invalid cursor\r\n", _c.Call("HSCAN", missing, "x"));
    }

    [Fact]
    public void Hscan_of_a_large_hash_returns_every_field_present_throughout_exactly_once()
    {
        var h = Tag() + "big";
        Assert.Equal(":1000\r\n", _c.Call(["HSET", h, .. Enumerable.Range(0, 1000).SelectMany(i => new object[] { "f" + i, i })]));
        var seen = new List<string>();
        string cursor = "0";
        int pages = 0, churn = 0;
        do
        {
            var (next, items) = CollectionReplies.ScanPage(_c.Call("HSCAN", h, cursor, "COUNT", "50"));
            for (int i = 0; i < items.Count; i += 2)
            {
                seen.Add(items[i]);
                if (!items[i].StartsWith("new")) Assert.Equal("f" + items[i + 1], items[i]);
            }
            // Fields come and go meanwhile: the scan must not lose or repeat the stable ones.
            _c.Call("HSET", h, "new" + churn, "x");
            _c.Call("HDEL", h, "new" + (churn - 3));
            churn++;
            cursor = next;
            pages++;
        } while (cursor != "0");
        Assert.InRange(pages, 15, 40);
        var stable = seen.Where(f => !f.StartsWith("new")).ToList();
        Assert.Equal(1000, stable.Count);
        Assert.Equal(1000, stable.Distinct().Count());
        var (_, matched) = CollectionReplies.ScanPage(_c.Call("HSCAN", h, "0", "MATCH", "f99*", "COUNT", "100000"));
        Assert.Equal(new[] { "f99", "f990", "f991", "f992", "f993", "f994", "f995", "f996", "f997", "f998", "f999" },
            matched.Where((_, i) => i % 2 == 0).Order());
    }

    [Fact]
    public void Resp3_replies()
    {
        var t = Tag();
        string h = t + "h", missing = t + "missing";
        using var r3 = Resp3();
        Assert.Equal(":2\r\n", _c.Call("HSET", h, "a", "1", "b", "2"));
        Assert.Equal("%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", r3.Call("HGETALL", h));
        Assert.Equal("%0\r\n", r3.Call("HGETALL", missing));
        Assert.Equal("*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", r3.Call("HRANDFIELD", h, "5", "WITHVALUES"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", r3.Call("HRANDFIELD", h, "5"));
        Assert.Equal("_\r\n", r3.Call("HRANDFIELD", missing));
        Assert.Equal("*0\r\n", r3.Call("HRANDFIELD", missing, "2", "WITHVALUES"));
        Assert.Equal("*2\r\n$1\r\n1\r\n_\r\n", r3.Call("HMGET", h, "a", "nope"));
        Assert.Equal("_\r\n", r3.Call("HGET", h, "nope"));
        Assert.Equal("$3\r\n2.5\r\n", r3.Call("HINCRBYFLOAT", h, "a", "1.5"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", r3.Call("HKEYS", h));
        Assert.Equal("*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$3\r\n2.5\r\n$1\r\nb\r\n$1\r\n2\r\n", r3.Call("HSCAN", h, "0"));
        Assert.Equal(":1\r\n", r3.Call("HEXISTS", h, "a"));
        var pairs = r3.Call("HRANDFIELD", h, "-3", "WITHVALUES");
        Assert.StartsWith("*3\r\n*2\r\n$1\r\n", pairs);
    }

    [Fact]
    public void Object_encoding_turns_to_hashtable_past_512_fields_or_64_bytes_and_stays()
    {
        var t = Tag();
        string h = t + "h", wide = t + "wide", longField = t + "longfield";
        Assert.Equal(":512\r\n", _c.Call(["HSET", h, .. Enumerable.Range(1, 512).SelectMany(i => new[] { "f" + i, "v" })]));
        Assert.Equal("$8\r\nlistpack\r\n", _c.Call("OBJECT", "ENCODING", h));
        Assert.Equal(":1\r\n", _c.Call("HSET", h, "f513", "v"));
        Assert.Equal("$9\r\nhashtable\r\n", _c.Call("OBJECT", "ENCODING", h));
        Assert.Equal(":2\r\n", _c.Call("HDEL", h, "f513", "f1"));
        Assert.Equal("$9\r\nhashtable\r\n", _c.Call("OBJECT", "ENCODING", h));

        Assert.Equal(":1\r\n", _c.Call("HSET", wide, "a", new string('v', 64)));
        Assert.Equal("$8\r\nlistpack\r\n", _c.Call("OBJECT", "ENCODING", wide));
        Assert.Equal(":1\r\n", _c.Call("HSET", wide, "b", new string('v', 65)));
        Assert.Equal("$9\r\nhashtable\r\n", _c.Call("OBJECT", "ENCODING", wide));
        Assert.Equal(":1\r\n", _c.Call("HSETNX", longField, new string('f', 65), "1"));
        Assert.Equal("$9\r\nhashtable\r\n", _c.Call("OBJECT", "ENCODING", longField));
    }

    [Fact]
    public void Scripts_call_hash_commands()
    {
        var h = Tag() + "h";
        Assert.Equal("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", _c.Call("EVAL", "redis.call('HSET', KEYS[1], 'a', '1', 'b', '2') return redis.call('HGETALL', KEYS[1])", "1", h));
        Assert.Equal("$3\r\n1.5\r\n", _c.Call("EVAL", "return redis.call('HINCRBYFLOAT', KEYS[1], 'a', '0.5')", "1", h));
        Assert.Equal(":42\r\n", _c.Call("EVAL", "return redis.call('HINCRBY', KEYS[1], 'b', 40)", "1", h));
        Assert.Equal("*2\r\n$3\r\n1.5\r\n$-1\r\n", _c.Call("EVAL", "return redis.call('HMGET', KEYS[1], 'a', 'zz')", "1", h));
        Assert.Equal("*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$3\r\n1.5\r\n$1\r\nb\r\n$2\r\n42\r\n", _c.Call("EVAL", "return redis.call('HSCAN', KEYS[1], 0)", "1", h));
        Assert.Equal("-ERR hash value is not an integer\r\n", _c.Call("EVAL", "return redis.pcall('HINCRBY', KEYS[1], 'a', 1)", "1", h));
        Assert.Equal("*4\r\n$1\r\na\r\n$3\r\n1.5\r\n$1\r\nb\r\n$2\r\n42\r\n", _c.Call("EVAL", "return redis.call('HRANDFIELD', KEYS[1], 5, 'WITHVALUES')", "1", h));
        Assert.Equal(":1\r\n", _c.Call("EVAL", "return redis.call('HEXISTS', KEYS[1], 'a')", "1", h));
    }

    [Fact]
    public void A_failed_script_leaves_hashes_exactly_as_they_were()
    {
        var t = Tag();
        string h = t + "h", created = t + "created", emptied = t + "emptied";
        Assert.Equal(":3\r\n", _c.Call("HSET", h, "a", "1", "b", "2", "c", "3"));
        Assert.Equal(":1\r\n", _c.Call("HSET", emptied, "only", "x"));
        var before = _c.Call("HGETALL", h);
        const string script = """
            redis.call('HSET', KEYS[1], 'd', '4', 'a', 'changed', 'wide', string.rep('x', 100))
            redis.call('HDEL', KEYS[1], 'b')
            redis.call('HINCRBY', KEYS[1], 'c', 10)
            redis.call('HSET', KEYS[2], 'x', 'y')
            redis.call('HDEL', KEYS[3], 'only')
            error('boom')
            """;
        Assert.StartsWith("-", _c.Call("EVAL", script, "3", h, created, emptied));
        Assert.Equal(before, _c.Call("HGETALL", h));
        Assert.Equal("$8\r\nlistpack\r\n", _c.Call("OBJECT", "ENCODING", h));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", created));
        Assert.Equal("*2\r\n$4\r\nonly\r\n$1\r\nx\r\n", _c.Call("HGETALL", emptied));
    }

    [Fact]
    public async Task Concurrent_hincrby_and_hset_into_one_hash_are_exact()
    {
        var h = Tag() + "shared";
        const int connections = 16, perConnection = 150;
        // Dedicated threads: blocking sockets on pool threads would starve the in-process silos.
        var tasks = Enumerable.Range(0, connections).Select(i => Task.Factory.StartNew(() =>
        {
            using var c = new RawRespClient(fixture.Ports[i % fixture.Ports.Length]);
            for (int n = 0; n < perConnection; n++)
            {
                Assert.StartsWith(":", c.Call("HINCRBY", h, "counter", "1"));
                Assert.Equal(":1\r\n", c.Call("HSET", h, $"c{i}:{n}", n));
            }
        }, TaskCreationOptions.LongRunning));
        await Task.WhenAll(tasks);
        Assert.Equal($"$4\r\n{connections * perConnection}\r\n", _c.Call("HGET", h, "counter"));
        Assert.Equal($":{connections * perConnection + 1}\r\n", _c.Call("HLEN", h));
    }
}

/// <summary>Reads the simple replies these tests look into (bulks without CR LF inside).</summary>
internal static class CollectionReplies
{
    public static string Bulk(string reply) => reply.Split("\r\n")[1];

    /// <summary>The bulk strings of a flat array or set reply.</summary>
    public static List<string> Items(string reply)
    {
        var lines = reply.Split("\r\n");
        var items = new List<string>();
        for (int i = 2; i < lines.Length; i += 2) items.Add(lines[i]);
        return items;
    }

    /// <summary>A SCAN-style reply: the next cursor and the page's bulk strings.</summary>
    public static (string Cursor, List<string> Items) ScanPage(string reply)
    {
        var lines = reply.Split("\r\n");
        var items = new List<string>();
        for (int i = 5; i < lines.Length; i += 2) items.Add(lines[i]);
        return (lines[2], items);
    }
}
