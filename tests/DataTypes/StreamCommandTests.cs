using System.Text.RegularExpressions;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.DataTypes;

/// <summary>
/// Stream commands over TCP. Expected replies were recorded from redis-server 7.0.15; IDs are
/// explicit wherever a reply is asserted byte for byte, time-based ones are checked by shape.
/// </summary>
[Collection(ClusterCollection.Name)]
public class StreamCommandTests(ClusterFixture fixture)
{
    private readonly RawRespClient _c = new(fixture.Port);
    /// <summary>A hash tag per test: its keys share a slot and never meet another test's.</summary>
    private readonly string _t = Tag();
    /// <summary>A second tag, for keys in another slot.</summary>
    private readonly string _t2 = Tag();

    private static string Tag() => "{" + Guid.NewGuid().ToString("N")[..8] + "}";

    private RawRespClient Resp3()
    {
        var client = new RawRespClient(fixture.Port);
        Assert.StartsWith("%", client.Call("HELLO", "3"));
        return client;
    }

    /// <summary>The IDs XRANGE key - + lists, in order.</summary>
    private List<string> RangeIds(string key) =>
        Regex.Matches(_c.Call("XRANGE", key, "-", "+"), @"\*2\r\n\$\d+\r\n(\d+-\d+)\r\n").Select(m => m.Groups[1].Value).ToList();

    private static int Compare(string a, string b)
    {
        static (ulong Ms, ulong Seq) Parse(string id) => (ulong.Parse(id.Split('-')[0]), ulong.Parse(id.Split('-')[1]));
        return Parse(a).CompareTo(Parse(b));
    }

    [Fact]
    public void Xadd_explicit_ids_xlen_xrange_xrevrange()
    {
        Assert.Equal("$3\r\n1-1\r\n", _c.Call("XADD", _t + "s", "1-1", "a", "1"));
        Assert.Equal("$3\r\n1-2\r\n", _c.Call("XADD", _t + "s", "1-*", "b", "2", "c", "3"));
        Assert.Equal("$3\r\n2-0\r\n", _c.Call("XADD", _t + "s", "2", "d", "4"));
        Assert.Equal("$3\r\n5-0\r\n", _c.Call("XADD", _t + "s", "5-*", "e", "5"));
        Assert.Equal(":4\r\n", _c.Call("XLEN", _t + "s"));
        Assert.Equal(":0\r\n", _c.Call("XLEN", _t + "none"));
        Assert.Equal("*4\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n", _c.Call("XRANGE", _t + "s", "-", "+"));
        Assert.Equal("*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("XRANGE", _t + "s", "-", "+", "COUNT", "2"));
        Assert.Equal("*2\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n", _c.Call("XRANGE", _t + "s", "(1-1", "(5-0"));
        Assert.Equal("*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("XRANGE", _t + "s", "1", "1"));
        Assert.Equal("*2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n", _c.Call("XRANGE", _t + "s", "2", "+"));
        Assert.Equal("*4\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", _c.Call("XREVRANGE", _t + "s", "+", "-"));
        Assert.Equal("*1\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n", _c.Call("XREVRANGE", _t + "s", "+", "-", "COUNT", "1"));
        Assert.Equal("*2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("XREVRANGE", _t + "s", "(5-0", "(1-1"));
        Assert.Equal("*0\r\n", _c.Call("XREVRANGE", _t + "s", "-", "+"));
        Assert.Equal("*-1\r\n", _c.Call("XRANGE", _t + "s", "-", "+", "COUNT", "0"));
        Assert.Equal("*-1\r\n", _c.Call("XRANGE", _t + "s", "-", "+", "COUNT", "-3"));
        Assert.Equal("*0\r\n", _c.Call("XRANGE", _t + "none", "-", "+"));
        Assert.Equal("*0\r\n", _c.Call("XRANGE", _t + "none", "-", "+", "COUNT", "0"));
        Assert.Equal("*0\r\n", _c.Call("XRANGE", _t + "s", "3", "2"));
    }

    [Fact]
    public void Xrange_errors()
    {
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("SET", _t + "str", "x");
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XRANGE", _t + "str", "-", "+"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XRANGE", _t + "s", "x", "+"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XRANGE", _t + "s", "(-", "+"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XRANGE", _t + "s", "-", "(+"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XRANGE", _t + "s", "1-*", "+"));
        Assert.Equal("-ERR invalid start ID for the interval\r\n", _c.Call("XRANGE", _t + "s", "(18446744073709551615-18446744073709551615", "+"));
        Assert.Equal("-ERR invalid end ID for the interval\r\n", _c.Call("XRANGE", _t + "s", "-", "(0-0"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XRANGE", _t + "s", "-", "+", "COUNT"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("XRANGE", _t + "s", "-", "+", "COUNT", "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XRANGE", _t + "s", "-", "+", "LIMIT", "1"));
        Assert.Equal("-ERR wrong number of arguments for 'xrange' command\r\n", _c.Call("XRANGE", _t + "s", "-"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XREVRANGE", _t + "s", "+", "x"));
    }

    [Fact]
    public void Xadd_errors()
    {
        _c.Call("SET", _t + "str", "x");
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XADD", _t + "str", "*", "a", "1"));
        Assert.Equal("-ERR The ID specified in XADD must be greater than 0-0\r\n", _c.Call("XADD", _t + "s", "0-0", "a", "1"));
        Assert.Equal("-ERR The ID specified in XADD must be greater than 0-0\r\n", _c.Call("XADD", _t + "s", "0", "a", "1"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XADD", _t + "s", "x", "a", "1"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XADD", _t + "s", "-", "a", "1"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XADD", _t + "s", "1-2-3", "a", "1"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XADD", _t + "s", "18446744073709551616", "a", "1"));
        Assert.Equal("-ERR wrong number of arguments for 'xadd' command\r\n", _c.Call("XADD", _t + "s", "*", "a"));
        Assert.Equal("-ERR wrong number of arguments for 'xadd' command\r\n", _c.Call("XADD", _t + "s", "*", "a", "1", "b"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XADD", _t + "s", "MAXLEN", "5", "a"));
        Assert.Equal("-ERR The MAXLEN argument must be >= 0.\r\n", _c.Call("XADD", _t + "s", "MAXLEN", "-1", "*", "a", "1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("XADD", _t + "s", "MAXLEN", "x", "*", "a", "1"));
        Assert.Equal("-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n", _c.Call("XADD", _t + "s", "MAXLEN", "1", "MINID", "1", "*", "a", "1"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XADD", _t + "s", "MINID", "-", "*", "a", "1"));
        Assert.Equal("-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n", _c.Call("XADD", _t + "s", "LIMIT", "10", "*", "a", "1"));
        Assert.Equal("-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n", _c.Call("XADD", _t + "s", "MAXLEN", "1", "LIMIT", "10", "*", "a", "1"));
        Assert.Equal("-ERR The LIMIT argument must be >= 0.\r\n", _c.Call("XADD", _t + "s", "LIMIT", "-1", "MAXLEN", "~", "1", "*", "a", "1"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", _t + "s"));
        Assert.Equal("$3\r\n5-5\r\n", _c.Call("XADD", _t + "s", "5-5", "a", "1"));
        Assert.Equal("-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n", _c.Call("XADD", _t + "s", "5-5", "a", "1"));
        Assert.Equal("-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n", _c.Call("XADD", _t + "s", "5-4", "a", "1"));
        Assert.Equal("-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n", _c.Call("XADD", _t + "s", "4-*", "a", "1"));
        Assert.Equal("-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n", _c.Call("XADD", _t + "s", "0-*", "a", "1"));
        Assert.Equal("$3\r\n5-6\r\n", _c.Call("XADD", _t + "s", "5-*", "a", "1"));
        Assert.Equal("$41\r\n18446744073709551615-18446744073709551615\r\n", _c.Call("XADD", _t + "s", "18446744073709551615-18446744073709551615", "a", "1"));
        Assert.Equal("-ERR The stream has exhausted the last possible ID, unable to add more items\r\n", _c.Call("XADD", _t + "s", "*", "a", "1"));
        Assert.Equal("-ERR The stream has exhausted the last possible ID, unable to add more items\r\n", _c.Call("XADD", _t + "s", "18446744073709551615-*", "a", "1"));
        Assert.Equal(":3\r\n", _c.Call("XLEN", _t + "s"));
    }

    /// <summary>Time-based IDs are checked by shape and order; a stream ahead of the clock keeps counting its sequence.</summary>
    [Fact]
    public void Xadd_auto_ids_increase()
    {
        Assert.Matches(@"(?s)^\$\d+\r\n\d{13,}-0\r\n$", _c.Call("XADD", _t + "s", "*", "a", "1"));
        Assert.Matches(@"(?s)^\$\d+\r\n\d{13,}-\d+\r\n$", _c.Call("XADD", _t + "s", "*", "a", "2"));
        var ids = RangeIds(_t + "s");
        Assert.Equal(2, ids.Count);
        Assert.True(Compare(ids[0], ids[1]) < 0);
        Assert.Equal("$16\r\n99999999999999-0\r\n", _c.Call("XADD", _t + "s", "99999999999999-*", "a", "3"));
        Assert.Equal("$16\r\n99999999999999-1\r\n", _c.Call("XADD", _t + "s", "99999999999999-*", "a", "4"));
        Assert.Equal("$16\r\n99999999999999-2\r\n", _c.Call("XADD", _t + "s", "*", "a", "5"));
        Assert.Equal("$16\r\n99999999999999-3\r\n", _c.Call("XADD", _t + "s", "*", "a", "6"));
    }

    [Fact]
    public void Xadd_nomkstream()
    {
        Assert.Equal("$-1\r\n", _c.Call("XADD", _t + "s", "NOMKSTREAM", "*", "a", "1"));
        using var r3 = Resp3();
        Assert.Equal("_\r\n", r3.Call("XADD", _t + "s", "NOMKSTREAM", "*", "a", "1"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", _t + "s"));
        Assert.Equal("$3\r\n1-1\r\n", _c.Call("XADD", _t + "s", "1-1", "a", "1"));
        Assert.Equal("$3\r\n2-1\r\n", _c.Call("XADD", _t + "s", "NOMKSTREAM", "2-1", "b", "2"));
        Assert.Equal("$3\r\n3-1\r\n", _c.Call("XADD", _t + "s", "nomkstream", "maxlen", "=", "1", "3-1", "c", "3"));
        Assert.Equal("*1\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("XRANGE", _t + "s", "-", "+"));
    }

    /// <summary>Approximate trimming removes whole nodes of 100 entries only, as Redis does.</summary>
    [Fact]
    public void Xtrim_exact_and_approximate()
    {
        for (int i = 1; i <= 250; i++) _c.Call("XADD", _t + "s", $"{i}-1", "f", "v");
        Assert.Equal(":100\r\n", _c.Call("XTRIM", _t + "s", "MAXLEN", "~", "150"));
        Assert.Equal(":0\r\n", _c.Call("XTRIM", _t + "s", "MAXLEN", "~", "120"));
        Assert.Equal(":0\r\n", _c.Call("XTRIM", _t + "s", "MAXLEN", "~", "0", "LIMIT", "60"));
        Assert.Equal(":100\r\n", _c.Call("XTRIM", _t + "s", "MINID", "~", "201"));
        Assert.Equal(":50\r\n", _c.Call("XLEN", _t + "s"));
        Assert.Equal(":0\r\n", _c.Call("XTRIM", _t + "s", "MINID", "~", "250"));
        Assert.Equal(":44\r\n", _c.Call("XTRIM", _t + "s", "MINID", "245"));
        Assert.Equal(":3\r\n", _c.Call("XTRIM", _t + "s", "MAXLEN", "=", "3"));
        Assert.Equal("*3\r\n*2\r\n$5\r\n248-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$5\r\n249-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$5\r\n250-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n", _c.Call("XRANGE", _t + "s", "-", "+"));
        Assert.Equal(":3\r\n", _c.Call("XTRIM", _t + "s", "MAXLEN", "~", "0", "LIMIT", "0"));
        Assert.Equal(":0\r\n", _c.Call("XLEN", _t + "s"));
        Assert.Equal(":1\r\n", _c.Call("EXISTS", _t + "s"));
        Assert.Equal("$5\r\n300-1\r\n", _c.Call("XADD", _t + "s", "MAXLEN", "~", "0", "LIMIT", "0", "300-1", "f", "v"));
        Assert.Equal(":0\r\n", _c.Call("XLEN", _t + "s"));
        Assert.Equal(":0\r\n", _c.Call("XTRIM", _t + "none", "MAXLEN", "0"));
    }

    [Fact]
    public void Xtrim_errors()
    {
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("SET", _t + "str", "x");
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XTRIM", _t + "str", "MAXLEN", "0"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XTRIM", _t + "s", "FOO", "1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("XTRIM", _t + "s", "MAXLEN", "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XTRIM", _t + "s", "MAXLEN", "1", "junk"));
        Assert.Equal("-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n", _c.Call("XTRIM", _t + "s", "LIMIT", "5"));
        Assert.Equal("-ERR syntax error, XTRIM must be called with a trimming strategy\r\n", _c.Call("XTRIM", _t + "s", "LIMIT", "0", "LIMIT", "0"));
        Assert.Equal("-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n", _c.Call("XTRIM", _t + "s", "MAXLEN", "1", "LIMIT", "5"));
        Assert.Equal("-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n", _c.Call("XTRIM", _t + "s", "MAXLEN", "1", "MINID", "1"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XTRIM", _t + "s", "MINID", "~"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XTRIM", _t + "s", "MAXLEN", "~", "0", "NOMKSTREAM"));
        Assert.Equal("-ERR wrong number of arguments for 'xtrim' command\r\n", _c.Call("XTRIM", _t + "s", "MAXLEN"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XTRIM", _t + "none", "FOO", "1"));
        Assert.Equal(":1\r\n", _c.Call("XLEN", _t + "s"));
    }

    [Fact]
    public void Xadd_trims_after_adding()
    {
        for (int i = 1; i <= 100; i++) _c.Call("XADD", _t + "s", $"{i}-1", "f", "v");
        Assert.Equal("$5\r\n101-1\r\n", _c.Call("XADD", _t + "s", "MAXLEN", "~", "50", "101-1", "f", "v"));
        Assert.Equal(":101\r\n", _c.Call("XLEN", _t + "s"));
        for (int i = 102; i <= 200; i++) _c.Call("XADD", _t + "s", $"{i}-1", "f", "v");
        Assert.Equal("$5\r\n201-1\r\n", _c.Call("XADD", _t + "s", "MAXLEN", "~", "50", "201-1", "f", "v"));
        Assert.Equal(":101\r\n", _c.Call("XLEN", _t + "s"));
        Assert.Equal("$5\r\n202-1\r\n", _c.Call("XADD", _t + "s", "MAXLEN", "~", "50", "LIMIT", "99", "202-1", "f", "v"));
        Assert.Equal(":102\r\n", _c.Call("XLEN", _t + "s"));
        Assert.Equal("$5\r\n203-1\r\n", _c.Call("XADD", _t + "s", "MINID", "199", "203-1", "f", "v"));
        Assert.Equal("*1\r\n*2\r\n$5\r\n199-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n", _c.Call("XRANGE", _t + "s", "-", "+", "COUNT", "1"));
        Assert.Equal("$5\r\n204-1\r\n", _c.Call("XADD", _t + "s", "MAXLEN", "2", "204-1", "f", "v"));
        Assert.Equal("*2\r\n*2\r\n$5\r\n203-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$5\r\n204-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n", _c.Call("XRANGE", _t + "s", "-", "+"));
    }

    /// <summary>Nodes split at 100 entries or 4096 listpack bytes, so radix-tree-keys/nodes match Redis.</summary>
    [Fact]
    public void Xinfo_stream_counters_and_nodes()
    {
        Assert.Equal("$3\r\n1-1\r\n", _c.Call("XADD", _t + "s", "1-1", "a", "1"));
        Assert.Equal("*20\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n1-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:1\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", _c.Call("XINFO", "STREAM", _t + "s"));
        Assert.Equal("$3\r\n1-2\r\n", _c.Call("XADD", _t + "s", "1-2", "a", "2", "b", "3"));
        Assert.Equal(":1\r\n", _c.Call("XDEL", _t + "s", "1-1", "9-9"));
        Assert.Equal("*20\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n1-2\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-1\r\n$13\r\nentries-added\r\n:2\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-2\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n", _c.Call("XINFO", "STREAM", _t + "s"));
        Assert.Equal(":1\r\n", _c.Call("XDEL", _t + "s", "1-2"));
        Assert.Equal("*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n1-2\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-2\r\n$13\r\nentries-added\r\n:2\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n", _c.Call("XINFO", "STREAM", _t + "s"));
        using var r3 = Resp3();
        Assert.Equal("%10\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n1-2\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-2\r\n$13\r\nentries-added\r\n:2\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n_\r\n$10\r\nlast-entry\r\n_\r\n", r3.Call("XINFO", "STREAM", _t + "s"));
        for (int i = 2; i <= 251; i++) _c.Call("XADD", _t + "s", $"{i}-1", "field", "value");
        Assert.Equal("*20\r\n$6\r\nlength\r\n:250\r\n$15\r\nradix-tree-keys\r\n:3\r\n$16\r\nradix-tree-nodes\r\n:8\r\n$17\r\nlast-generated-id\r\n$5\r\n251-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-2\r\n$13\r\nentries-added\r\n:252\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n2-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$5\r\nfield\r\n$5\r\nvalue\r\n$10\r\nlast-entry\r\n*2\r\n$5\r\n251-1\r\n*2\r\n$5\r\nfield\r\n$5\r\nvalue\r\n", _c.Call("XINFO", "STREAM", _t + "s"));
        for (int i = 300; i <= 340; i++) _c.Call("XADD", _t + "s", $"{i}-1", "big", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        Assert.Equal("*20\r\n$6\r\nlength\r\n:291\r\n$15\r\nradix-tree-keys\r\n:5\r\n$16\r\nradix-tree-nodes\r\n:14\r\n$17\r\nlast-generated-id\r\n$5\r\n340-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-2\r\n$13\r\nentries-added\r\n:293\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n2-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$5\r\nfield\r\n$5\r\nvalue\r\n$10\r\nlast-entry\r\n*2\r\n$5\r\n340-1\r\n*2\r\n$3\r\nbig\r\n$200\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n", _c.Call("XINFO", "STREAM", _t + "s"));
        Assert.Equal(":291\r\n", _c.Call("XTRIM", _t + "s", "MAXLEN", "0"));
        Assert.Equal("*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$5\r\n340-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-2\r\n$13\r\nentries-added\r\n:293\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n", _c.Call("XINFO", "STREAM", _t + "s"));
    }

    /// <summary>An emptied stream stays (Redis keeps it).</summary>
    [Fact]
    public void Xdel()
    {
        _c.Call("SET", _t + "str", "x");
        Assert.Equal(":0\r\n", _c.Call("XDEL", _t + "none", "x"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XDEL", _t + "str", "1-1"));
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("XADD", _t + "s", "2-1", "b", "2");
        _c.Call("XADD", _t + "s", "3-1", "c", "3");
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XDEL", _t + "s", "1-1", "x"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XDEL", _t + "s", "-"));
        Assert.Equal(":3\r\n", _c.Call("XLEN", _t + "s"));
        Assert.Equal(":1\r\n", _c.Call("XDEL", _t + "s", "2-1", "2-1", "7"));
        Assert.Equal("*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("XRANGE", _t + "s", "-", "+"));
        Assert.Equal(":2\r\n", _c.Call("XDEL", _t + "s", "1-1", "3-1"));
        Assert.Equal(":0\r\n", _c.Call("XLEN", _t + "s"));
        Assert.Equal(":1\r\n", _c.Call("EXISTS", _t + "s"));
        Assert.Equal("+stream\r\n", _c.Call("TYPE", _t + "s"));
        Assert.Equal("-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n", _c.Call("XADD", _t + "s", "2-5", "d", "4"));
    }

    [Fact]
    public void Xsetid()
    {
        _c.Call("SET", _t + "str", "x");
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("XADD", _t + "s", "2-1", "a", "1");
        Assert.Equal("-ERR The ID specified in XSETID is smaller than the target stream top item\r\n", _c.Call("XSETID", _t + "s", "1-1"));
        Assert.Equal("+OK\r\n", _c.Call("XSETID", _t + "s", "2-1"));
        Assert.Equal("+OK\r\n", _c.Call("XSETID", _t + "s", "3"));
        Assert.Equal("-ERR no such key\r\n", _c.Call("XSETID", _t + "none", "3"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XSETID", _t + "str", "3"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XSETID", _t + "s", "x"));
        Assert.Equal("-ERR The entries_added specified in XSETID is smaller than the target stream length\r\n", _c.Call("XSETID", _t + "s", "4", "ENTRIESADDED", "1"));
        Assert.Equal("-ERR entries_added must be positive\r\n", _c.Call("XSETID", _t + "s", "4", "ENTRIESADDED", "-1"));
        Assert.Equal("-ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id\r\n", _c.Call("XSETID", _t + "s", "4", "MAXDELETEDID", "5"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XSETID", _t + "s", "4", "FOO"));
        Assert.Equal("+OK\r\n", _c.Call("XSETID", _t + "s", "4", "ENTRIESADDED", "7", "MAXDELETEDID", "3"));
        Assert.Equal("*20\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n4-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-0\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", _c.Call("XINFO", "STREAM", _t + "s"));
        Assert.Equal("$3\r\n4-1\r\n", _c.Call("XADD", _t + "s", "4-*", "a", "1"));
        Assert.Equal("-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n", _c.Call("XADD", _t + "s", "3-9", "a", "1"));
    }

    /// <summary>Nothing to serve replies a null array, as a BLOCK that timed out.</summary>
    [Fact]
    public void Xread()
    {
        _c.Call("SET", _t + "str", "x");
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("XADD", _t + "s", "2-1", "b", "2");
        _c.Call("XADD", _t + "t", "5-5", "z", "9");
        Assert.Equal($"*2\r\n*2\r\n$11\r\n{_t}s\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$11\r\n{_t}t\r\n*1\r\n*2\r\n$3\r\n5-5\r\n*2\r\n$1\r\nz\r\n$1\r\n9\r\n", _c.Call("XREAD", "STREAMS", _t + "s", _t + "t", "0", "0"));
        Assert.Equal($"*2\r\n*2\r\n$11\r\n{_t}s\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$11\r\n{_t}t\r\n*1\r\n*2\r\n$3\r\n5-5\r\n*2\r\n$1\r\nz\r\n$1\r\n9\r\n", _c.Call("XREAD", "COUNT", "1", "STREAMS", _t + "s", _t + "t", "1-1", "0"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", _c.Call("XREAD", "COUNT", "0", "STREAMS", _t + "s", "0"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", _c.Call("XREAD", "COUNT", "-1", "STREAMS", _t + "s", "0"));
        Assert.Equal("*-1\r\n", _c.Call("XREAD", "STREAMS", _t + "s", _t + "t", "$", "$"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", _c.Call("XREAD", "STREAMS", _t + "s", _t + "none", "0", "0"));
        Assert.Equal("*-1\r\n", _c.Call("XREAD", "STREAMS", _t + "s", "2-1"));
        Assert.Equal("*-1\r\n", _c.Call("XREAD", "STREAMS", _t + "s", "18446744073709551615-18446744073709551615"));
        Assert.Equal("*-1\r\n", _c.Call("XREAD", "BLOCK", "10", "STREAMS", _t + "s", "$"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", _c.Call("XREAD", "BLOCK", "0", "STREAMS", _t + "s", "1"));
        Assert.Equal(":1\r\n", _c.Call("XDEL", _t + "s", "2-1"));
        Assert.Equal("*-1\r\n", _c.Call("XREAD", "STREAMS", _t + "s", "1-1"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", _c.Call("XREAD", "STREAMS", _t + "s", "1-0"));
        using var r3 = Resp3();
        Assert.Equal($"%2\r\n$11\r\n{_t}s\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$11\r\n{_t}t\r\n*1\r\n*2\r\n$3\r\n5-5\r\n*2\r\n$1\r\nz\r\n$1\r\n9\r\n", r3.Call("XREAD", "STREAMS", _t + "s", _t + "t", "0", "0"));
        Assert.Equal("_\r\n", r3.Call("XREAD", "STREAMS", _t + "s", "$"));
    }

    [Fact]
    public void Xread_errors()
    {
        _c.Call("SET", _t + "str", "x");
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        Assert.Equal("-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n", _c.Call("XREAD", "STREAMS", _t + "s", _t + "t", "0"));
        Assert.Equal("-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n", _c.Call("xread", "streams", _t + "s", "1", "2"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("XREAD", "COUNT", "x", "STREAMS", _t + "s", "0"));
        Assert.Equal("-ERR timeout is not an integer or out of range\r\n", _c.Call("XREAD", "BLOCK", "x", "STREAMS", _t + "s", "0"));
        Assert.Equal("-ERR timeout is negative\r\n", _c.Call("XREAD", "BLOCK", "-1", "STREAMS", _t + "s", "0"));
        Assert.Equal("-ERR timeout is not an integer or out of range\r\n", _c.Call("XREAD", "BLOCK", "1.5", "STREAMS", _t + "s", "0"));
        Assert.Equal("-ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.\r\n", _c.Call("XREAD", "STREAMS", _t + "s", ">"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XREAD", "STREAMS", _t + "str", "0"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XREAD", "STREAMS", _t + "s", "x"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XREAD", "STREAMS", _t + "s", "-"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XREAD", "FOO", "STREAMS", _t + "s", "0"));
        Assert.Equal("-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.\r\n", _c.Call("XREAD", "GROUP", "g", "c", "STREAMS", _t + "s", "0"));
        Assert.Equal("-ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.\r\n", _c.Call("XREAD", "NOACK", "STREAMS", _t + "s", "0"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XREAD", "COUNT", "1", "STREAMS"));
        Assert.Equal("-ERR wrong number of arguments for 'xread' command\r\n", _c.Call("XREAD", "COUNT", "1"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XREAD", "STREAMS", _t + "s", _t + "s", "STREAMS", "0"));
    }

    [Fact]
    public void Xgroup_subcommands()
    {
        _c.Call("SET", _t + "str", "x");
        Assert.Equal("-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g", "$"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XGROUP", "CREATE", _t + "str", "g", "$"));
        Assert.Equal("+OK\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g", "$", "MKSTREAM"));
        Assert.Equal("-BUSYGROUP Consumer Group name already exists\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g", "$", "MKSTREAM"));
        Assert.Equal("+stream\r\n", _c.Call("TYPE", _t + "s"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g2", "x"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g2", "-"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g3", "5", "FOO"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'create'. Try XGROUP HELP.\r\n", _c.Call("XGROUP", "create", _t + "s", "g3", "5", "ENTRIESREAD"));
        Assert.Equal("-ERR value for ENTRIESREAD must be positive or -1\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g3", "5", "ENTRIESREAD", "-2"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g3", "5", "ENTRIESREAD", "x"));
        Assert.Equal("+OK\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g3", "5", "ENTRIESREAD", "3", "MKSTREAM"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g4", "5", "MKSTREAM", "MKSTREAM", "MKSTREAM", "MKSTREAM"));
        Assert.Equal($"-NOGROUP No such consumer group 'nog' for key name '{_t}s'\r\n", _c.Call("XGROUP", "SETID", _t + "s", "nog", "0"));
        Assert.Equal("-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n", _c.Call("XGROUP", "SETID", _t + "none", "g", "0"));
        Assert.Equal("-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n", _c.Call("XGROUP", "DESTROY", _t + "none", "g"));
        Assert.Equal(":0\r\n", _c.Call("XGROUP", "DESTROY", _t + "s", "nog"));
        Assert.Equal(":0\r\n", _c.Call("XGROUP", "DESTROY", _t + "s", "g4"));
        Assert.Equal($"-NOGROUP No such consumer group 'nog' for key name '{_t}s'\r\n", _c.Call("XGROUP", "CREATECONSUMER", _t + "s", "nog", "c"));
        Assert.Equal(":1\r\n", _c.Call("XGROUP", "CREATECONSUMER", _t + "s", "g", "c"));
        Assert.Equal(":0\r\n", _c.Call("XGROUP", "CREATECONSUMER", _t + "s", "g", "c"));
        Assert.Equal(":0\r\n", _c.Call("XGROUP", "DELCONSUMER", _t + "s", "g", "c"));
        Assert.Equal(":0\r\n", _c.Call("XGROUP", "DELCONSUMER", _t + "s", "g", "c"));
        Assert.Equal($"-NOGROUP No such consumer group 'nog' for key name '{_t}s'\r\n", _c.Call("XGROUP", "DELCONSUMER", _t + "s", "nog", "c"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XGROUP", "SETID", _t + "s", "g", "x"));
        Assert.Equal("+OK\r\n", _c.Call("XGROUP", "SETID", _t + "s", "g", "+"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP.\r\n", _c.Call("XGROUP", "SETID", _t + "s", "g", "5", "MKSTREAM"));
        Assert.Equal("+OK\r\n", _c.Call("XGROUP", "SETID", _t + "s", "g", "5", "ENTRIESREAD", "5"));
        Assert.Equal("*2\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng3\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n", _c.Call("XINFO", "GROUPS", _t + "s"));
        Assert.Equal("+OK\r\n", _c.Call("XGROUP", "SETID", _t + "s", "g", "$"));
        Assert.Equal("*2\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng3\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n", _c.Call("XINFO", "GROUPS", _t + "s"));
        Assert.Equal("-ERR unknown subcommand 'FOO'. Try XGROUP HELP.\r\n", _c.Call("XGROUP", "FOO", _t + "s", "g"));
        Assert.Equal("-ERR wrong number of arguments for 'xgroup|create' command\r\n", _c.Call("XGROUP", "CREATE", _t + "s"));
        Assert.Equal("-ERR wrong number of arguments for 'xgroup|destroy' command\r\n", _c.Call("XGROUP", "DESTROY", _t + "s", "g", "extra"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g5", "$", "ENTRIESREAD", "1", "MKSTREAM", "x"));
    }

    [Fact]
    public void Xreadgroup_new_entries_history_and_noack()
    {
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("XADD", _t + "s", "2-1", "b", "2");
        _c.Call("XADD", _t + "s", "3-1", "c", "3");
        Assert.Equal("+OK\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g", "0"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", _c.Call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", _t + "s", ">"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*2\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", _t + "s", ">"));
        Assert.Equal("*-1\r\n", _c.Call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", _t + "s", ">"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", _t + "s", "0"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", _c.Call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", _t + "s", "1-1"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*0\r\n", _c.Call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", _t + "s", "0"));
        Assert.Equal("*-1\r\n", _c.Call("XREADGROUP", "GROUP", "g", "carol", "STREAMS", _t + "s", ">"));
        Assert.Equal("*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n", _c.Call("XINFO", "GROUPS", _t + "s"));
        Assert.Equal("+OK\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g2", "1-1"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*2\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("XREADGROUP", "GROUP", "g2", "bob", "NOACK", "STREAMS", _t + "s", ">"));
        Assert.Equal("*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n", _c.Call("XPENDING", _t + "s", "g2"));
        Assert.Equal(":1\r\n", _c.Call("XDEL", _t + "s", "2-1"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*-1\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", _t + "s", "0"));
        using var r3 = Resp3();
        Assert.Equal($"%1\r\n$11\r\n{_t}s\r\n*3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n_\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", r3.Call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", _t + "s", "0"));
        Assert.Equal("+OK\r\n", _c.Call("XGROUP", "SETID", _t + "s", "g", "0"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", _t + "s", ">"));
        Assert.Equal("*4\r\n:3\r\n$3\r\n1-1\r\n$3\r\n3-1\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n", _c.Call("XPENDING", _t + "s", "g"));
        Assert.Equal("_\r\n", r3.Call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", _t + "s", ">"));
        Assert.Equal("*2\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n", _c.Call("XINFO", "GROUPS", _t + "s"));
    }

    /// <summary>A consumer is created only when the read serves it something.</summary>
    [Fact]
    public void Xreadgroup_errors_and_consumer_creation()
    {
        _c.Call("SET", _t + "str", "x");
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("XGROUP", "CREATE", _t + "s", "g", "0");
        Assert.Equal("-ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.\r\n", _c.Call("XREADGROUP", "GROUP", "g", "c", "STREAMS", _t + "s", "$"));
        Assert.Equal($"-NOGROUP No such key '{_t}s' or consumer group 'nog' in XREADGROUP with GROUP option\r\n", _c.Call("XREADGROUP", "GROUP", "nog", "c", "STREAMS", _t + "s", ">"));
        Assert.Equal($"-NOGROUP No such key '{_t}none' or consumer group 'g' in XREADGROUP with GROUP option\r\n", _c.Call("XREADGROUP", "GROUP", "g", "c", "STREAMS", _t + "none", ">"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XREADGROUP", "GROUP", "g", "c", "STREAMS", _t + "str", ">"));
        Assert.Equal($"-NOGROUP No such key '{_t}none' or consumer group 'g' in XREADGROUP with GROUP option\r\n", _c.Call("XREADGROUP", "GROUP", "g", "c", "STREAMS", _t + "s", _t + "none", ">", ">"));
        Assert.Equal("-ERR wrong number of arguments for 'xreadgroup' command\r\n", _c.Call("XREADGROUP", "STREAMS", _t + "s", ">"));
        Assert.Equal("-ERR wrong number of arguments for 'xreadgroup' command\r\n", _c.Call("XREADGROUP", "COUNT", "1", "STREAMS", _t + "s", ">"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XREADGROUP", "GROUP", "g", "c", "STREAMS", _t + "s", "x"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XREADGROUP", "GROUP", "g", "c", "STREAMS", _t + "s", "-"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("XREADGROUP", "GROUP", "g", "c", "COUNT", "x", "STREAMS", _t + "s", ">"));
        Assert.Equal("-ERR timeout is negative\r\n", _c.Call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "-1", "STREAMS", _t + "s", ">"));
        Assert.Equal("-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n", _c.Call("XREADGROUP", "GROUP", "g", "c", "STREAMS", _t + "s", _t + "s", ">"));
        Assert.Equal("*0\r\n", _c.Call("XINFO", "CONSUMERS", _t + "s", "g"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", _c.Call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "NOACK", "STREAMS", _t + "s", ">"));
        Assert.Equal("*-1\r\n", _c.Call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "STREAMS", _t + "s", ">"));
        Assert.Equal("*-1\r\n", _c.Call("XREADGROUP", "GROUP", "g", "d", "STREAMS", _t + "s", "18446744073709551615-18446744073709551615"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*0\r\n", _c.Call("XREADGROUP", "GROUP", "g", "e", "STREAMS", _t + "s", "18446744073709551615-18446744073709551614"));
        Assert.Matches(@"(?s)^\*2\r\n\*6\r\n\$4\r\nname\r\n\$1\r\nc\r\n\$7\r\npending\r\n:0\r\n\$4\r\nidle\r\n:\d+\r\n\*6\r\n\$4\r\nname\r\n\$1\r\ne\r\n\$7\r\npending\r\n:0\r\n\$4\r\nidle\r\n:\d+\r\n$", _c.Call("XINFO", "CONSUMERS", _t + "s", "g"));
    }

    [Fact]
    public void Xack()
    {
        _c.Call("SET", _t + "str", "x");
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("XADD", _t + "s", "2-1", "b", "2");
        _c.Call("XGROUP", "CREATE", _t + "s", "g", "0");
        _c.Call("XREADGROUP", "GROUP", "g", "c", "STREAMS", _t + "s", ">");
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XACK", _t + "str", "g", "1-1"));
        Assert.Equal(":0\r\n", _c.Call("XACK", _t + "none", "g", "1-1"));
        Assert.Equal(":0\r\n", _c.Call("XACK", _t + "s", "nog", "1-1"));
        Assert.Equal(":0\r\n", _c.Call("XACK", _t + "s", "nog", "x"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XACK", _t + "s", "g", "1-1", "x"));
        Assert.Equal(":1\r\n", _c.Call("XACK", _t + "s", "g", "1-1", "1-1", "9-9"));
        Assert.Equal(":0\r\n", _c.Call("XACK", _t + "s", "g", "1-1"));
        Assert.Equal("*4\r\n:1\r\n$3\r\n2-1\r\n$3\r\n2-1\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n", _c.Call("XPENDING", _t + "s", "g"));
        Assert.Equal(":1\r\n", _c.Call("XACK", _t + "s", "g", "2-1"));
        Assert.Equal("*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n", _c.Call("XPENDING", _t + "s", "g"));
        using var r3 = Resp3();
        Assert.Equal("*4\r\n:0\r\n_\r\n_\r\n_\r\n", r3.Call("XPENDING", _t + "s", "g"));
    }

    [Fact]
    public void Xgroup_delconsumer_and_destroy_drop_pending_entries()
    {
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("XADD", _t + "s", "2-1", "b", "2");
        _c.Call("XGROUP", "CREATE", _t + "s", "g", "0");
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", _c.Call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", _t + "s", ">"));
        Assert.Equal(":1\r\n", _c.Call("XGROUP", "CREATECONSUMER", _t + "s", "g", "bob"));
        Assert.Equal("*1\r\n$3\r\n2-1\r\n", _c.Call("XCLAIM", _t + "s", "g", "bob", "0", "2-1", "JUSTID"));
        Assert.Equal(":1\r\n", _c.Call("XGROUP", "DELCONSUMER", _t + "s", "g", "alice"));
        Assert.Equal("*4\r\n:1\r\n$3\r\n2-1\r\n$3\r\n2-1\r\n*1\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n", _c.Call("XPENDING", _t + "s", "g"));
        Assert.Equal("*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-1\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n:0\r\n", _c.Call("XINFO", "GROUPS", _t + "s"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*0\r\n", _c.Call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", _t + "s", "0"));
        Assert.Equal(":1\r\n", _c.Call("XGROUP", "DESTROY", _t + "s", "g"));
        Assert.Equal("*0\r\n", _c.Call("XINFO", "GROUPS", _t + "s"));
        Assert.Equal($"-NOGROUP No such key '{_t}s' or consumer group 'g' in XREADGROUP with GROUP option\r\n", _c.Call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", _t + "s", "0"));
        Assert.Equal("+OK\r\n", _c.Call("XGROUP", "CREATE", _t + "s", "g", "0"));
        Assert.Equal(":1\r\n", _c.Call("XGROUP", "CREATECONSUMER", _t + "s", "g", "c"));
        using var r3 = Resp3();
        Assert.Matches(@"(?s)^\*1\r\n%3\r\n\$4\r\nname\r\n\$1\r\nc\r\n\$7\r\npending\r\n:0\r\n\$4\r\nidle\r\n:\d+\r\n$", r3.Call("XINFO", "CONSUMERS", _t + "s", "g"));
    }

    [Fact]
    public void Xpending_summary_and_extended()
    {
        _c.Call("SET", _t + "str", "x");
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("XADD", _t + "s", "2-1", "b", "2");
        _c.Call("XADD", _t + "s", "3-1", "c", "3");
        _c.Call("XGROUP", "CREATE", _t + "s", "g", "0");
        _c.Call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", _t + "s", ">");
        _c.Call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", _t + "s", ">");
        Assert.Equal("*4\r\n:3\r\n$3\r\n1-1\r\n$3\r\n3-1\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n2\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n", _c.Call("XPENDING", _t + "s", "g"));
        Assert.Matches(@"(?s)^\*3\r\n\*4\r\n\$3\r\n1-1\r\n\$5\r\nalice\r\n:\d+\r\n:1\r\n\*4\r\n\$3\r\n2-1\r\n\$5\r\nalice\r\n:\d+\r\n:1\r\n\*4\r\n\$3\r\n3-1\r\n\$3\r\nbob\r\n:\d+\r\n:1\r\n$", _c.Call("XPENDING", _t + "s", "g", "-", "+", "10"));
        Assert.Matches(@"(?s)^\*1\r\n\*4\r\n\$3\r\n2-1\r\n\$5\r\nalice\r\n:\d+\r\n:1\r\n$", _c.Call("XPENDING", _t + "s", "g", "(1-1", "+", "10", "alice"));
        Assert.Matches(@"(?s)^\*1\r\n\*4\r\n\$3\r\n1-1\r\n\$5\r\nalice\r\n:\d+\r\n:1\r\n$", _c.Call("XPENDING", _t + "s", "g", "-", "(2-1", "1"));
        Assert.Equal("*0\r\n", _c.Call("XPENDING", _t + "s", "g", "-", "+", "10", "nobody"));
        Assert.Equal("*0\r\n", _c.Call("XPENDING", _t + "s", "g", "IDLE", "100000", "-", "+", "10"));
        Assert.Matches(@"(?s)^\*1\r\n\*4\r\n\$3\r\n3-1\r\n\$3\r\nbob\r\n:\d+\r\n:1\r\n$", _c.Call("XPENDING", _t + "s", "g", "IDLE", "0", "-", "+", "10", "bob"));
        Assert.Equal("*0\r\n", _c.Call("XPENDING", _t + "s", "g", "-", "+", "0"));
        Assert.Equal("*0\r\n", _c.Call("XPENDING", _t + "s", "g", "-", "+", "-5"));
        Assert.Equal("*0\r\n", _c.Call("XPENDING", _t + "s", "g", "3", "2", "10"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XPENDING", _t + "str", "g"));
        Assert.Equal($"-NOGROUP No such key '{_t}s' or consumer group 'nog'\r\n", _c.Call("XPENDING", _t + "s", "nog"));
        Assert.Equal($"-NOGROUP No such key '{_t}none' or consumer group 'g'\r\n", _c.Call("XPENDING", _t + "none", "g"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XPENDING", _t + "s", "g", "-", "+"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("XPENDING", _t + "s", "g", "-", "+", "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XPENDING", _t + "s", "g", "IDLE", "5", "-", "+"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("XPENDING", _t + "s", "g", "IDLE", "x", "-", "+", "1"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XPENDING", _t + "s", "g", "x", "+", "1"));
        Assert.Equal("-ERR invalid start ID for the interval\r\n", _c.Call("XPENDING", _t + "s", "g", "(18446744073709551615-18446744073709551615", "+", "1"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XPENDING", _t + "s", "g", "-", "+", "1", "alice", "a", "b", "c"));
    }

    [Fact]
    public void Xclaim()
    {
        _c.Call("SET", _t + "str", "x");
        _c.Call("XADD", _t + "s", "1-1", "k", "1");
        _c.Call("XADD", _t + "s", "2-1", "k", "2");
        _c.Call("XADD", _t + "s", "3-1", "k", "3");
        _c.Call("XADD", _t + "s", "4-1", "k", "4");
        _c.Call("XGROUP", "CREATE", _t + "s", "g", "0");
        _c.Call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", _t + "s", ">");
        Assert.Equal("*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nk\r\n$1\r\n1\r\n", _c.Call("XCLAIM", _t + "s", "g", "bob", "0", "1-1"));
        Assert.Equal("*2\r\n$3\r\n1-1\r\n$3\r\n2-1\r\n", _c.Call("XCLAIM", _t + "s", "g", "bob", "0", "1-1", "2-1", "JUSTID"));
        Assert.Equal("*4\r\n:4\r\n$3\r\n1-1\r\n$3\r\n4-1\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n2\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n", _c.Call("XPENDING", _t + "s", "g"));
        Assert.Equal("*1\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nk\r\n$1\r\n3\r\n", _c.Call("XCLAIM", _t + "s", "g", "bob", "0", "3-1", "RETRYCOUNT", "7", "IDLE", "5000"));
        Assert.Matches(@"(?s)^\*1\r\n\*4\r\n\$3\r\n3-1\r\n\$3\r\nbob\r\n:5\d\d\d\r\n:7\r\n$", _c.Call("XPENDING", _t + "s", "g", "3-1", "3-1", "1"));
        Assert.Equal("*1\r\n$3\r\n3-1\r\n", _c.Call("XCLAIM", _t + "s", "g", "carol", "4000", "3-1", "4-1", "JUSTID"));
        Assert.Equal("*1\r\n$3\r\n3-1\r\n", _c.Call("XCLAIM", _t + "s", "g", "carol", "0", "3-1", "TIME", "1000", "JUSTID"));
        Assert.Matches(@"(?s)^\*1\r\n\*4\r\n\$3\r\n3-1\r\n\$5\r\ncarol\r\n:\d{13,}\r\n:7\r\n$", _c.Call("XPENDING", _t + "s", "g", "3-1", "3-1", "1"));
        Assert.Equal("*0\r\n", _c.Call("XCLAIM", _t + "s", "g", "bob", "0", "9-9"));
        Assert.Equal("*0\r\n", _c.Call("XCLAIM", _t + "s", "g", "bob", "0", "9-9", "FORCE"));
        Assert.Equal(":1\r\n", _c.Call("XDEL", _t + "s", "4-1"));
        Assert.Equal("*0\r\n", _c.Call("XCLAIM", _t + "s", "g", "dave", "0", "4-1"));
        Assert.Equal("*4\r\n:3\r\n$3\r\n1-1\r\n$3\r\n3-1\r\n*2\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n*2\r\n$5\r\ncarol\r\n$1\r\n1\r\n", _c.Call("XPENDING", _t + "s", "g"));
        Assert.Equal("$3\r\n5-1\r\n", _c.Call("XADD", _t + "s", "5-1", "k", "5"));
        Assert.Equal("*1\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\nk\r\n$1\r\n5\r\n", _c.Call("XCLAIM", _t + "s", "g", "erin", "0", "5-1", "FORCE"));
        Assert.Equal("*1\r\n$3\r\n5-1\r\n", _c.Call("XCLAIM", _t + "s", "g", "erin", "0", "5-1", "FORCE", "JUSTID"));
        Assert.Matches(@"(?s)^\*1\r\n\*4\r\n\$3\r\n5-1\r\n\$4\r\nerin\r\n:\d+\r\n:2\r\n$", _c.Call("XPENDING", _t + "s", "g", "5-1", "5-1", "1"));
        Assert.Equal("*1\r\n$3\r\n1-1\r\n", _c.Call("XCLAIM", _t + "s", "g", "erin", "0", "1-1", "LASTID", "10-0", "JUSTID"));
        Assert.Equal("*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:4\r\n$7\r\npending\r\n:4\r\n$17\r\nlast-delivered-id\r\n$4\r\n10-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:1\r\n", _c.Call("XINFO", "GROUPS", _t + "s"));
        Assert.Equal("*1\r\n$3\r\n1-1\r\n", _c.Call("XCLAIM", _t + "s", "g", "erin", "-5", "1-1", "IDLE", "-5", "JUSTID"));
        Assert.Equal("-ERR Invalid min-idle-time argument for XCLAIM\r\n", _c.Call("XCLAIM", _t + "s", "g", "erin", "x", "1-1"));
        Assert.Equal("-ERR Invalid IDLE option argument for XCLAIM\r\n", _c.Call("XCLAIM", _t + "s", "g", "erin", "0", "1-1", "IDLE", "x"));
        Assert.Equal("-ERR Invalid TIME option argument for XCLAIM\r\n", _c.Call("XCLAIM", _t + "s", "g", "erin", "0", "1-1", "TIME", "x"));
        Assert.Equal("-ERR Invalid RETRYCOUNT option argument for XCLAIM\r\n", _c.Call("XCLAIM", _t + "s", "g", "erin", "0", "1-1", "RETRYCOUNT", "x"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XCLAIM", _t + "s", "g", "erin", "0", "1-1", "LASTID", "x"));
        Assert.Equal("-ERR Unrecognized XCLAIM option 'FOO'\r\n", _c.Call("XCLAIM", _t + "s", "g", "erin", "0", "1-1", "FOO"));
        Assert.Equal("-ERR Unrecognized XCLAIM option 'IDLE'\r\n", _c.Call("XCLAIM", _t + "s", "g", "erin", "0", "1-1", "IDLE"));
        Assert.Equal("-ERR Unrecognized XCLAIM option 'x'\r\n", _c.Call("XCLAIM", _t + "s", "g", "erin", "0", "x"));
        Assert.Equal($"-NOGROUP No such key '{_t}s' or consumer group 'nog'\r\n", _c.Call("XCLAIM", _t + "s", "nog", "erin", "0", "1-1"));
        Assert.Equal($"-NOGROUP No such key '{_t}none' or consumer group 'g'\r\n", _c.Call("XCLAIM", _t + "none", "g", "erin", "0", "1-1"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XCLAIM", _t + "str", "g", "erin", "0", "1-1"));
    }

    [Fact]
    public void Xautoclaim()
    {
        _c.Call("SET", _t + "str", "x");
        _c.Call("XADD", _t + "s", "1-1", "k", "1");
        _c.Call("XADD", _t + "s", "2-1", "k", "2");
        _c.Call("XADD", _t + "s", "3-1", "k", "3");
        _c.Call("XADD", _t + "s", "4-1", "k", "4");
        _c.Call("XADD", _t + "s", "5-1", "k", "5");
        _c.Call("XGROUP", "CREATE", _t + "s", "g", "0");
        _c.Call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", _t + "s", ">");
        Assert.Equal(":1\r\n", _c.Call("XDEL", _t + "s", "2-1"));
        Assert.Equal("*3\r\n$3\r\n3-1\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nk\r\n$1\r\n1\r\n*1\r\n$3\r\n2-1\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "0", "0", "COUNT", "2"));
        Assert.Equal("*3\r\n$3\r\n4-1\r\n*1\r\n$3\r\n3-1\r\n*0\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "0", "3-1", "COUNT", "1", "JUSTID"));
        Assert.Equal("*3\r\n$3\r\n0-0\r\n*2\r\n*2\r\n$3\r\n4-1\r\n*2\r\n$1\r\nk\r\n$1\r\n4\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\nk\r\n$1\r\n5\r\n*0\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "0", "(3-1"));
        Assert.Equal("*3\r\n$3\r\n0-0\r\n*0\r\n*0\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "carol", "100000", "-"));
        Assert.Equal("*3\r\n$3\r\n3-1\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nk\r\n$1\r\n1\r\n*0\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "carol", "0", "-", "COUNT", "1"));
        Assert.Equal("*4\r\n:4\r\n$3\r\n1-1\r\n$3\r\n5-1\r\n*2\r\n*2\r\n$3\r\nbob\r\n$1\r\n3\r\n*2\r\n$5\r\ncarol\r\n$1\r\n1\r\n", _c.Call("XPENDING", _t + "s", "g"));
        Assert.Equal("-ERR COUNT must be > 0\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "0", "0", "COUNT", "0"));
        Assert.Equal("-ERR COUNT must be > 0\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "0", "0", "COUNT", "x"));
        Assert.Equal("-ERR COUNT must be > 0\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "0", "0", "COUNT", "922337203685477580"));
        Assert.Equal("-ERR Invalid min-idle-time argument for XAUTOCLAIM\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "x", "0"));
        Assert.Equal("-ERR Invalid stream ID specified as stream command argument\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "0", "x"));
        Assert.Equal("-ERR invalid start ID for the interval\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "0", "(18446744073709551615-18446744073709551615"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "0", "0", "FOO"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "0", "0", "COUNT"));
        Assert.Equal($"-NOGROUP No such key '{_t}s' or consumer group 'nog'\r\n", _c.Call("XAUTOCLAIM", _t + "s", "nog", "bob", "0", "0"));
        Assert.Equal($"-NOGROUP No such key '{_t}none' or consumer group 'g'\r\n", _c.Call("XAUTOCLAIM", _t + "none", "g", "bob", "0", "0"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XAUTOCLAIM", _t + "str", "g", "bob", "0", "0"));
        using var r3 = Resp3();
        Assert.Equal("*3\r\n$3\r\n0-0\r\n*4\r\n$3\r\n1-1\r\n$3\r\n3-1\r\n$3\r\n4-1\r\n$3\r\n5-1\r\n*0\r\n", r3.Call("XAUTOCLAIM", _t + "s", "g", "bob", "0", "0", "JUSTID"));
    }

    [Fact]
    public void Xautoclaim_examines_at_most_ten_per_count()
    {
        for (int i = 1; i <= 30; i++) _c.Call("XADD", _t + "s", $"{i}-1", "f", "v");
        _c.Call("XGROUP", "CREATE", _t + "s", "g", "0");
        _c.Call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", _t + "s", ">");
        Assert.Equal("*12\r\n$3\r\n1-1\r\n$3\r\n2-1\r\n$3\r\n3-1\r\n$3\r\n4-1\r\n$3\r\n5-1\r\n$3\r\n6-1\r\n$3\r\n7-1\r\n$3\r\n8-1\r\n$3\r\n9-1\r\n$4\r\n10-1\r\n$4\r\n11-1\r\n$4\r\n12-1\r\n", _c.Call("XCLAIM", _t + "s", "g", "alice", "0", "1-1", "2-1", "3-1", "4-1", "5-1", "6-1", "7-1", "8-1", "9-1", "10-1", "11-1", "12-1", "IDLE", "0", "JUSTID"));
        Assert.Equal("*3\r\n$4\r\n11-1\r\n*0\r\n*0\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "60000", "0", "COUNT", "1", "JUSTID"));
        Assert.Equal("*3\r\n$4\r\n21-1\r\n*0\r\n*0\r\n", _c.Call("XAUTOCLAIM", _t + "s", "g", "bob", "60000", "11-1", "COUNT", "1", "JUSTID"));
    }

    [Fact]
    public void Xinfo_groups_entries_read_and_lag()
    {
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("XADD", _t + "s", "2-1", "b", "2");
        _c.Call("XADD", _t + "s", "3-1", "c", "3");
        _c.Call("XGROUP", "CREATE", _t + "s", "g0", "0");
        _c.Call("XGROUP", "CREATE", _t + "s", "g1", "1-1");
        _c.Call("XGROUP", "CREATE", _t + "s", "g2", "2");
        _c.Call("XGROUP", "CREATE", _t + "s", "gd", "$");
        _c.Call("XGROUP", "CREATE", _t + "s", "ge", "$", "ENTRIESREAD", "3");
        Assert.Equal("*5\r\n*12\r\n$4\r\nname\r\n$2\r\ng0\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:3\r\n*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:2\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$2\r\ngd\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\nge\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n", _c.Call("XINFO", "GROUPS", _t + "s"));
        _c.Call("XREADGROUP", "GROUP", "g0", "c", "COUNT", "1", "STREAMS", _t + "s", ">");
        _c.Call("XREADGROUP", "GROUP", "g2", "c", "STREAMS", _t + "s", ">");
        Assert.Equal("*5\r\n*12\r\n$4\r\nname\r\n$2\r\ng0\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n:2\r\n*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:2\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ngd\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\nge\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n", _c.Call("XINFO", "GROUPS", _t + "s"));
        _c.Call("XDEL", _t + "s", "2-1");
        _c.Call("XADD", _t + "s", "4-1", "d", "4");
        Assert.Equal("*5\r\n*12\r\n$4\r\nname\r\n$2\r\ng0\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:1\r\n*12\r\n$4\r\nname\r\n$2\r\ngd\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$2\r\nge\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:1\r\n", _c.Call("XINFO", "GROUPS", _t + "s"));
        using var r3 = Resp3();
        Assert.Equal("*5\r\n%6\r\n$4\r\nname\r\n$2\r\ng0\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n_\r\n%6\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n_\r\n$3\r\nlag\r\n_\r\n%6\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:1\r\n%6\r\n$4\r\nname\r\n$2\r\ngd\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n_\r\n$3\r\nlag\r\n_\r\n%6\r\n$4\r\nname\r\n$2\r\nge\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:1\r\n", r3.Call("XINFO", "GROUPS", _t + "s"));
        _c.Call("XTRIM", _t + "s", "MAXLEN", "0");
        _c.Call("XGROUP", "SETID", _t + "s", "g0", "0");
        Assert.Equal("*5\r\n*12\r\n$4\r\nname\r\n$2\r\ng0\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:1\r\n*12\r\n$4\r\nname\r\n$2\r\ngd\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\nge\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-1\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:1\r\n", _c.Call("XINFO", "GROUPS", _t + "s"));
    }

    [Fact]
    public void Xinfo_errors()
    {
        _c.Call("SET", _t + "str", "x");
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        Assert.Equal("-ERR no such key\r\n", _c.Call("XINFO", "STREAM", _t + "none"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("XINFO", "STREAM", _t + "str"));
        Assert.Equal("-ERR no such key\r\n", _c.Call("XINFO", "GROUPS", _t + "none"));
        Assert.Equal("-ERR no such key\r\n", _c.Call("XINFO", "CONSUMERS", _t + "none", "g"));
        Assert.Equal($"-NOGROUP No such consumer group 'nog' for key name '{_t}s'\r\n", _c.Call("XINFO", "CONSUMERS", _t + "s", "nog"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n", _c.Call("XINFO", "STREAM", _t + "s", "FOO"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n", _c.Call("XINFO", "STREAM", _t + "s", "FULL", "COUNT"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n", _c.Call("XINFO", "STREAM", _t + "s", "FULL", "FOO", "1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("XINFO", "STREAM", _t + "s", "FULL", "COUNT", "x"));
        Assert.Equal("-ERR wrong number of arguments for 'xinfo|groups' command\r\n", _c.Call("XINFO", "GROUPS", _t + "s", "x"));
        Assert.Equal("-ERR unknown subcommand 'FOO'. Try XINFO HELP.\r\n", _c.Call("XINFO", "FOO", _t + "s"));
        Assert.Equal("-ERR wrong number of arguments for 'xinfo|stream' command\r\n", _c.Call("XINFO", "STREAM"));
        Assert.Equal("*0\r\n", _c.Call("XINFO", "GROUPS", _t + "s"));
    }

    [Fact]
    public void Xinfo_stream_full()
    {
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("XADD", _t + "s", "2-1", "b", "2");
        _c.Call("XADD", _t + "s", "3-1", "c", "3");
        Assert.Equal("*18\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n3-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$7\r\nentries\r\n*3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n$6\r\ngroups\r\n*0\r\n", _c.Call("XINFO", "STREAM", _t + "s", "FULL"));
        Assert.Equal("*18\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n3-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$7\r\nentries\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n$6\r\ngroups\r\n*0\r\n", _c.Call("XINFO", "STREAM", _t + "s", "FULL", "COUNT", "2"));
        Assert.Equal("*18\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n3-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$7\r\nentries\r\n*3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n$6\r\ngroups\r\n*0\r\n", _c.Call("XINFO", "STREAM", _t + "s", "FULL", "COUNT", "0"));
        using var r3 = Resp3();
        Assert.Equal("%9\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n3-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$7\r\nentries\r\n*3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n$6\r\ngroups\r\n*0\r\n", r3.Call("XINFO", "STREAM", _t + "s", "full", "count", "-1"));
        _c.Call("XGROUP", "CREATE", _t + "s", "g", "0");
        _c.Call("XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", _t + "s", ">");
        Assert.Matches(@"(?s)^\*18\r\n.*\$6\r\ngroups\r\n\*1\r\n\*14\r\n\$4\r\nname\r\n\$1\r\ng\r\n\$17\r\nlast-delivered-id\r\n\$3\r\n1-1\r\n\$12\r\nentries-read\r\n:1\r\n\$3\r\nlag\r\n:2\r\n\$9\r\npel-count\r\n:1\r\n\$7\r\npending\r\n\*1\r\n\*4\r\n\$3\r\n1-1\r\n\$1\r\nc\r\n:\d{13,}\r\n:1\r\n\$9\r\nconsumers\r\n\*1\r\n\*8\r\n\$4\r\nname\r\n\$1\r\nc\r\n\$9\r\nseen-time\r\n:\d{13,}\r\n\$9\r\npel-count\r\n:1\r\n\$7\r\npending\r\n\*1\r\n\*3\r\n\$3\r\n1-1\r\n:\d{13,}\r\n:1\r\n$", _c.Call("XINFO", "STREAM", _t + "s", "FULL"));
    }

    [Fact]
    public void Binary_safe_keys_fields_groups_and_consumers()
    {
        Assert.Equal("$3\r\n1-1\r\n", _c.Call("XADD", _t + "b\0\r\n", "1-1", "\0f\r\n", "v\0\u0001", "plain", ""));
        Assert.Equal("*1\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$4\r\n\0f\r\n\r\n$3\r\nv\0\u0001\r\n$5\r\nplain\r\n$0\r\n\r\n", _c.Call("XRANGE", _t + "b\0\r\n", "-", "+"));
        Assert.Equal("+OK\r\n", _c.Call("XGROUP", "CREATE", _t + "b\0\r\n", "g\0", "0"));
        Assert.Equal($"*1\r\n*2\r\n$14\r\n{_t}b\0\r\n\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$4\r\n\0f\r\n\r\n$3\r\nv\0\u0001\r\n$5\r\nplain\r\n$0\r\n\r\n", _c.Call("XREADGROUP", "GROUP", "g\0", "c\0", "STREAMS", _t + "b\0\r\n", ">"));
        Assert.Equal("*4\r\n:1\r\n$3\r\n1-1\r\n$3\r\n1-1\r\n*1\r\n*2\r\n$2\r\nc\0\r\n$1\r\n1\r\n", _c.Call("XPENDING", _t + "b\0\r\n", "g\0"));
    }

    /// <summary>BullMQ calls XADD (MAXLEN ~, *) and XTRIM from its scripts.</summary>
    [Fact]
    public void Stream_commands_from_scripts()
    {
        Assert.Equal("$3\r\n1-1\r\n", _c.Call("EVAL", "return redis.call('XADD', KEYS[1], 'MAXLEN', '~', '10000', '1-1', 'event', 'added', 'jobId', '1')", "1", _t + "s"));
        Assert.Equal("$3\r\n2-1\r\n", _c.Call("EVAL", "return redis.call('XADD', KEYS[1], '2-1', 'event', 'completed')", "1", _t + "s"));
        Assert.Equal(":1\r\n", _c.Call("EVAL", "redis.call('XADD', KEYS[1], '3-1', 'a', '1') return redis.call('XTRIM', KEYS[1], 'MAXLEN', '2')", "1", _t + "s"));
        Assert.Equal("*2\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$5\r\nevent\r\n$9\r\ncompleted\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", _c.Call("EVAL", "return redis.call('XRANGE', KEYS[1], '-', '+')", "1", _t + "s"));
        Assert.Equal($"*1\r\n*2\r\n$11\r\n{_t}s\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$5\r\nevent\r\n$9\r\ncompleted\r\n", _c.Call("EVAL", "return redis.call('XREAD', 'COUNT', '1', 'STREAMS', KEYS[1], '0')", "1", _t + "s"));
        Assert.Equal("$-1\r\n", _c.Call("EVAL", "return redis.call('XREAD', 'STREAMS', KEYS[1], '$')", "1", _t + "s"));
        Assert.Equal("-ERR XREAD command is not allowed with BLOCK option from scripts script: 86e7d269636ee5b5acd5c77a27465179112514ca, on @user_script:1.\r\n", _c.Call("EVAL", "return redis.call('XREAD', 'BLOCK', '0', 'STREAMS', KEYS[1], '$')", "1", _t + "s"));
        Assert.Equal(":2\r\n", _c.Call("EVAL", "return redis.call('XLEN', KEYS[1])", "1", _t + "s"));
        Assert.Equal("-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n", _c.Call("EVAL", "return redis.pcall('XADD', KEYS[1], '1-1', 'a', '1')", "1", _t + "s"));
    }

    [Fact]
    public void Xread_across_slots_is_crossslot()
    {
        _c.Call("XADD", _t + "s", "1-1", "a", "1");
        _c.Call("XADD", _t2 + "s", "1-1", "a", "1");
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", _c.Call("XREAD", "STREAMS", _t + "s", _t2 + "s", "0", "0"));
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", _c.Call("XREADGROUP", "GROUP", "g", "c", "STREAMS", _t + "s", _t2 + "s", ">", ">"));
        // Malformed requests get the command's own error first, as in Redis Cluster.
        Assert.Equal("-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n",
            _c.Call("XREAD", "STREAMS", _t + "s", _t2 + "s", "0"));
    }

    [Fact]
    public void Command_getkeys_finds_the_streams()
    {
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", _c.Call("COMMAND", "GETKEYS", "XREAD", "COUNT", "1", "STREAMS", "a", "b", "0", "0"));
        Assert.Equal("*1\r\n$1\r\ns\r\n", _c.Call("COMMAND", "GETKEYS", "XREADGROUP", "GROUP", "streams", "c", "STREAMS", "s", ">"));
    }

    /// <summary>OrleansLua undoes a failed script: the stream, its groups and PELs are exactly as before.</summary>
    [Fact]
    public void Failed_script_leaves_the_stream_as_it_was()
    {
        var s = _t + "s";
        _c.Call("XADD", s, "1-1", "a", "1");
        _c.Call("XADD", s, "2-1", "b", "2");
        _c.Call("XGROUP", "CREATE", s, "g", "0");
        _c.Call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", s, ">");
        string Snapshot() => _c.Call("XRANGE", s, "-", "+") + _c.Call("XINFO", "STREAM", s) + _c.Call("XINFO", "GROUPS", s)
            + _c.Call("XPENDING", s, "g") + Regex.Replace(_c.Call("XINFO", "STREAM", s, "FULL"), @":\d{13,}\r\n", ":<time>\r\n");
        var before = Snapshot();
        var failed = _c.Call("EVAL", """
            redis.call('XADD', KEYS[1], '3-1', 'c', '3')
            redis.call('XADD', KEYS[1], 'MAXLEN', '1', '*', 'd', '4')
            redis.call('XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', KEYS[1], '>')
            redis.call('XACK', KEYS[1], 'g', '1-1')
            redis.call('XCLAIM', KEYS[1], 'g', 'carol', '0', '1-1')
            redis.call('XDEL', KEYS[1], '1-1')
            redis.call('XGROUP', 'CREATE', KEYS[1], 'g2', '$')
            redis.call('XGROUP', 'SETID', KEYS[1], 'g', '0')
            error('boom')
            """, "1", s);
        Assert.StartsWith("-", failed);
        Assert.Equal(before, Snapshot());
        // A script that creates the stream and then fails leaves no key behind.
        var fresh = _t + "fresh";
        Assert.StartsWith("-", _c.Call("EVAL", "redis.call('XADD', KEYS[1], '1-1', 'a', '1') error('boom')", "1", fresh));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", fresh));
    }

    /// <summary>Many connections XADD * into one stream: every entry lands, IDs strictly increase.</summary>
    [Fact]
    public async Task Concurrent_xadd_into_one_stream()
    {
        var s = _t + "s";
        const int connections = 20, perConnection = 100;
        // Dedicated threads: blocking sockets on pool threads would starve the in-process silos.
        var tasks = Enumerable.Range(0, connections).Select(i => Task.Factory.StartNew(() =>
        {
            using var c = new RawRespClient(fixture.Ports[i % fixture.Ports.Length]);
            for (int n = 0; n < perConnection; n++)
                Assert.Matches(@"^\$\d+\r\n\d+-\d+\r\n$", c.Call("XADD", s, "MAXLEN", "~", "100000", "*", "conn", i, "n", n));
        }, TaskCreationOptions.LongRunning));
        await Task.WhenAll(tasks);
        Assert.Equal($":{connections * perConnection}\r\n", _c.Call("XLEN", s));
        var ids = RangeIds(s);
        Assert.Equal(connections * perConnection, ids.Count);
        for (int i = 1; i < ids.Count; i++) Assert.True(Compare(ids[i - 1], ids[i]) < 0, $"{ids[i - 1]} !< {ids[i]}");
    }
}
