using OrleansLua.Tests.Infrastructure;
using static OrleansLua.Tests.Infrastructure.TestValues;
using Xunit;

namespace OrleansLua.Tests.DataTypes;

/// <summary>
/// Set commands over TCP. Every expected reply was recorded from redis-server 7.0.15, using
/// integer sets where the order matters (an intset replies in ascending order; 7.0 keeps small
/// string sets in a hashtable, whose order is random). Rollback of failed scripts, CROSSSLOT, the
/// "listpack" encoding of small string sets (Redis 7.2, the version the server reports) and the
/// order of large-set scans are OrleansLua's own behaviour.
/// </summary>
[Collection(ClusterCollection.Name)]
public class SetCommandTests(ClusterFixture fixture)
{
    private const string CrossSlot = "-CROSSSLOT Keys in request don't hash to the same slot\r\n";
    private readonly RawRespClient _c = new(fixture.Port);


    private RawRespClient Resp3() => Resp3Client(fixture.Port);

    private List<string> SortedMembers(string key) => [.. CollectionReplies.Items(_c.Call("SMEMBERS", key)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Sadd_srem_smembers_scard_sismember_smismember()
    {
        var t = Tag();
        string s = t + "s", missing = t + "missing";
        Assert.Equal(":3\r\n", _c.Call("SADD", s, "3", "1", "2", "1"));
        Assert.Equal(":1\r\n", _c.Call("SADD", s, "2", "5"));
        Assert.Equal("*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n", _c.Call("SMEMBERS", s));
        Assert.Equal(":4\r\n", _c.Call("SCARD", s));
        Assert.Equal(":0\r\n", _c.Call("SCARD", missing));
        Assert.Equal(":1\r\n", _c.Call("SISMEMBER", s, "5"));
        Assert.Equal(":0\r\n", _c.Call("SISMEMBER", s, "4"));
        Assert.Equal(":0\r\n", _c.Call("SISMEMBER", missing, "4"));
        Assert.Equal("*3\r\n:1\r\n:0\r\n:1\r\n", _c.Call("SMISMEMBER", s, "1", "4", "5"));
        Assert.Equal("*2\r\n:0\r\n:0\r\n", _c.Call("SMISMEMBER", missing, "1", "2"));
        Assert.Equal(":1\r\n", _c.Call("SREM", s, "1", "4"));
        Assert.Equal(":0\r\n", _c.Call("SREM", missing, "1"));
        Assert.Equal("*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n", _c.Call("SMEMBERS", s));
        Assert.Equal("*0\r\n", _c.Call("SMEMBERS", missing));
        Assert.Equal(":3\r\n", _c.Call("SREM", s, "2", "3", "5"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", s));
        Assert.Equal(":5\r\n", _c.Call("SADD", s, "-5", "10", "-20", "0", "7"));
        Assert.Equal("*5\r\n$3\r\n-20\r\n$2\r\n-5\r\n$1\r\n0\r\n$1\r\n7\r\n$2\r\n10\r\n", _c.Call("SMEMBERS", s));
        Assert.Equal("+set\r\n", _c.Call("TYPE", s));
    }

    [Fact]
    public void String_and_binary_members()
    {
        var s = Tag() + "s";
        var binary = new byte[] { 0, 13, 10, 255 };
        Assert.Equal(":4\r\n", _c.Call("SADD", s, "b", "a", "01", binary));
        Assert.Equal(":0\r\n", _c.Call("SADD", s, "a", "01"));
        Assert.Equal(":1\r\n", _c.Call("SISMEMBER", s, binary));
        Assert.Equal(":0\r\n", _c.Call("SISMEMBER", s, "1"));
        Assert.Equal(":1\r\n", _c.Call("SREM", s, binary));
        Assert.Equal(new[] { "01", "a", "b" }, SortedMembers(s));
    }

    [Fact]
    public void Every_set_command_refuses_another_type()
    {
        var t = Tag();
        string str = t + "str", set = t + "set", dest = t + "dest", missing = t + "missing";
        Assert.Equal("+OK\r\n", _c.Call("SET", str, "x"));
        Assert.Equal(":1\r\n", _c.Call("SADD", set, "a"));
        string[][] commands =
        [
            ["SADD", str, "a"], ["SREM", str, "a"], ["SMEMBERS", str], ["SISMEMBER", str, "a"], ["SMISMEMBER", str, "a"],
            ["SCARD", str], ["SPOP", str], ["SPOP", str, "1"], ["SRANDMEMBER", str], ["SRANDMEMBER", str, "2"],
            ["SMOVE", str, set, "a"], ["SMOVE", set, str, "a"], ["SINTER", set, str], ["SINTER", missing, str],
            ["SINTERSTORE", dest, set, str], ["SUNION", set, str], ["SUNIONSTORE", dest, str], ["SDIFF", missing, str],
            ["SDIFF", str, set], ["SDIFFSTORE", dest, set, str], ["SINTERCARD", "2", missing, str], ["SSCAN", str, "0"],
        ];
        foreach (var command in commands) Assert.Equal(WrongType, _c.Call(command));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", dest));
        Assert.Equal("*1\r\n$1\r\na\r\n", _c.Call("SMEMBERS", set));
    }

    [Fact]
    public void Spop_with_and_without_count()
    {
        var t = Tag();
        string s = t + "s", missing = t + "missing";
        Assert.Equal(":3\r\n", _c.Call("SADD", s, "1", "2", "3"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", _c.Call("SPOP", s, "x"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", _c.Call("SPOP", s, "-1"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("SPOP", s, "1", "2"));
        Assert.Equal("*0\r\n", _c.Call("SPOP", s, "0"));
        Assert.Equal("*0\r\n", _c.Call("SPOP", missing, "0"));
        Assert.Equal("*0\r\n", _c.Call("SPOP", missing, "3"));
        Assert.Equal("$-1\r\n", _c.Call("SPOP", missing));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", _c.Call("SPOP", missing, "x"));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("SPOP", s, "3"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", s));
        Assert.Equal(":2\r\n", _c.Call("SADD", s, "5", "4"));
        Assert.Equal("*2\r\n$1\r\n4\r\n$1\r\n5\r\n", _c.Call("SPOP", s, "10"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", s));
        Assert.Equal(":1\r\n", _c.Call("SADD", s, "only"));
        Assert.Equal("$4\r\nonly\r\n", _c.Call("SPOP", s));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", s));
    }

    [Fact]
    public void Spop_removes_what_it_returns()
    {
        foreach (int size in new[] { 10, 1000 }) // listpack and hashtable
        {
            var s = Tag() + "s";
            var all = Enumerable.Range(0, size).Select(i => "m" + i).ToList();
            Assert.Equal($":{size}\r\n", _c.Call(["SADD", s, .. all]));
            var popped = CollectionReplies.Items(_c.Call("SPOP", s, size / 2 - 1));
            popped.Add(CollectionReplies.Bulk(_c.Call("SPOP", s)));
            Assert.Equal(size / 2, popped.Distinct().Count());
            var left = SortedMembers(s);
            Assert.Equal(size - size / 2, left.Count);
            Assert.Equal(all.Order(StringComparer.Ordinal), left.Concat(popped).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Srandmember_counts_and_errors()
    {
        var t = Tag();
        string s = t + "s", missing = t + "missing";
        Assert.Equal(":3\r\n", _c.Call("SADD", s, "1", "2", "3"));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("SRANDMEMBER", s, "3"));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("SRANDMEMBER", s, "10"));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("SRANDMEMBER", s, "9223372036854775807"));
        Assert.Equal("*0\r\n", _c.Call("SRANDMEMBER", s, "0"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("SRANDMEMBER", s, "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("SRANDMEMBER", s, "1", "2"));
        Assert.Equal("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n", _c.Call("SRANDMEMBER", s, "-9223372036854775808"));
        Assert.Equal("$-1\r\n", _c.Call("SRANDMEMBER", missing));
        Assert.Equal("*0\r\n", _c.Call("SRANDMEMBER", missing, "3"));
        Assert.Equal("*0\r\n", _c.Call("SRANDMEMBER", missing, "-3"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("SRANDMEMBER", missing, "x"));
        Assert.Equal(":3\r\n", _c.Call("SCARD", s));
    }

    [Fact]
    public void Srandmember_picks_distinct_members_for_a_positive_count_and_may_repeat_for_a_negative_one()
    {
        var s = Tag() + "s";
        var all = Enumerable.Range(0, 600).Select(i => "m" + i).ToList();
        Assert.Equal(":600\r\n", _c.Call(["SADD", s, .. all]));
        Assert.Contains(CollectionReplies.Bulk(_c.Call("SRANDMEMBER", s)), all);
        foreach (var count in new[] { 1, 7, 300, 599 })
        {
            var picked = CollectionReplies.Items(_c.Call("SRANDMEMBER", s, count));
            Assert.Equal(count, picked.Distinct().Count());
            Assert.All(picked, m => Assert.Contains(m, all));
        }
        var repeated = CollectionReplies.Items(_c.Call("SRANDMEMBER", s, -1000));
        Assert.Equal(1000, repeated.Count);
        Assert.True(repeated.Distinct().Count() < 1000);
        Assert.Equal(":600\r\n", _c.Call("SCARD", s));
    }

    [Fact]
    public void Smove_into_a_set_that_has_the_member_leaves_a_watch_on_it_intact()
    {
        var t = Tag();
        string src = t + "src", dst = t + "dst";
        Assert.Equal(":2\r\n", _c.Call("SADD", src, "a", "b"));
        Assert.Equal(":1\r\n", _c.Call("SADD", dst, "a"));
        Assert.Equal("+OK\r\n", _c.Call("WATCH", dst));
        Assert.Equal("+OK\r\n", _c.Call("MULTI"));
        Assert.Equal("+QUEUED\r\n", _c.Call("SADD", dst, "c"));
        using (var other = new RawRespClient(fixture.Port))
            Assert.Equal(":1\r\n", other.Call("SMOVE", src, dst, "a")); // dst already has a: unchanged
        Assert.Equal("*1\r\n:1\r\n", _c.Call("EXEC"));
        Assert.Equal(":2\r\n", _c.Call("SCARD", dst));
        Assert.Equal("*1\r\n$1\r\nb\r\n", _c.Call("SMEMBERS", src));
    }

    [Fact]
    public void Smove()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", fresh = t + "new", str = t + "str", missing = t + "missing";
        Assert.Equal(":3\r\n", _c.Call("SADD", a, "1", "2", "3"));
        Assert.Equal(":2\r\n", _c.Call("SADD", b, "3", "4"));
        Assert.Equal(":1\r\n", _c.Call("SMOVE", a, b, "1"));
        Assert.Equal(":0\r\n", _c.Call("SMOVE", a, b, "1"));
        Assert.Equal(":1\r\n", _c.Call("SMOVE", a, b, "3"));
        Assert.Equal("*1\r\n$1\r\n2\r\n", _c.Call("SMEMBERS", a));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n", _c.Call("SMEMBERS", b));
        Assert.Equal(":1\r\n", _c.Call("SMOVE", a, a, "2"));
        Assert.Equal(":0\r\n", _c.Call("SMOVE", a, a, "9"));
        Assert.Equal(":0\r\n", _c.Call("SMOVE", missing, b, "1"));
        Assert.Equal(":1\r\n", _c.Call("SMOVE", a, fresh, "2"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", a));
        Assert.Equal("*1\r\n$1\r\n2\r\n", _c.Call("SMEMBERS", fresh));
        Assert.Equal("+OK\r\n", _c.Call("SET", str, "x"));
        Assert.Equal(":0\r\n", _c.Call("SMOVE", missing, str, "1"));
        Assert.Equal(WrongType, _c.Call("SMOVE", fresh, str, "2"));
        Assert.Equal(WrongType, _c.Call("SMOVE", fresh, str, "9"));
        Assert.Equal(WrongType, _c.Call("SMOVE", str, fresh, "1"));
        Assert.Equal("*1\r\n$1\r\n2\r\n", _c.Call("SMEMBERS", fresh));
    }

    [Fact]
    public void Sinter_sunion_sdiff_and_their_store_variants()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", c = t + "c", d = t + "d", str = t + "str", missing = t + "missing";
        Assert.Equal(":5\r\n", _c.Call("SADD", a, "1", "2", "3", "4", "5"));
        Assert.Equal(":4\r\n", _c.Call("SADD", b, "4", "5", "6", "7"));
        Assert.Equal(":3\r\n", _c.Call("SADD", c, "5", "7", "9"));
        Assert.Equal("*2\r\n$1\r\n4\r\n$1\r\n5\r\n", _c.Call("SINTER", a, b));
        Assert.Equal("*1\r\n$1\r\n5\r\n", _c.Call("SINTER", a, b, c));
        Assert.Equal("*0\r\n", _c.Call("SINTER", a, missing));
        Assert.Equal("*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", _c.Call("SINTER", a));
        Assert.Equal("*8\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n9\r\n", _c.Call("SUNION", a, b, c));
        Assert.Equal("*0\r\n", _c.Call("SUNION", missing));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("SDIFF", a, b));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("SDIFF", a, b, c));
        Assert.Equal("*2\r\n$1\r\n6\r\n$1\r\n7\r\n", _c.Call("SDIFF", b, a));
        Assert.Equal("*0\r\n", _c.Call("SDIFF", missing, a));
        Assert.Equal("*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", _c.Call("SDIFF", a, missing));
        Assert.Equal(":2\r\n", _c.Call("SINTERSTORE", d, a, b));
        Assert.Equal("*2\r\n$1\r\n4\r\n$1\r\n5\r\n", _c.Call("SMEMBERS", d));
        Assert.Equal(":5\r\n", _c.Call("SUNIONSTORE", d, b, c));
        Assert.Equal("*5\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n9\r\n", _c.Call("SMEMBERS", d));
        Assert.Equal(":3\r\n", _c.Call("SDIFFSTORE", d, a, b, c));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("SMEMBERS", d));
        Assert.Equal(":3\r\n", _c.Call("SDIFFSTORE", a, a, b));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("SMEMBERS", a));
        // The destination is replaced whatever it held, TTL included; an empty result deletes it.
        Assert.Equal("+OK\r\n", _c.Call("SET", str, "x"));
        Assert.Equal(":1\r\n", _c.Call("EXPIRE", str, "100"));
        Assert.Equal(":2\r\n", _c.Call("SINTERSTORE", str, b, c));
        Assert.Equal(":-1\r\n", _c.Call("TTL", str));
        Assert.Equal("+set\r\n", _c.Call("TYPE", str));
        Assert.Equal("*2\r\n$1\r\n5\r\n$1\r\n7\r\n", _c.Call("SMEMBERS", str));
        Assert.Equal(":0\r\n", _c.Call("SINTERSTORE", str, b, missing));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", str));
        Assert.Equal(":0\r\n", _c.Call("SUNIONSTORE", d, missing));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", d));
        Assert.Equal(":0\r\n", _c.Call("SDIFFSTORE", d, b, b));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", d));
    }

    [Fact]
    public void Set_algebra_on_string_members()
    {
        var t = Tag();
        string x = t + "x", y = t + "y", z = t + "z", d = t + "d";
        Assert.Equal(":3\r\n", _c.Call("SADD", x, "a", "b", "c"));
        Assert.Equal(":2\r\n", _c.Call("SADD", y, "c", "d"));
        Assert.Equal(":2\r\n", _c.Call("SADD", z, "a", "e"));
        Assert.Equal("*1\r\n$1\r\nb\r\n", _c.Call("SDIFF", x, y, z));
        Assert.Equal("*1\r\n$1\r\nc\r\n", _c.Call("SINTER", x, y));
        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, CollectionReplies.Items(_c.Call("SUNION", x, y, z)).Order(StringComparer.Ordinal));
        Assert.Equal(":5\r\n", _c.Call("SUNIONSTORE", d, x, y, z));
        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, SortedMembers(d));
    }

    [Fact]
    public void Sintercard_with_limit_and_errors()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", missing = t + "missing";
        Assert.Equal(":5\r\n", _c.Call("SADD", a, "1", "2", "3", "4", "5"));
        Assert.Equal(":5\r\n", _c.Call("SADD", b, "2", "3", "4", "5", "6"));
        Assert.Equal(":4\r\n", _c.Call("SINTERCARD", "2", a, b));
        Assert.Equal(":2\r\n", _c.Call("SINTERCARD", "2", a, b, "LIMIT", "2"));
        Assert.Equal(":4\r\n", _c.Call("SINTERCARD", "2", a, b, "limit", "0"));
        Assert.Equal(":4\r\n", _c.Call("SINTERCARD", "2", a, b, "LIMIT", "10"));
        Assert.Equal(":3\r\n", _c.Call("SINTERCARD", "2", a, b, "LIMIT", "1", "LIMIT", "3"));
        Assert.Equal(":5\r\n", _c.Call("SINTERCARD", "1", a));
        Assert.Equal(":0\r\n", _c.Call("SINTERCARD", "2", a, missing));
        Assert.Equal(":0\r\n", _c.Call("SINTERCARD", "1", missing));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", _c.Call("SINTERCARD", "0", a));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", _c.Call("SINTERCARD", "-1", a));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", _c.Call("SINTERCARD", "x", a));
        Assert.Equal("-ERR Number of keys can't be greater than number of args\r\n", _c.Call("SINTERCARD", "3", a, b));
        Assert.Equal("-ERR Number of keys can't be greater than number of args\r\n", _c.Call("SINTERCARD", "2", a));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("SINTERCARD", "2", a, b, a));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("SINTERCARD", "2", a, b, "LIMIT"));
        Assert.Equal("-ERR LIMIT can't be negative\r\n", _c.Call("SINTERCARD", "2", a, b, "LIMIT", "x"));
        Assert.Equal("-ERR LIMIT can't be negative\r\n", _c.Call("SINTERCARD", "2", a, b, "LIMIT", "-1"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("SINTERCARD", "2", a, b, "BOGUS", "1"));
    }

    [Fact]
    public void Multi_key_commands_need_one_slot()
    {
        var id = Guid.NewGuid().ToString("N");
        string a = "{x}" + id, b = "{y}" + id;
        Assert.Equal(CrossSlot, _c.Call("SMOVE", a, b, "m"));
        Assert.Equal(CrossSlot, _c.Call("SINTER", a, b));
        Assert.Equal(CrossSlot, _c.Call("SUNION", a, b));
        Assert.Equal(CrossSlot, _c.Call("SDIFF", a, b));
        Assert.Equal(CrossSlot, _c.Call("SINTERSTORE", a, a, b));
        Assert.Equal(CrossSlot, _c.Call("SUNIONSTORE", b, a, a));
        Assert.Equal(CrossSlot, _c.Call("SDIFFSTORE", a, b));
        Assert.Equal(CrossSlot, _c.Call("SINTERCARD", "2", a, b));
        Assert.Equal(":0\r\n", _c.Call("SINTERCARD", "1", a, "LIMIT", "5"));
    }

    [Fact]
    public void Sscan_replies_a_small_set_whole_and_checks_its_arguments()
    {
        var t = Tag();
        string s = t + "s", strings = t + "t", missing = t + "missing";
        Assert.Equal(":3\r\n", _c.Call("SADD", s, "3", "1", "2"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("SSCAN", s, "0"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*1\r\n$1\r\n1\r\n", _c.Call("SSCAN", s, "0", "COUNT", "1", "MATCH", "1*"));
        Assert.Equal(":4\r\n", _c.Call("SADD", strings, "b", "a", "c", "ab"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$2\r\nab\r\n", _c.Call("SSCAN", strings, "0", "MATCH", "a*"));
        Assert.Equal("-ERR invalid cursor\r\n", _c.Call("SSCAN", s, "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("SSCAN", s, "0", "COUNT", "0"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("SSCAN", s, "0", "COUNT", "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("SSCAN", s, "0", "FOO", "bar"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", _c.Call("SSCAN", missing, "0"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", _c.Call("SSCAN", missing, "0", "COUNT", "0"));
    }

    [Fact]
    public void Sscan_of_a_large_set_returns_every_member_present_throughout_exactly_once()
    {
        var s = Tag() + "big";
        Assert.Equal(":2000\r\n", _c.Call(["SADD", s, .. Enumerable.Range(0, 2000).Select(i => "m" + i)]));
        var seen = new List<string>();
        string cursor = "0";
        int churn = 0;
        do
        {
            var (next, items) = CollectionReplies.ScanPage(_c.Call("SSCAN", s, cursor, "COUNT", "100"));
            Assert.InRange(items.Count, 0, 150);
            seen.AddRange(items);
            // Members come and go meanwhile, which moves others around inside the set.
            _c.Call("SADD", s, "new" + churn, "other" + churn);
            _c.Call("SREM", s, "new" + (churn - 2), "m" + (1990 + churn % 10));
            _c.Call("SADD", s, "m" + (1990 + churn % 10));
            churn++;
            cursor = next;
        } while (cursor != "0");
        var stable = seen.Where(m => m.StartsWith('m') && int.Parse(m[1..]) < 1990).ToList();
        Assert.Equal(1990, stable.Count);
        Assert.Equal(1990, stable.Distinct().Count());
    }

    [Fact]
    public void Resp3_replies()
    {
        var t = Tag();
        string s = t + "s", u = t + "t", missing = t + "missing";
        using var r3 = Resp3();
        Assert.Equal(":3\r\n", _c.Call("SADD", s, "1", "2", "3"));
        Assert.Equal(":3\r\n", _c.Call("SADD", u, "2", "3", "4"));
        Assert.Equal("~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", r3.Call("SMEMBERS", s));
        Assert.Equal("~0\r\n", r3.Call("SMEMBERS", missing));
        Assert.Equal("~2\r\n$1\r\n2\r\n$1\r\n3\r\n", r3.Call("SINTER", s, u));
        Assert.Equal("~4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n", r3.Call("SUNION", s, u));
        Assert.Equal("~1\r\n$1\r\n1\r\n", r3.Call("SDIFF", s, u));
        Assert.Equal("~0\r\n", r3.Call("SDIFF", missing));
        Assert.Equal("~0\r\n", r3.Call("SPOP", missing, "2"));
        Assert.Equal("_\r\n", r3.Call("SPOP", missing));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", r3.Call("SRANDMEMBER", s, "5"));
        Assert.Equal("*0\r\n", r3.Call("SRANDMEMBER", missing, "2"));
        Assert.Equal("_\r\n", r3.Call("SRANDMEMBER", missing));
        Assert.Equal("*2\r\n:1\r\n:0\r\n", r3.Call("SMISMEMBER", s, "1", "9"));
        Assert.Equal(":1\r\n", r3.Call("SISMEMBER", s, "1"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", r3.Call("SSCAN", s, "0"));
        Assert.Equal(":2\r\n", r3.Call("SINTERCARD", "2", s, u));
        Assert.Equal("~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", r3.Call("SPOP", s, "5"));
    }

    [Fact]
    public void Object_encoding_follows_intset_listpack_and_hashtable_limits()
    {
        var t = Tag();
        string ints = t + "ints", mixed = t + "mixed", many = t + "many", wide = t + "wide";
        string Encoding(string key) => _c.Call("OBJECT", "ENCODING", key);
        const string Intset = "$6\r\nintset\r\n", Listpack = "$8\r\nlistpack\r\n", Hashtable = "$9\r\nhashtable\r\n";

        // Recorded from 7.0.15: up to set-max-intset-entries (512) integers.
        Assert.Equal(":512\r\n", _c.Call(["SADD", ints, .. Enumerable.Range(1, 512).Select(i => i.ToString())]));
        Assert.Equal(Intset, Encoding(ints));
        Assert.Equal(":1\r\n", _c.Call("SADD", ints, "513"));
        Assert.Equal(Hashtable, Encoding(ints));
        Assert.Equal(":2\r\n", _c.Call("SREM", ints, "513", "1"));
        Assert.Equal(Hashtable, Encoding(ints));

        // Redis 7.2: small sets with other members are listpacks (up to 128 members of 64 bytes).
        Assert.Equal(":2\r\n", _c.Call("SADD", mixed, "1", "2"));
        Assert.Equal(Intset, Encoding(mixed));
        Assert.Equal(":1\r\n", _c.Call("SADD", mixed, "01"));
        Assert.Equal(Listpack, Encoding(mixed));
        Assert.Equal(":128\r\n", _c.Call(["SADD", many, .. Enumerable.Range(1, 128).Select(i => "m" + i)]));
        Assert.Equal(Listpack, Encoding(many));
        Assert.Equal(":1\r\n", _c.Call("SADD", many, "m129"));
        Assert.Equal(Hashtable, Encoding(many));
        Assert.Equal(":1\r\n", _c.Call("SADD", wide, new string('w', 64)));
        Assert.Equal(Listpack, Encoding(wide));
        Assert.Equal(":1\r\n", _c.Call("SADD", wide, new string('w', 65)));
        Assert.Equal(Hashtable, Encoding(wide));
    }

    [Fact]
    public void Scripts_call_set_commands()
    {
        var t = Tag();
        string s = t + "s", u = t + "t", union = t + "u";
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("EVAL", "redis.call('SADD', KEYS[1], 3, 1, 2) return redis.call('SMEMBERS', KEYS[1])", "1", s));
        Assert.Equal("*2\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("EVAL", "redis.call('SADD', KEYS[2], 2, 3, 4) return redis.call('SINTER', KEYS[1], KEYS[2])", "2", s, u));
        Assert.Equal(":4\r\n", _c.Call("EVAL", "return redis.call('SUNIONSTORE', KEYS[3], KEYS[1], KEYS[2])", "3", s, u, union));
        Assert.Equal("*2\r\n:1\r\n:0\r\n", _c.Call("EVAL", "return redis.call('SMISMEMBER', KEYS[1], 1, 4)", "1", s));
        Assert.Equal(":1\r\n", _c.Call("EVAL", "return redis.call('SINTERCARD', 2, KEYS[1], KEYS[2], 'LIMIT', 1)", "2", s, u));
        Assert.Equal(":1\r\n", _c.Call("EVAL", "return redis.call('SMOVE', KEYS[1], KEYS[2], 1)", "2", s, u));
        Assert.Equal("*0\r\n", _c.Call("EVAL", "return redis.call('SPOP', KEYS[1], 0)", "1", s));
        Assert.Equal("*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n", _c.Call("EVAL", "return redis.call('SPOP', KEYS[1], 10)", "1", union));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", _c.Call("EVAL", "return redis.pcall('SINTERCARD', 0, KEYS[1])", "1", s));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", _c.Call("EVAL", "return redis.pcall('SPOP', KEYS[1], -1)", "1", s));
    }

    [Fact]
    public void A_failed_script_leaves_sets_exactly_as_they_were()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", dest = t + "dest", created = t + "created";
        Assert.Equal(":3\r\n", _c.Call("SADD", a, "1", "2", "3"));
        Assert.Equal(":2\r\n", _c.Call("SADD", b, "x", "y"));
        Assert.Equal(":1\r\n", _c.Call("SADD", dest, "old"));
        const string script = """
            redis.call('SADD', KEYS[1], 'not-an-int', 4)
            redis.call('SREM', KEYS[1], 1)
            redis.call('SMOVE', KEYS[2], KEYS[1], 'x')
            redis.call('SPOP', KEYS[2])
            redis.call('SUNIONSTORE', KEYS[3], KEYS[1], KEYS[2])
            redis.call('SADD', KEYS[4], 'new')
            error('boom')
            """;
        Assert.StartsWith("-", _c.Call("EVAL", script, "4", a, b, dest, created));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("SMEMBERS", a));
        Assert.Equal("$6\r\nintset\r\n", _c.Call("OBJECT", "ENCODING", a));
        Assert.Equal(new[] { "x", "y" }, SortedMembers(b));
        Assert.Equal("*1\r\n$3\r\nold\r\n", _c.Call("SMEMBERS", dest));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", created));
    }

    [Fact]
    public async Task Concurrent_sadd_and_spop_on_one_set_are_exact()
    {
        var s = Tag() + "shared";
        const int connections = 16, perConnection = 150;
        // Dedicated threads: blocking sockets on pool threads would starve the in-process silos.
        var adders = Enumerable.Range(0, connections).Select(i => Task.Factory.StartNew(() =>
        {
            using var c = new RawRespClient(fixture.Ports[i % fixture.Ports.Length]);
            for (int n = 0; n < perConnection; n++)
            {
                Assert.Equal(":1\r\n", c.Call("SADD", s, $"c{i}:{n}"));
                Assert.StartsWith(":", c.Call("SADD", s, "shared"));
            }
        }, TaskCreationOptions.LongRunning));
        await Task.WhenAll(adders);
        Assert.Equal($":{connections * perConnection + 1}\r\n", _c.Call("SCARD", s));

        // Every member is popped by exactly one of the racing connections.
        var poppers = Enumerable.Range(0, connections).Select(i => Task.Factory.StartNew(() =>
        {
            using var c = new RawRespClient(fixture.Ports[i % fixture.Ports.Length]);
            var mine = new List<string>();
            string reply;
            while ((reply = c.Call("SPOP", s, "7")) != "*0\r\n") mine.AddRange(CollectionReplies.Items(reply));
            return mine;
        }, TaskCreationOptions.LongRunning));
        var popped = (await Task.WhenAll(poppers)).SelectMany(m => m).ToList();
        Assert.Equal(connections * perConnection + 1, popped.Count);
        Assert.Equal(popped.Count, popped.Distinct().Count());
        Assert.Equal(":0\r\n", _c.Call("EXISTS", s));
    }
}
