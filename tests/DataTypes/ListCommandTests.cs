using System.Security.Cryptography;
using System.Text;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Tests.Infrastructure;
using static OrleansLua.Tests.Infrastructure.TestValues;
using Xunit;

namespace OrleansLua.Tests.DataTypes;

/// <summary>
/// List commands over TCP. Every expected reply was recorded from redis-server 7.0.15 (rollback
/// of failed scripts and CROSSSLOT are OrleansLua's own documented behaviour).
/// </summary>
[Collection(ClusterCollection.Name)]
public class ListCommandTests(ClusterFixture fixture)
{
    private readonly RawRespClient _c = new(fixture.Port);


    private RawRespClient Resp3() => Resp3Client(fixture.Port);


    [Fact]
    public void Lpush_rpush_prepend_and_append_in_argument_order()
    {
        var t = Tag();
        string a = t + "a";
        Assert.Equal(":3\r\n", _c.Call("LPUSH", a, "a", "b", "c"));
        Assert.Equal(":5\r\n", _c.Call("RPUSH", a, "d", "e"));
        Assert.Equal("*5\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\ne\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal(":5\r\n", _c.Call("LLEN", a));
        Assert.Equal("+list\r\n", _c.Call("TYPE", a));
    }

    [Fact]
    public void Lpushx_rpushx_only_when_the_list_exists()
    {
        var t = Tag();
        string a = t + "a", n = t + "n";
        Assert.Equal(":0\r\n", _c.Call("LPUSHX", n, "a", "b"));
        Assert.Equal(":0\r\n", _c.Call("RPUSHX", n, "a"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", n));
        Assert.Equal(":1\r\n", _c.Call("RPUSH", a, "m"));
        Assert.Equal(":3\r\n", _c.Call("LPUSHX", a, "l1", "l2"));
        Assert.Equal(":5\r\n", _c.Call("RPUSHX", a, "r1", "r2"));
        Assert.Equal("*5\r\n$2\r\nl2\r\n$2\r\nl1\r\n$1\r\nm\r\n$2\r\nr1\r\n$2\r\nr2\r\n", _c.Call("LRANGE", a, "0", "-1"));
    }

    [Fact]
    public void Push_commands_on_a_string_are_wrongtype()
    {
        var t = Tag();
        string s = t + "s";
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        Assert.Equal(WrongType, _c.Call("LPUSH", s, "a"));
        Assert.Equal(WrongType, _c.Call("RPUSH", s, "a"));
        Assert.Equal(WrongType, _c.Call("LPUSHX", s, "a"));
        Assert.Equal(WrongType, _c.Call("RPUSHX", s, "a"));
        Assert.Equal(WrongType, _c.Call("LLEN", s));
        Assert.Equal("$1\r\nv\r\n", _c.Call("GET", s));
    }

    [Fact]
    public void Lpop_rpop_single_and_with_count()
    {
        var t = Tag();
        string a = t + "a";
        using var r3 = Resp3();
        Assert.Equal(":6\r\n", _c.Call("RPUSH", a, "a", "b", "c", "d", "e", "f"));
        Assert.Equal("$1\r\na\r\n", _c.Call("LPOP", a));
        Assert.Equal("$1\r\nf\r\n", _c.Call("RPOP", a));
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("LPOP", a, "2"));
        Assert.Equal("*2\r\n$1\r\ne\r\n$1\r\nd\r\n", _c.Call("RPOP", a, "2"));
        Assert.Equal("*-1\r\n", _c.Call("LPOP", a, "0"));
        Assert.Equal("_\r\n", r3.Call("LPOP", a, "0"));
        Assert.Equal("*-1\r\n", _c.Call("RPOP", a, "5"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", a));
        Assert.Equal("$-1\r\n", _c.Call("LPOP", a));
        Assert.Equal("$-1\r\n", _c.Call("RPOP", a));
        Assert.Equal("*-1\r\n", _c.Call("LPOP", a, "0"));
        Assert.Equal("*-1\r\n", _c.Call("RPOP", a, "3"));
    }

    [Fact]
    public void Pop_on_a_missing_key_is_nil_in_resp2_and_resp3()
    {
        var t = Tag();
        string n = t + "n";
        using var r3 = Resp3();
        Assert.Equal("$-1\r\n", _c.Call("LPOP", n));
        Assert.Equal("$-1\r\n", _c.Call("RPOP", n));
        Assert.Equal("*-1\r\n", _c.Call("LPOP", n, "1"));
        Assert.Equal("*-1\r\n", _c.Call("RPOP", n, "0"));
        Assert.Equal("_\r\n", r3.Call("LPOP", n));
        Assert.Equal("_\r\n", r3.Call("RPOP", n, "2"));
        Assert.Equal("_\r\n", r3.Call("LPOP", n, "0"));
    }

    [Fact]
    public void Pop_count_errors_and_wrong_type()
    {
        var t = Tag();
        string a = t + "a", s = t + "s", n = t + "n";
        Assert.Equal(":1\r\n", _c.Call("RPUSH", a, "a"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", _c.Call("LPOP", a, "-1"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", _c.Call("RPOP", a, "abc"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", _c.Call("LPOP", n, "-1"));
        Assert.Equal("-ERR wrong number of arguments for 'lpop' command\r\n", _c.Call("LPOP", a, "1", "2"));
        Assert.Equal("-ERR wrong number of arguments for 'rpop' command\r\n", _c.Call("RPOP", a, "1", "2"));
        Assert.Equal(WrongType, _c.Call("LPOP", s));
        Assert.Equal(WrongType, _c.Call("RPOP", s, "0"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", _c.Call("LPOP", s, "-1"));
        Assert.Equal("*1\r\n$1\r\na\r\n", _c.Call("LRANGE", a, "0", "-1"));
    }

    [Fact]
    public void Lpop_huge_count_pops_everything()
    {
        var t = Tag();
        string a = t + "a";
        Assert.Equal(":3\r\n", _c.Call("RPUSH", a, "a", "b", "c"));
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("LPOP", a, "9223372036854775807"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", a));
    }

    [Fact]
    public void Llen_of_missing_and_existing_lists()
    {
        var t = Tag();
        string a = t + "a", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":0\r\n", _c.Call("LLEN", n));
        Assert.Equal(":2\r\n", _c.Call("RPUSH", a, "a", "b"));
        Assert.Equal(":2\r\n", _c.Call("LLEN", a));
        Assert.Equal(":2\r\n", r3.Call("LLEN", a));
    }

    [Fact]
    public void Lrange_clamps_start_and_stop()
    {
        var t = Tag();
        string a = t + "a", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":5\r\n", _c.Call("RPUSH", a, "a", "b", "c", "d", "e"));
        Assert.Equal("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal("*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", _c.Call("LRANGE", a, "1", "3"));
        Assert.Equal("*2\r\n$1\r\nd\r\n$1\r\ne\r\n", _c.Call("LRANGE", a, "-2", "-1"));
        Assert.Equal("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", _c.Call("LRANGE", a, "-100", "100"));
        Assert.Equal("*0\r\n", _c.Call("LRANGE", a, "-100", "-6"));
        Assert.Equal("*0\r\n", _c.Call("LRANGE", a, "2", "1"));
        Assert.Equal("*0\r\n", _c.Call("LRANGE", a, "5", "10"));
        Assert.Equal("*1\r\n$1\r\ne\r\n", _c.Call("LRANGE", a, "4", "4"));
        Assert.Equal("*0\r\n", _c.Call("LRANGE", a, "-1", "0"));
        Assert.Equal("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", _c.Call("LRANGE", a, "0", "9223372036854775807"));
        Assert.Equal("*1\r\n$1\r\na\r\n", _c.Call("LRANGE", a, "-9223372036854775808", "0"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", r3.Call("LRANGE", a, "0", "1"));
        Assert.Equal("*0\r\n", _c.Call("LRANGE", n, "0", "-1"));
        Assert.Equal("*0\r\n", r3.Call("LRANGE", n, "0", "-1"));
    }

    [Fact]
    public void Lrange_errors()
    {
        var t = Tag();
        string a = t + "a", s = t + "s", n = t + "n";
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        Assert.Equal(":1\r\n", _c.Call("RPUSH", a, "a"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LRANGE", a, "1", "x"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LRANGE", a, "x", "1"));
        Assert.Equal(WrongType, _c.Call("LRANGE", s, "0", "-1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LRANGE", s, "x", "1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LRANGE", n, "x", "1"));
    }

    [Fact]
    public void Lindex_by_position()
    {
        var t = Tag();
        string a = t + "a", s = t + "s", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":3\r\n", _c.Call("RPUSH", a, "a", "b", "c"));
        Assert.Equal("$1\r\na\r\n", _c.Call("LINDEX", a, "0"));
        Assert.Equal("$1\r\nc\r\n", _c.Call("LINDEX", a, "2"));
        Assert.Equal("$1\r\nc\r\n", _c.Call("LINDEX", a, "-1"));
        Assert.Equal("$1\r\na\r\n", _c.Call("LINDEX", a, "-3"));
        Assert.Equal("$-1\r\n", _c.Call("LINDEX", a, "3"));
        Assert.Equal("$-1\r\n", _c.Call("LINDEX", a, "-4"));
        Assert.Equal("_\r\n", r3.Call("LINDEX", a, "3"));
        Assert.Equal("$-1\r\n", _c.Call("LINDEX", n, "0"));
        Assert.Equal("_\r\n", r3.Call("LINDEX", n, "0"));
        Assert.Equal("$-1\r\n", _c.Call("LINDEX", n, "x"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LINDEX", a, "x"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        Assert.Equal(WrongType, _c.Call("LINDEX", s, "0"));
        Assert.Equal(WrongType, _c.Call("LINDEX", s, "x"));
    }

    [Fact]
    public void Lset_replaces_by_position()
    {
        var t = Tag();
        string a = t + "a", s = t + "s", n = t + "n";
        Assert.Equal(":3\r\n", _c.Call("RPUSH", a, "a", "b", "c"));
        Assert.Equal("+OK\r\n", _c.Call("LSET", a, "0", "A"));
        Assert.Equal("+OK\r\n", _c.Call("LSET", a, "-1", "C"));
        Assert.Equal("+OK\r\n", _c.Call("LSET", a, "1", "B"));
        Assert.Equal("*3\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\nC\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal("-ERR index out of range\r\n", _c.Call("LSET", a, "3", "X"));
        Assert.Equal("-ERR index out of range\r\n", _c.Call("LSET", a, "-4", "X"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LSET", a, "x", "X"));
        Assert.Equal("-ERR no such key\r\n", _c.Call("LSET", n, "0", "X"));
        Assert.Equal("-ERR no such key\r\n", _c.Call("LSET", n, "x", "X"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", n));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        Assert.Equal(WrongType, _c.Call("LSET", s, "0", "X"));
        Assert.Equal(WrongType, _c.Call("LSET", s, "x", "X"));
        Assert.Equal("*3\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\nC\r\n", _c.Call("LRANGE", a, "0", "-1"));
    }

    [Fact]
    public void Linsert_before_and_after_the_first_pivot()
    {
        var t = Tag();
        string a = t + "a", n = t + "n";
        Assert.Equal(":4\r\n", _c.Call("RPUSH", a, "a", "b", "c", "b"));
        Assert.Equal(":5\r\n", _c.Call("LINSERT", a, "before", "b", "x"));
        Assert.Equal(":6\r\n", _c.Call("LINSERT", a, "AFTER", "b", "y"));
        Assert.Equal(":7\r\n", _c.Call("LINSERT", a, "after", "c", "z"));
        Assert.Equal(":8\r\n", _c.Call("LINSERT", a, "before", "a", "first"));
        Assert.Equal(":-1\r\n", _c.Call("LINSERT", a, "after", "b2", "nope"));
        Assert.Equal(":9\r\n", _c.Call("LINSERT", a, "after", "b", "last"));
        Assert.Equal("*9\r\n$5\r\nfirst\r\n$1\r\na\r\n$1\r\nx\r\n$1\r\nb\r\n$4\r\nlast\r\n$1\r\ny\r\n$1\r\nc\r\n$1\r\nz\r\n$1\r\nb\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal(":0\r\n", _c.Call("LINSERT", n, "before", "a", "b"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", n));
    }

    [Fact]
    public void Linsert_errors()
    {
        var t = Tag();
        string a = t + "a", s = t + "s", n = t + "n";
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        Assert.Equal(":1\r\n", _c.Call("RPUSH", a, "a"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LINSERT", a, "middle", "a", "b"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LINSERT", n, "middle", "a", "b"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LINSERT", s, "middle", "a", "b"));
        Assert.Equal(WrongType, _c.Call("LINSERT", s, "before", "a", "b"));
        Assert.Equal("*1\r\n$1\r\na\r\n", _c.Call("LRANGE", a, "0", "-1"));
    }

    [Fact]
    public void Lrem_from_head_tail_or_all()
    {
        var t = Tag();
        string a = t + "a";
        Assert.Equal(":7\r\n", _c.Call("RPUSH", a, "x", "a", "x", "b", "x", "c", "x"));
        Assert.Equal(":2\r\n", _c.Call("LREM", a, "2", "x"));
        Assert.Equal("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nx\r\n$1\r\nc\r\n$1\r\nx\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal(":1\r\n", _c.Call("LREM", a, "-1", "x"));
        Assert.Equal("*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nx\r\n$1\r\nc\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal(":6\r\n", _c.Call("RPUSH", a, "x", "x"));
        Assert.Equal(":3\r\n", _c.Call("LREM", a, "0", "x"));
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal(":0\r\n", _c.Call("LREM", a, "0", "zz"));
        Assert.Equal(":1\r\n", _c.Call("LREM", a, "1", "a"));
        Assert.Equal(":1\r\n", _c.Call("LREM", a, "-5", "b"));
        Assert.Equal(":1\r\n", _c.Call("LREM", a, "0", "c"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", a));
    }

    [Fact]
    public void Lrem_extreme_counts_and_errors()
    {
        var t = Tag();
        string a = t + "a", s = t + "s", n = t + "n";
        Assert.Equal(":3\r\n", _c.Call("RPUSH", a, "a", "b", "a"));
        Assert.Equal(":2\r\n", _c.Call("LREM", a, "-9223372036854775808", "a"));
        Assert.Equal("*1\r\n$1\r\nb\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal(":1\r\n", _c.Call("LREM", a, "9223372036854775807", "b"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", a));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LREM", a, "x", "a"));
        Assert.Equal(":0\r\n", _c.Call("LREM", n, "1", "a"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LREM", n, "x", "a"));
        Assert.Equal(WrongType, _c.Call("LREM", s, "1", "a"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LREM", s, "x", "a"));
    }

    [Fact]
    public void Ltrim_keeps_the_range()
    {
        var t = Tag();
        string a = t + "a", n = t + "n";
        Assert.Equal(":6\r\n", _c.Call("RPUSH", a, "1", "2", "3", "4", "5", "6"));
        Assert.Equal("+OK\r\n", _c.Call("LTRIM", a, "1", "-2"));
        Assert.Equal("*4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal("+OK\r\n", _c.Call("LTRIM", a, "-100", "100"));
        Assert.Equal("*4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal("+OK\r\n", _c.Call("LTRIM", a, "1", "1"));
        Assert.Equal("*1\r\n$1\r\n3\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal("+OK\r\n", _c.Call("LTRIM", a, "0", "0"));
        Assert.Equal("*1\r\n$1\r\n3\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal("+OK\r\n", _c.Call("LTRIM", n, "0", "1"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", n));
    }

    [Fact]
    public void Ltrim_to_an_empty_range_deletes_the_key()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", c = t + "c";
        Assert.Equal(":3\r\n", _c.Call("RPUSH", a, "1", "2", "3"));
        Assert.Equal("+OK\r\n", _c.Call("LTRIM", a, "2", "1"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", a));
        Assert.Equal(":3\r\n", _c.Call("RPUSH", b, "1", "2", "3"));
        Assert.Equal("+OK\r\n", _c.Call("LTRIM", b, "5", "10"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", b));
        Assert.Equal(":3\r\n", _c.Call("RPUSH", c, "1", "2", "3"));
        Assert.Equal("+OK\r\n", _c.Call("LTRIM", c, "-1", "-2"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", c));
    }

    [Fact]
    public void Ltrim_errors()
    {
        var t = Tag();
        string a = t + "a", s = t + "s", n = t + "n";
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        Assert.Equal(":2\r\n", _c.Call("RPUSH", a, "a", "b"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LTRIM", a, "x", "1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LTRIM", a, "0", "x"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LTRIM", n, "x", "1"));
        Assert.Equal(WrongType, _c.Call("LTRIM", s, "0", "1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LTRIM", s, "x", "1"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", _c.Call("LRANGE", a, "0", "-1"));
    }

    [Fact]
    public void Lpos_first_match_and_rank()
    {
        var t = Tag();
        string a = t + "a";
        using var r3 = Resp3();
        Assert.Equal(":7\r\n", _c.Call("RPUSH", a, "a", "b", "c", "a", "b", "c", "a"));
        Assert.Equal(":0\r\n", _c.Call("LPOS", a, "a"));
        Assert.Equal(":2\r\n", _c.Call("LPOS", a, "c"));
        Assert.Equal("$-1\r\n", _c.Call("LPOS", a, "zz"));
        Assert.Equal("_\r\n", r3.Call("LPOS", a, "zz"));
        Assert.Equal(":3\r\n", _c.Call("LPOS", a, "a", "rank", "2"));
        Assert.Equal(":6\r\n", _c.Call("LPOS", a, "a", "rank", "3"));
        Assert.Equal("$-1\r\n", _c.Call("LPOS", a, "a", "rank", "4"));
        Assert.Equal(":6\r\n", _c.Call("LPOS", a, "a", "rank", "-1"));
        Assert.Equal(":3\r\n", _c.Call("LPOS", a, "a", "rank", "-2"));
        Assert.Equal("$-1\r\n", _c.Call("LPOS", a, "a", "rank", "-4"));
        Assert.Equal(":6\r\n", _c.Call("LPOS", a, "a", "RANK", "1", "RANK", "3"));
        Assert.Equal(":6\r\n", _c.Call("LPOS", a, "a", "rank", "-9223372036854775808"));
        Assert.Equal("$-1\r\n", _c.Call("LPOS", a, "a", "rank", "9223372036854775807"));
    }

    [Fact]
    public void Lpos_count_and_maxlen()
    {
        var t = Tag();
        string a = t + "a";
        using var r3 = Resp3();
        Assert.Equal(":7\r\n", _c.Call("RPUSH", a, "a", "b", "c", "a", "b", "c", "a"));
        Assert.Equal("*3\r\n:0\r\n:3\r\n:6\r\n", _c.Call("LPOS", a, "a", "count", "0"));
        Assert.Equal("*2\r\n:0\r\n:3\r\n", _c.Call("LPOS", a, "a", "count", "2"));
        Assert.Equal("*2\r\n:6\r\n:3\r\n", _c.Call("LPOS", a, "a", "count", "2", "rank", "-1"));
        Assert.Equal("*2\r\n:3\r\n:6\r\n", _c.Call("LPOS", a, "a", "count", "0", "rank", "2"));
        Assert.Equal("*2\r\n:3\r\n:0\r\n", _c.Call("LPOS", a, "a", "count", "0", "rank", "-2"));
        Assert.Equal("*3\r\n:0\r\n:3\r\n:6\r\n", _c.Call("LPOS", a, "a", "count", "1", "count", "3"));
        Assert.Equal("*0\r\n", _c.Call("LPOS", a, "zz", "count", "0"));
        Assert.Equal("*0\r\n", r3.Call("LPOS", a, "zz", "count", "0"));
        Assert.Equal(":0\r\n", _c.Call("LPOS", a, "a", "maxlen", "3"));
        Assert.Equal("*1\r\n:0\r\n", _c.Call("LPOS", a, "a", "maxlen", "3", "count", "0"));
        Assert.Equal("$-1\r\n", _c.Call("LPOS", a, "b", "maxlen", "1"));
        Assert.Equal(":6\r\n", _c.Call("LPOS", a, "a", "rank", "-1", "maxlen", "1"));
        Assert.Equal("*1\r\n:6\r\n", _c.Call("LPOS", a, "a", "rank", "-1", "maxlen", "2", "count", "0"));
        Assert.Equal("$-1\r\n", _c.Call("LPOS", a, "a", "rank", "2", "maxlen", "3"));
        Assert.Equal("*3\r\n:0\r\n:3\r\n:6\r\n", _c.Call("LPOS", a, "a", "maxlen", "0", "count", "0"));
    }

    [Fact]
    public void Lpos_on_a_missing_key()
    {
        var t = Tag();
        string n = t + "n";
        using var r3 = Resp3();
        Assert.Equal("$-1\r\n", _c.Call("LPOS", n, "a"));
        Assert.Equal("*0\r\n", _c.Call("LPOS", n, "a", "count", "0"));
        Assert.Equal("*0\r\n", _c.Call("LPOS", n, "a", "count", "3"));
        Assert.Equal("_\r\n", r3.Call("LPOS", n, "a"));
        Assert.Equal("*0\r\n", r3.Call("LPOS", n, "a", "count", "1"));
    }

    [Fact]
    public void Lpos_errors()
    {
        var t = Tag();
        string a = t + "a", s = t + "s", n = t + "n";
        Assert.Equal(":1\r\n", _c.Call("RPUSH", a, "a"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        Assert.Equal("-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n", _c.Call("LPOS", a, "a", "rank", "0"));
        Assert.Equal("-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n", _c.Call("LPOS", n, "a", "rank", "0"));
        Assert.Equal("-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n", _c.Call("LPOS", s, "a", "rank", "0"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("LPOS", a, "a", "rank", "x"));
        Assert.Equal("-ERR COUNT can't be negative\r\n", _c.Call("LPOS", a, "a", "count", "-1"));
        Assert.Equal("-ERR COUNT can't be negative\r\n", _c.Call("LPOS", a, "a", "count", "x"));
        Assert.Equal("-ERR MAXLEN can't be negative\r\n", _c.Call("LPOS", a, "a", "maxlen", "-1"));
        Assert.Equal("-ERR MAXLEN can't be negative\r\n", _c.Call("LPOS", a, "a", "maxlen", "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LPOS", a, "a", "bogus", "1"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LPOS", a, "a", "rank"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LPOS", a, "a", "count"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LPOS", a, "a", "maxlen"));
        Assert.Equal(WrongType, _c.Call("LPOS", s, "a"));
        Assert.Equal(WrongType, _c.Call("LPOS", s, "a", "count", "1"));
    }

    [Fact]
    public void Lmove_between_lists_in_every_direction()
    {
        var t = Tag();
        string a = t + "a", b = t + "b";
        using var r3 = Resp3();
        Assert.Equal(":4\r\n", _c.Call("RPUSH", a, "1", "2", "3", "4"));
        Assert.Equal("$1\r\n1\r\n", _c.Call("LMOVE", a, b, "left", "right"));
        Assert.Equal("$1\r\n4\r\n", _c.Call("LMOVE", a, b, "right", "left"));
        Assert.Equal("$1\r\n2\r\n", _c.Call("LMOVE", a, b, "LEFT", "LEFT"));
        Assert.Equal("$1\r\n3\r\n", _c.Call("LMOVE", a, b, "Right", "Right"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", a));
        Assert.Equal("*4\r\n$1\r\n2\r\n$1\r\n4\r\n$1\r\n1\r\n$1\r\n3\r\n", _c.Call("LRANGE", b, "0", "-1"));
        Assert.Equal("$-1\r\n", _c.Call("LMOVE", a, b, "left", "left"));
        Assert.Equal("_\r\n", r3.Call("LMOVE", a, b, "left", "left"));
    }

    [Fact]
    public void Lmove_on_one_key_rotates()
    {
        var t = Tag();
        string a = t + "a", b = t + "b";
        Assert.Equal(":3\r\n", _c.Call("RPUSH", a, "1", "2", "3"));
        Assert.Equal("$1\r\n1\r\n", _c.Call("LMOVE", a, a, "left", "right"));
        Assert.Equal("*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal("$1\r\n1\r\n", _c.Call("LMOVE", a, a, "right", "left"));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal("$1\r\n1\r\n", _c.Call("LMOVE", a, a, "left", "left"));
        Assert.Equal("$1\r\n3\r\n", _c.Call("LMOVE", a, a, "right", "right"));
        Assert.Equal("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal(":1\r\n", _c.Call("RPUSH", b, "x"));
        Assert.Equal("$1\r\nx\r\n", _c.Call("LMOVE", b, b, "left", "right"));
        Assert.Equal("*1\r\n$1\r\nx\r\n", _c.Call("LRANGE", b, "0", "-1"));
        Assert.Equal("$1\r\n3\r\n", _c.Call("RPOPLPUSH", a, a));
        Assert.Equal("*3\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n", _c.Call("LRANGE", a, "0", "-1"));
    }

    [Fact]
    public void Lmove_errors_and_wrong_type()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", s = t + "s", n = t + "n";
        Assert.Equal(":1\r\n", _c.Call("RPUSH", a, "1"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMOVE", a, b, "up", "left"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMOVE", a, b, "left", "down"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMOVE", n, b, "up", "left"));
        Assert.Equal("$-1\r\n", _c.Call("LMOVE", n, s, "left", "left"));
        Assert.Equal(WrongType, _c.Call("LMOVE", a, s, "left", "left"));
        Assert.Equal(WrongType, _c.Call("LMOVE", s, a, "left", "left"));
        Assert.Equal(WrongType, _c.Call("LMOVE", s, n, "left", "left"));
        Assert.Equal("*1\r\n$1\r\n1\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal("$1\r\nv\r\n", _c.Call("GET", s));
    }

    [Fact]
    public void Rpoplpush_moves_tail_to_head()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", c = t + "c", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":3\r\n", _c.Call("RPUSH", a, "1", "2", "3"));
        Assert.Equal(":1\r\n", _c.Call("RPUSH", b, "x"));
        Assert.Equal("$1\r\n3\r\n", _c.Call("RPOPLPUSH", a, b));
        Assert.Equal("$1\r\n2\r\n", _c.Call("RPOPLPUSH", a, b));
        Assert.Equal("*1\r\n$1\r\n1\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal("*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\nx\r\n", _c.Call("LRANGE", b, "0", "-1"));
        Assert.Equal("$1\r\n1\r\n", _c.Call("RPOPLPUSH", a, b));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", a));
        Assert.Equal("$-1\r\n", _c.Call("RPOPLPUSH", a, b));
        Assert.Equal("_\r\n", r3.Call("RPOPLPUSH", a, b));
        Assert.Equal("$-1\r\n", _c.Call("RPOPLPUSH", n, c));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", c));
    }

    [Fact]
    public void Rpoplpush_wrong_type()
    {
        var t = Tag();
        string a = t + "a", s = t + "s", n = t + "n";
        Assert.Equal(":1\r\n", _c.Call("RPUSH", a, "1"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        Assert.Equal(WrongType, _c.Call("RPOPLPUSH", a, s));
        Assert.Equal(WrongType, _c.Call("RPOPLPUSH", s, a));
        Assert.Equal("$-1\r\n", _c.Call("RPOPLPUSH", n, s));
        Assert.Equal("*1\r\n$1\r\n1\r\n", _c.Call("LRANGE", a, "0", "-1"));
    }

    [Fact]
    public void Lmpop_pops_from_the_first_non_empty_list()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", c = t + "c";
        using var r3 = Resp3();
        Assert.Equal(":5\r\n", _c.Call("RPUSH", b, "1", "2", "3", "4", "5"));
        Assert.Equal($"*2\r\n$15\r\n{b}\r\n*1\r\n$1\r\n1\r\n", _c.Call("LMPOP", "2", a, b, "left"));
        Assert.Equal($"*2\r\n$15\r\n{b}\r\n*1\r\n$1\r\n5\r\n", _c.Call("LMPOP", "2", a, b, "RIGHT"));
        Assert.Equal($"*2\r\n$15\r\n{b}\r\n*2\r\n$1\r\n2\r\n$1\r\n3\r\n", _c.Call("LMPOP", "2", a, b, "left", "count", "2"));
        Assert.Equal($"*2\r\n$15\r\n{b}\r\n*1\r\n$1\r\n4\r\n", r3.Call("LMPOP", "2", a, b, "right", "count", "1"));
        Assert.Equal("*0\r\n", _c.Call("LRANGE", b, "0", "-1"));
        Assert.Equal("*-1\r\n", _c.Call("LMPOP", "3", a, b, c, "right", "count", "10"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", b));
        Assert.Equal("*-1\r\n", _c.Call("LMPOP", "2", a, b, "left"));
        Assert.Equal("_\r\n", r3.Call("LMPOP", "2", a, b, "left", "count", "3"));
    }

    [Fact]
    public void Lmpop_count_larger_than_the_list_and_key_order()
    {
        var t = Tag();
        string a = t + "a", b = t + "b";
        Assert.Equal(":2\r\n", _c.Call("RPUSH", a, "a1", "a2"));
        Assert.Equal(":1\r\n", _c.Call("RPUSH", b, "b1"));
        Assert.Equal($"*2\r\n$15\r\n{b}\r\n*1\r\n$2\r\nb1\r\n", _c.Call("LMPOP", "2", b, a, "left", "count", "5"));
        Assert.Equal($"*2\r\n$15\r\n{a}\r\n*2\r\n$2\r\na1\r\n$2\r\na2\r\n", _c.Call("LMPOP", "2", b, a, "left", "count", "9223372036854775807"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", a));
    }

    [Fact]
    public void Lmpop_errors()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", s = t + "s", n = t + "n";
        Assert.Equal(":2\r\n", _c.Call("RPUSH", b, "1", "2"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", _c.Call("LMPOP", "0", a, "left"));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", _c.Call("LMPOP", "-1", a, "left"));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", _c.Call("LMPOP", "x", a, "left"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMPOP", "3", a, "left"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMPOP", "2", a, b));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMPOP", "5", a, b, "left"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMPOP", "9223372036854775807", a, "left"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMPOP", "1", a, "middle"));
        Assert.Equal("-ERR count should be greater than 0\r\n", _c.Call("LMPOP", "1", b, "left", "count", "0"));
        Assert.Equal("-ERR count should be greater than 0\r\n", _c.Call("LMPOP", "1", b, "left", "count", "-1"));
        Assert.Equal("-ERR count should be greater than 0\r\n", _c.Call("LMPOP", "1", b, "left", "count", "x"));
        Assert.Equal("-ERR count should be greater than 0\r\n", _c.Call("LMPOP", "1", n, "left", "count", "0"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMPOP", "1", b, "left", "count"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMPOP", "1", b, "left", "count", "1", "count", "2"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMPOP", "1", b, "left", "bogus"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMPOP", "1", b, "left", "count", "1", "bogus"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("LMPOP", "2", a, b, "left", "left"));
        Assert.Equal(WrongType, _c.Call("LMPOP", "2", s, b, "left"));
        Assert.Equal(WrongType, _c.Call("LMPOP", "2", a, s, "left"));
        Assert.Equal($"*2\r\n$15\r\n{b}\r\n*1\r\n$1\r\n1\r\n", _c.Call("LMPOP", "2", b, s, "left"));
        Assert.Equal("*1\r\n$1\r\n2\r\n", _c.Call("LRANGE", b, "0", "-1"));
    }

    [Fact]
    public void Elements_are_binary_safe()
    {
        var k = Encoding.UTF8.GetBytes(Tag()).Concat(new byte[] { 0, 0xff }).ToArray();
        byte[] crlf = [0, 13, 10], nul = [(byte)'a', 0, (byte)'b'], high = [0xff];
        Assert.Equal(":3\r\n", _c.Call("RPUSH", k, crlf, nul, high));
        Assert.Equal(":1\r\n", _c.Call("LPOS", k, nul));
        Assert.Equal(":4\r\n", _c.Call("LINSERT", k, "AFTER", nul, new byte[] { 13, 10 }));
        Assert.Equal(":1\r\n", _c.Call("LREM", k, "0", crlf));
        Assert.Equal("*3\r\n$3\r\na\0b\r\n$2\r\n\r\n\r\n$1\r\n"u8.ToArray().Concat(high).Concat("\r\n"u8.ToArray()),
            _c.CallBytes("LRANGE", k, "0", "-1"));
        Assert.Equal("*2\r\n$16\r\n"u8.ToArray().Concat(k).Concat("\r\n*1\r\n$3\r\na\0b\r\n"u8.ToArray()),
            _c.CallBytes("LMPOP", "1", k, "LEFT"));
    }

    [Fact]
    public void Multi_key_commands_across_slots_are_crossslot()
    {
        const string crossSlot = "-CROSSSLOT Keys in request don't hash to the same slot\r\n";
        string a = Tag() + "a", b = Tag() + "b";
        Assert.Equal(":1\r\n", _c.Call("RPUSH", a, "x"));
        Assert.Equal(crossSlot, _c.Call("LMOVE", a, b, "LEFT", "RIGHT"));
        Assert.Equal(crossSlot, _c.Call("RPOPLPUSH", a, b));
        Assert.Equal(crossSlot, _c.Call("LMPOP", "2", a, b, "LEFT"));
        Assert.Equal("*1\r\n$1\r\nx\r\n", _c.Call("LRANGE", a, "0", "-1"));
    }

    /// <summary>
    /// Pushes, pops, inserts in the middle (shifting either side), LSET and rotation on a list of
    /// hundreds of elements, checked step by step against a plain list (the same loop was checked
    /// against redis-server 7.0.15).
    /// </summary>
    [Fact]
    public void Long_list_matches_a_plain_list_through_wraps_and_shifts()
    {
        var k = Tag() + "long";
        var model = new List<string>();
        for (int i = 0; i < 900; i++)
        {
            string v = "v" + i;
            switch (i % 6)
            {
                case 0:
                    model.Insert(0, v);
                    Assert.Equal($":{model.Count}\r\n", _c.Call("LPUSH", k, v));
                    break;
                case 1:
                    model.Add(v);
                    Assert.Equal($":{model.Count}\r\n", _c.Call("RPUSH", k, v));
                    break;
                case 2:
                    string before = model[model.Count / 3];
                    model.Insert(model.Count / 3, v);
                    Assert.Equal($":{model.Count}\r\n", _c.Call("LINSERT", k, "BEFORE", before, v));
                    break;
                case 3:
                    string after = model[model.Count * 2 / 3];
                    model.Insert(model.Count * 2 / 3 + 1, v);
                    Assert.Equal($":{model.Count}\r\n", _c.Call("LINSERT", k, "AFTER", after, v));
                    break;
                case 4:
                    bool left = i % 12 == 4;
                    string popped = left ? model[0] : model[^1];
                    model.RemoveAt(left ? 0 : model.Count - 1);
                    Assert.Equal($"${popped.Length}\r\n{popped}\r\n", _c.Call(left ? "LPOP" : "RPOP", k));
                    break;
                default:
                    int index = i % model.Count;
                    model[index] = "s" + i;
                    Assert.Equal("+OK\r\n", _c.Call("LSET", k, index, "s" + i));
                    string last = model[^1];
                    model.RemoveAt(model.Count - 1);
                    model.Insert(0, last);
                    Assert.Equal($"${last.Length}\r\n{last}\r\n", _c.Call("LMOVE", k, k, "RIGHT", "LEFT"));
                    break;
            }
        }
        Assert.Equal(Bulks(model), _c.Call("LRANGE", k, "0", "-1"));
        Assert.Equal($"${model[300].Length}\r\n{model[300]}\r\n", _c.Call("LINDEX", k, "300"));
        Assert.Equal(":123\r\n", _c.Call("LPOS", k, model[123]));
        Assert.Equal(":1\r\n", _c.Call("LREM", k, "-1", model[200]));
        model.RemoveAt(200);
        model = model.GetRange(10, model.Count - 20);
        Assert.Equal("+OK\r\n", _c.Call("LTRIM", k, "10", "-11"));
        Assert.Equal(Bulks(model), _c.Call("LRANGE", k, "0", "-1"));
        Assert.Equal(Bulks(model.TakeLast(50).Reverse()), _c.Call("RPOP", k, "50"));
        Assert.Equal(Bulks(model.Take(model.Count - 50)), _c.Call("LPOP", k, "10000"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", k));
    }

    [Fact]
    public void Scripts_call_list_commands()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", n = t + "n";
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("EVAL",
            "redis.call('RPUSH', KEYS[1], 'a', 'b', 'c') redis.call('LPOP', KEYS[1]) return redis.call('LRANGE', KEYS[1], 0, -1)", "1", a));
        Assert.Equal("*1\r\n:1\r\n", _c.Call("EVAL", "return redis.call('LPOS', KEYS[1], 'c', 'COUNT', 0)", "1", a));
        Assert.Equal("$1\r\nb\r\n", _c.Call("EVAL", "return redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')", "2", a, b));
        // A nil array (missing key with a count) becomes false in Lua, then a nil bulk string.
        Assert.Equal("$-1\r\n", _c.Call("EVAL", "return redis.call('LPOP', KEYS[1], 5)", "1", n));
        Assert.Equal($"*2\r\n$15\r\n{a}\r\n*1\r\n$1\r\nc\r\n",
            _c.Call("EVAL", "return redis.call('LMPOP', 2, KEYS[1], KEYS[2], 'RIGHT', 'COUNT', 2)", "2", n, a));
        Assert.Equal("$-1\r\n", _c.Call("EVAL", "return redis.call('LMPOP', 1, KEYS[1], 'LEFT')", "1", n));
        Assert.Equal("$-1\r\n", _c.Call("EVAL", "return redis.call('LPOS', KEYS[1], 'zz')", "1", b));
        Assert.Equal("*3\r\n:1\r\n$1\r\nb\r\n:0\r\n", _c.Call("EVAL",
            "return {redis.call('LLEN', KEYS[1]), redis.call('LINDEX', KEYS[1], 0), redis.call('EXISTS', KEYS[2])}", "2", b, a));
    }

    [Fact]
    public void Script_errors_from_list_commands()
    {
        var t = Tag();
        string a = t + "a", n = t + "n";
        Assert.Equal(":1\r\n", _c.Call("RPUSH", a, "x"));
        const string negativeCount = "return redis.call('LPOP', KEYS[1], -1)";
        Assert.Equal($"-ERR value is out of range, must be positive script: {Sha(negativeCount)}, on @user_script:1.\r\n",
            _c.Call("EVAL", negativeCount, "1", a));
        const string noKeys = "return redis.call('LMPOP', 0, KEYS[1], 'LEFT')";
        Assert.Equal($"-ERR numkeys should be greater than 0 script: {Sha(noKeys)}, on @user_script:1.\r\n",
            _c.Call("EVAL", noKeys, "1", a));
        Assert.Equal("-ERR no such key\r\n", _c.Call("EVAL", "return redis.pcall('LSET', KEYS[1], 9, 'x')", "1", n));
        Assert.Equal("*1\r\n$1\r\nx\r\n", _c.Call("LRANGE", a, "0", "-1"));
    }

    [Fact]
    public void Failed_script_leaves_lists_exactly_as_before()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", c = t + "c";
        Assert.Equal(":3\r\n", _c.Call("RPUSH", a, "a", "b", "c"));
        const string changeThenFail = "redis.call('RPUSH', KEYS[1], 'd') redis.call('LSET', KEYS[1], 0, 'X') " +
            "redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') redis.call('LREM', KEYS[1], 0, 'b') error('boom')";
        Assert.Equal($"-ERR user_script:1: boom script: {Sha(changeThenFail)}, on @user_script:1.\r\n",
            _c.Call("EVAL", changeThenFail, "2", a, b));
        // Emptying (deleting) one list and creating another, then a failing command.
        const string emptyThenFail = "redis.call('LPOP', KEYS[1], 10) redis.call('RPUSH', KEYS[2], 'new') return redis.call('LPOP', KEYS[3], -1)";
        Assert.Equal($"-ERR value is out of range, must be positive script: {Sha(emptyThenFail)}, on @user_script:1.\r\n",
            _c.Call("EVAL", emptyThenFail, "3", a, c, a));
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("LRANGE", a, "0", "-1"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", b, c));
    }

    [Fact]
    public async Task Concurrent_pushes_then_pops_are_exact()
    {
        var k = Tag() + "queue";
        const int connections = 20, perConnection = 150;
        // Dedicated threads: blocking sockets on pool threads would starve the in-process silos.
        Task OnEachConnection(Action<int, RawRespClient> body) =>
            Task.WhenAll(Enumerable.Range(0, connections).Select(i => Task.Factory.StartNew(() =>
            {
                using var c = new RawRespClient(fixture.Ports[i % fixture.Ports.Length]);
                body(i, c);
            }, TaskCreationOptions.LongRunning)));

        await OnEachConnection((i, c) =>
        {
            for (int n = 0; n < perConnection; n++)
                Assert.StartsWith(":", c.Call(n % 2 == 0 ? "RPUSH" : "LPUSH", k, $"{i}:{n}"));
        });
        Assert.Equal($":{connections * perConnection}\r\n", _c.Call("LLEN", k));
        var elements = Elements(_c.Call("LRANGE", k, "0", "-1"));
        // Each connection's LPUSHes end up before every RPUSH, reversed; its RPUSHes follow in order.
        for (int i = 0; i < connections; i++)
        {
            var mine = elements.Where(e => e.StartsWith($"{i}:")).Select(e => int.Parse(e[(e.IndexOf(':') + 1)..])).ToList();
            Assert.Equal(Enumerable.Range(0, perConnection).Where(n => n % 2 == 1).Reverse()
                .Concat(Enumerable.Range(0, perConnection).Where(n => n % 2 == 0)), mine);
        }

        var popped = new System.Collections.Concurrent.ConcurrentBag<string>();
        await OnEachConnection((i, c) =>
        {
            for (int n = 0; n < perConnection / 3; n++)
                foreach (var e in Elements(c.Call(i % 2 == 0 ? "LPOP" : "RPOP", k, "3"))) popped.Add(e);
        });
        Assert.Equal(":0\r\n", _c.Call("EXISTS", k));
        Assert.Equal(elements.Order(), popped.Order());
    }

    /// <summary>OBJECT ENCODING's answer (Redis 7.2 list-max-listpack-size -2), on the value itself.</summary>
    [Fact]
    public void Encoding_is_listpack_up_to_8_kb_and_again_below_half_of_it()
    {
        var list = new RedisList();
        list.Push(ListEnd.Right, new byte[100]);
        Assert.Equal("listpack", list.Encoding);
        for (int i = 1; i < 100; i++) list.Push(ListEnd.Left, new byte[100]);
        Assert.Equal("quicklist", list.Encoding);
        while (list.Count > 60) list.Pop(ListEnd.Right);
        Assert.Equal("quicklist", list.Encoding);
        while (list.Count > 30) list.Pop(ListEnd.Left);
        Assert.Equal("listpack", list.Encoding);
        list[0] = new byte[9000];
        Assert.Equal("quicklist", list.Encoding);
    }

    [Fact]
    public void Clone_is_independent_of_the_original()
    {
        var list = new RedisList();
        foreach (var e in new[] { "a", "b", "c" }) list.Push(ListEnd.Right, Encoding.UTF8.GetBytes(e));
        var copy = (RedisList)list.Clone();
        list.Pop(ListEnd.Left);
        list[0] = "X"u8.ToArray();
        list.Insert(1, "Y"u8.ToArray());
        list.Remove("c"u8, long.MaxValue, ListEnd.Left);
        Assert.Equal(["a", "b", "c"], Enumerable.Range(0, copy.Count).Select(i => Encoding.UTF8.GetString(copy[i])));
        Assert.Equal(["X", "Y"], Enumerable.Range(0, list.Count).Select(i => Encoding.UTF8.GetString(list[i])));
    }

    /// <summary>The bulk strings of a flat array reply.</summary>
    private static List<string> Elements(string reply)
    {
        var lines = reply.Split("\r\n");
        return Enumerable.Range(0, lines.Length).Where(i => lines[i].StartsWith('$')).Select(i => lines[i + 1]).ToList();
    }
}
