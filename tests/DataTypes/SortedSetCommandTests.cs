using System.Security.Cryptography;
using System.Text;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Tests.Infrastructure;
using static OrleansLua.Tests.Infrastructure.TestValues;
using Xunit;

namespace OrleansLua.Tests.DataTypes;

/// <summary>
/// Sorted set commands over TCP. Every expected reply was recorded from redis-server 7.0.15, in
/// RESP2 and RESP3 (rollback of failed scripts and CROSSSLOT are OrleansLua's own documented
/// behaviour; random replies are checked for their properties).
/// </summary>
[Collection(ClusterCollection.Name)]
public class SortedSetCommandTests(ClusterFixture fixture)
{
    private readonly RawRespClient _c = new(fixture.Port);


    private RawRespClient Resp3() => Resp3Client(fixture.Port);


    [Fact]
    public void Zadd_adds_updates_and_counts()
    {
        var t = Tag();
        string k = t + "k";
        Assert.Equal(":3\r\n", _c.Call("ZADD", k, "1", "a", "2", "b", "3", "c"));
        Assert.Equal(":1\r\n", _c.Call("ZADD", k, "10", "a", "4", "d"));
        Assert.Equal(":4\r\n", _c.Call("ZCARD", k));
        Assert.Equal("*8\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\na\r\n$2\r\n10\r\n", _c.Call("ZRANGE", k, "0", "-1", "WITHSCORES"));
        Assert.Equal("+zset\r\n", _c.Call("TYPE", k));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZADD", k, "1", "a", "2"));
        Assert.Equal("-ERR wrong number of arguments for 'zadd' command\r\n", _c.Call("ZADD", k));
        Assert.Equal("-ERR wrong number of arguments for 'zadd' command\r\n", _c.Call("ZADD", k, "NX"));
    }

    [Fact]
    public void Zadd_nx_xx_gt_lt_ch()
    {
        var t = Tag();
        string k = t + "k", n = t + "n";
        Assert.Equal(":2\r\n", _c.Call("ZADD", k, "1", "a", "5", "b"));
        Assert.Equal(":1\r\n", _c.Call("ZADD", k, "NX", "9", "a", "3", "c"));
        Assert.Equal(":0\r\n", _c.Call("ZADD", k, "XX", "7", "a", "4", "z"));
        Assert.Equal(":2\r\n", _c.Call("ZADD", k, "XX", "CH", "8", "a", "8", "b", "1", "zz"));
        Assert.Equal(":2\r\n", _c.Call("ZADD", k, "GT", "CH", "1", "a", "20", "b", "2", "d"));
        Assert.Equal(":2\r\n", _c.Call("ZADD", k, "LT", "CH", "1", "a", "30", "b", "0.5", "e"));
        Assert.Equal(":0\r\n", _c.Call("ZADD", k, "XX", "GT", "100", "a"));
        Assert.Equal("*10\r\n$1\r\ne\r\n$3\r\n0.5\r\n$1\r\nd\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$2\r\n20\r\n$1\r\na\r\n$3\r\n100\r\n", _c.Call("ZRANGE", k, "0", "-1", "WITHSCORES"));
        Assert.Equal(":0\r\n", _c.Call("ZADD", n, "XX", "1", "a"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", n));
    }

    [Fact]
    public void Zadd_option_conflicts_and_bad_scores()
    {
        var t = Tag();
        string s = t + "s", k = t + "k";
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal("-ERR XX and NX options at the same time are not compatible\r\n", _c.Call("ZADD", k, "NX", "XX", "1", "a"));
        Assert.Equal("-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", _c.Call("ZADD", k, "GT", "LT", "1", "a"));
        Assert.Equal("-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", _c.Call("ZADD", k, "GT", "NX", "1", "a"));
        Assert.Equal("-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", _c.Call("ZADD", k, "LT", "NX", "1", "a"));
        Assert.Equal("-ERR INCR option supports a single increment-element pair\r\n", _c.Call("ZADD", k, "INCR", "1", "a", "2", "b"));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("ZADD", k, "x", "a"));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("ZADD", k, "nan", "a"));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("ZADD", k, "1e400", "a"));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("ZADD", k, "1e-400", "a"));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("ZADD", k, "1", "a", "2b", "b"));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("ZADD", s, "x", "a"));
        Assert.Equal(WrongType, _c.Call("ZADD", s, "1", "a"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", k));
    }

    [Fact]
    public void Zadd_incr_replies_the_new_score()
    {
        var t = Tag();
        string k = t + "k";
        using var r3 = Resp3();
        Assert.Equal("$18\r\n1.1000000000000001\r\n", _c.Call("ZADD", k, "INCR", "1.1", "a"));
        Assert.Equal("$18\r\n2.1000000000000001\r\n", _c.Call("ZADD", k, "INCR", "1", "a"));
        Assert.Equal("$-1\r\n", _c.Call("ZADD", k, "XX", "INCR", "1", "nope"));
        Assert.Equal("$-1\r\n", _c.Call("ZADD", k, "NX", "INCR", "1", "a"));
        Assert.Equal("$-1\r\n", _c.Call("ZADD", k, "GT", "INCR", "-5", "a"));
        Assert.Equal("$19\r\n-2.8999999999999999\r\n", _c.Call("ZADD", k, "LT", "INCR", "-5", "a"));
        Assert.Equal("$19\r\n-1.8999999999999999\r\n", _c.Call("ZADD", k, "XX", "INCR", "1", "a"));
        Assert.Equal(",-0.79999999999999982\r\n", r3.Call("ZADD", k, "INCR", "1.1", "a"));
        Assert.Equal("_\r\n", r3.Call("ZADD", k, "XX", "INCR", "1", "nope"));
        Assert.Equal("$20\r\n-0.79999999999999982\r\n", _c.Call("ZSCORE", k, "a"));
    }

    [Fact]
    public void Zadd_special_scores()
    {
        var t = Tag();
        string k = t + "k";
        using var r3 = Resp3();
        Assert.Equal(":7\r\n", _c.Call("ZADD", k, "inf", "a", "-inf", "b", "+inf", "c", "1e-310", "d", "0.1", "e", "1e20", "f", "123456789012345678", "g"));
        Assert.Equal("*14\r\n$1\r\nb\r\n$4\r\n-inf\r\n$1\r\nd\r\n$23\r\n9.9999999999999694e-311\r\n$1\r\ne\r\n$19\r\n0.10000000000000001\r\n$1\r\ng\r\n$22\r\n1.2345678901234568e+17\r\n$1\r\nf\r\n$5\r\n1e+20\r\n$1\r\na\r\n$3\r\ninf\r\n$1\r\nc\r\n$3\r\ninf\r\n", _c.Call("ZRANGE", k, "0", "-1", "WITHSCORES"));
        Assert.Equal("*7\r\n*2\r\n$1\r\nb\r\n,-inf\r\n*2\r\n$1\r\nd\r\n,9.9999999999999694e-311\r\n*2\r\n$1\r\ne\r\n,0.10000000000000001\r\n*2\r\n$1\r\ng\r\n,1.2345678901234568e+17\r\n*2\r\n$1\r\nf\r\n,1e+20\r\n*2\r\n$1\r\na\r\n,inf\r\n*2\r\n$1\r\nc\r\n,inf\r\n", r3.Call("ZRANGE", k, "0", "-1", "WITHSCORES"));
        Assert.Equal("-ERR resulting score is not a number (NaN)\r\n", _c.Call("ZADD", k, "INCR", "-inf", "a"));
        Assert.Equal("$3\r\ninf\r\n", _c.Call("ZSCORE", k, "a"));
        Assert.Equal("-ERR resulting score is not a number (NaN)\r\n", _c.Call("ZINCRBY", k, "inf", "b"));
    }

    [Fact]
    public void Zincrby_creates_and_increments()
    {
        var t = Tag();
        string k = t + "k", s = t + "s";
        using var r3 = Resp3();
        Assert.Equal("$3\r\n1.5\r\n", _c.Call("ZINCRBY", k, "1.5", "a"));
        Assert.Equal("$3\r\n3.5\r\n", _c.Call("ZINCRBY", k, "2", "a"));
        Assert.Equal("$1\r\n3\r\n", _c.Call("ZINCRBY", k, "-0.5", "a"));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("ZINCRBY", k, "x", "a"));
        Assert.Equal(",3.1000000000000001\r\n", r3.Call("ZINCRBY", k, "0.1", "a"));
        Assert.Equal(",1\r\n", r3.Call("ZINCRBY", k, "1", "b"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal(WrongType, _c.Call("ZINCRBY", s, "1", "a"));
        Assert.Equal("*4\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$18\r\n3.1000000000000001\r\n", _c.Call("ZRANGE", k, "0", "-1", "WITHSCORES"));
    }

    [Fact]
    public void Zrem_removes_and_deletes_the_emptied_key()
    {
        var t = Tag();
        string k = t + "k", n = t + "n", s = t + "s";
        Assert.Equal(":3\r\n", _c.Call("ZADD", k, "1", "a", "2", "b", "3", "c"));
        Assert.Equal(":1\r\n", _c.Call("ZREM", k, "a", "nope", "a"));
        Assert.Equal(":2\r\n", _c.Call("ZREM", k, "b", "c"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", k));
        Assert.Equal(":0\r\n", _c.Call("ZREM", n, "a"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal(WrongType, _c.Call("ZREM", s, "a"));
    }

    [Fact]
    public void Zscore_zmscore_zcard()
    {
        var t = Tag();
        string k = t + "k", s = t + "s", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":2\r\n", _c.Call("ZADD", k, "1.1", "a", "2", "b"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal("$18\r\n1.1000000000000001\r\n", _c.Call("ZSCORE", k, "a"));
        Assert.Equal("$-1\r\n", _c.Call("ZSCORE", k, "nope"));
        Assert.Equal("$-1\r\n", _c.Call("ZSCORE", n, "a"));
        Assert.Equal(WrongType, _c.Call("ZSCORE", s, "a"));
        Assert.Equal(",1.1000000000000001\r\n", r3.Call("ZSCORE", k, "a"));
        Assert.Equal(",2\r\n", r3.Call("ZSCORE", k, "b"));
        Assert.Equal("_\r\n", r3.Call("ZSCORE", k, "nope"));
        Assert.Equal("*3\r\n$18\r\n1.1000000000000001\r\n$-1\r\n$1\r\n2\r\n", _c.Call("ZMSCORE", k, "a", "nope", "b"));
        Assert.Equal("*2\r\n$-1\r\n$-1\r\n", _c.Call("ZMSCORE", n, "a", "b"));
        Assert.Equal(WrongType, _c.Call("ZMSCORE", s, "a"));
        Assert.Equal("*3\r\n,1.1000000000000001\r\n_\r\n,2\r\n", r3.Call("ZMSCORE", k, "a", "nope", "b"));
        Assert.Equal("*1\r\n_\r\n", r3.Call("ZMSCORE", n, "a"));
        Assert.Equal(":2\r\n", _c.Call("ZCARD", k));
        Assert.Equal(":0\r\n", _c.Call("ZCARD", n));
        Assert.Equal(WrongType, _c.Call("ZCARD", s));
        Assert.Equal("-ERR wrong number of arguments for 'zmscore' command\r\n", _c.Call("ZMSCORE", k));
    }

    [Fact]
    public void Zrank_and_zrevrank()
    {
        var t = Tag();
        string k = t + "k", s = t + "s", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":4\r\n", _c.Call("ZADD", k, "1", "a", "2", "b", "3", "c", "3", "d"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal(":0\r\n", _c.Call("ZRANK", k, "a"));
        Assert.Equal(":3\r\n", _c.Call("ZRANK", k, "d"));
        Assert.Equal(":3\r\n", _c.Call("ZREVRANK", k, "a"));
        Assert.Equal(":0\r\n", _c.Call("ZREVRANK", k, "d"));
        Assert.Equal("$-1\r\n", _c.Call("ZRANK", k, "nope"));
        Assert.Equal("_\r\n", r3.Call("ZRANK", k, "nope"));
        Assert.Equal("$-1\r\n", _c.Call("ZREVRANK", n, "a"));
        Assert.Equal(WrongType, _c.Call("ZRANK", s, "a"));
        Assert.Equal("-ERR wrong number of arguments for 'zrank' command\r\n", _c.Call("ZRANK", k, "a", "WITHSCORE"));
    }

    [Fact]
    public void Zrange_by_rank()
    {
        var t = Tag();
        string k = t + "k", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":5\r\n", _c.Call("ZADD", k, "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"));
        Assert.Equal("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", _c.Call("ZRANGE", k, "0", "-1"));
        Assert.Equal("*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n", _c.Call("ZRANGE", k, "-2", "-1", "WITHSCORES"));
        Assert.Equal("*2\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\ne\r\n,5\r\n", r3.Call("ZRANGE", k, "-2", "-1", "WITHSCORES"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGE", k, "3", "1"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGE", k, "10", "20"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", _c.Call("ZRANGE", k, "-100", "1"));
        Assert.Equal("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", _c.Call("ZRANGE", k, "0", "100"));
        Assert.Equal("*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n", _c.Call("ZRANGE", k, "0", "1", "REV", "WITHSCORES"));
        Assert.Equal("*1\r\n$1\r\na\r\n", _c.Call("ZRANGE", k, "-1", "-1", "REV"));
        Assert.Equal("*2\r\n$1\r\ne\r\n$1\r\nd\r\n", _c.Call("ZREVRANGE", k, "0", "1"));
        Assert.Equal("*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n", _c.Call("ZREVRANGE", k, "-2", "-1", "WITHSCORES"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGE", n, "0", "-1"));
        Assert.Equal("*0\r\n", r3.Call("ZRANGE", n, "0", "-1"));
    }

    [Fact]
    public void Zrange_by_score()
    {
        var t = Tag();
        string k = t + "k", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":5\r\n", _c.Call("ZADD", k, "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"));
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("ZRANGE", k, "1", "3", "BYSCORE"));
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("ZRANGE", k, "(1", "3", "BYSCORE"));
        Assert.Equal("*1\r\n$1\r\nb\r\n", _c.Call("ZRANGE", k, "(1", "(3", "BYSCORE"));
        Assert.Equal("*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", _c.Call("ZRANGE", k, "3", "1", "BYSCORE", "REV"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGE", k, "1", "3", "BYSCORE", "REV"));
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("ZRANGE", k, "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGE", k, "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"));
        Assert.Equal("*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", _c.Call("ZRANGE", k, "-inf", "+inf", "BYSCORE", "LIMIT", "1", "-1"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGE", k, "-inf", "+inf", "BYSCORE", "LIMIT", "1", "0"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGE", k, "-inf", "+inf", "BYSCORE", "LIMIT", "10", "1"));
        Assert.Equal("*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("ZRANGE", k, "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2", "WITHSCORES"));
        Assert.Equal("*2\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nc\r\n,3\r\n", r3.Call("ZRANGE", k, "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2", "WITHSCORES"));
        Assert.Equal("*1\r\n$1\r\na\r\n", _c.Call("ZRANGE", k, "(", "1", "BYSCORE"));
        Assert.Equal("*1\r\n$1\r\nb\r\n", _c.Call("ZRANGE", k, "2", "2", "BYSCORE"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGE", k, "(2", "2", "BYSCORE"));
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("ZRANGEBYSCORE", k, "1", "3"));
        Assert.Equal("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", _c.Call("ZRANGEBYSCORE", k, "-inf", "2.5", "WITHSCORES"));
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\n2\r\n", _c.Call("ZRANGEBYSCORE", k, "1", "3", "WITHSCORES", "LIMIT", "1", "1"));
        Assert.Equal("*1\r\n*2\r\n$1\r\nb\r\n,2\r\n", r3.Call("ZRANGEBYSCORE", k, "1", "3", "WITHSCORES", "LIMIT", "1", "1"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGEBYSCORE", k, "3", "1"));
        Assert.Equal("*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", _c.Call("ZREVRANGEBYSCORE", k, "3", "1"));
        Assert.Equal("*0\r\n", _c.Call("ZREVRANGEBYSCORE", k, "1", "3"));
        Assert.Equal("*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n", _c.Call("ZREVRANGEBYSCORE", k, "+inf", "-inf", "WITHSCORES", "LIMIT", "0", "2"));
        Assert.Equal("*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n", _c.Call("ZREVRANGEBYSCORE", k, "(5", "(1"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGEBYSCORE", n, "1", "2"));
    }

    [Fact]
    public void Zrange_by_lex()
    {
        var t = Tag();
        string k = t + "k", n = t + "n";
        Assert.Equal(":5\r\n", _c.Call("ZADD", k, "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"));
        Assert.Equal("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", _c.Call("ZRANGE", k, "-", "+", "BYLEX"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", _c.Call("ZRANGE", k, "[a", "(c", "BYLEX"));
        Assert.Equal("*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", _c.Call("ZRANGE", k, "+", "-", "BYLEX", "REV"));
        Assert.Equal("*1\r\n$1\r\nb\r\n", _c.Call("ZRANGE", k, "(c", "-", "BYLEX", "REV", "LIMIT", "0", "1"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGE", k, "+", "-", "BYLEX"));
        Assert.Equal("*1\r\n$1\r\nc\r\n", _c.Call("ZRANGE", k, "[c", "[c", "BYLEX"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGE", k, "(c", "[c", "BYLEX"));
        Assert.Equal("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n", _c.Call("ZRANGEBYLEX", k, "-", "+"));
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("ZRANGEBYLEX", k, "-", "+", "LIMIT", "1", "2"));
        Assert.Equal("*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", _c.Call("ZRANGEBYLEX", k, "[b", "[d"));
        Assert.Equal("*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", _c.Call("ZREVRANGEBYLEX", k, "+", "-"));
        Assert.Equal("*2\r\n$1\r\ne\r\n$1\r\nd\r\n", _c.Call("ZREVRANGEBYLEX", k, "+", "-", "LIMIT", "0", "2"));
        Assert.Equal("*2\r\n$1\r\nc\r\n$1\r\nb\r\n", _c.Call("ZREVRANGEBYLEX", k, "[d", "(a", "LIMIT", "1", "5"));
        Assert.Equal("*0\r\n", _c.Call("ZRANGEBYLEX", n, "-", "+"));
    }

    [Fact]
    public void Zrange_errors()
    {
        var t = Tag();
        string k = t + "k", s = t + "s";
        Assert.Equal(":2\r\n", _c.Call("ZADD", k, "1", "a", "2", "b"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("ZRANGE", k, "x", "1"));
        Assert.Equal("-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", _c.Call("ZRANGE", k, "0", "-1", "LIMIT", "0", "1"));
        Assert.Equal("-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", _c.Call("ZRANGE", k, "0", "-1", "WITHSCORES", "LIMIT", "0", "1"));
        Assert.Equal("-ERR min or max is not a float\r\n", _c.Call("ZRANGE", k, "x", "1", "BYSCORE"));
        Assert.Equal("-ERR min or max is not a float\r\n", _c.Call("ZRANGE", k, "(x", "1", "BYSCORE"));
        Assert.Equal("-ERR min or max is not a float\r\n", _c.Call("ZRANGE", k, "nan", "1", "BYSCORE"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZRANGE", k, "1", "3", "BYSCORE", "BYSCORE"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZRANGE", k, "1", "3", "REV", "REV"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZRANGE", k, "1", "3", "BYSCORE", "BYLEX"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZRANGE", k, "1", "3", "BYSCORE", "LIMIT"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZRANGE", k, "1", "3", "BYSCORE", "LIMIT", "1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("ZRANGE", k, "1", "3", "BYSCORE", "LIMIT", "x", "1"));
        Assert.Equal("-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n", _c.Call("ZRANGE", k, "-", "+", "BYLEX", "WITHSCORES"));
        Assert.Equal("-ERR min or max not valid string range item\r\n", _c.Call("ZRANGE", k, "a", "c", "BYLEX"));
        Assert.Equal("-ERR min or max not valid string range item\r\n", _c.Call("ZRANGE", k, "-", "+x", "BYLEX"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZRANGE", k, "0", "-1", "foo"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZRANGEBYSCORE", k, "1", "3", "REV"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZRANGEBYSCORE", k, "1", "3", "BYSCORE"));
        Assert.Equal("-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n", _c.Call("ZRANGEBYLEX", k, "-", "+", "WITHSCORES"));
        Assert.Equal("-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", _c.Call("ZREVRANGE", k, "0", "1", "WITHSCORES", "LIMIT", "1", "1"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZREVRANGE", k, "0", "1", "REV"));
        Assert.Equal(WrongType, _c.Call("ZRANGE", s, "0", "-1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("ZRANGE", s, "x", "-1"));
        Assert.Equal("-ERR min or max is not a float\r\n", _c.Call("ZRANGEBYSCORE", s, "x", "1"));
        Assert.Equal(WrongType, _c.Call("ZRANGEBYLEX", s, "-", "+"));
    }

    [Fact]
    public void Zcount_and_zlexcount()
    {
        var t = Tag();
        string k = t + "k", s = t + "s", n = t + "n";
        Assert.Equal(":5\r\n", _c.Call("ZADD", k, "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal(":3\r\n", _c.Call("ZCOUNT", k, "2", "4"));
        Assert.Equal(":2\r\n", _c.Call("ZCOUNT", k, "(2", "4"));
        Assert.Equal(":5\r\n", _c.Call("ZCOUNT", k, "-inf", "+inf"));
        Assert.Equal(":0\r\n", _c.Call("ZCOUNT", k, "(5", "+inf"));
        Assert.Equal(":0\r\n", _c.Call("ZCOUNT", k, "4", "2"));
        Assert.Equal("-ERR min or max is not a float\r\n", _c.Call("ZCOUNT", k, "x", "4"));
        Assert.Equal(":0\r\n", _c.Call("ZCOUNT", n, "1", "2"));
        Assert.Equal(WrongType, _c.Call("ZCOUNT", s, "1", "2"));
        Assert.Equal(":5\r\n", _c.Call("ZLEXCOUNT", k, "-", "+"));
        Assert.Equal(":2\r\n", _c.Call("ZLEXCOUNT", k, "[b", "(d"));
        Assert.Equal(":0\r\n", _c.Call("ZLEXCOUNT", k, "+", "-"));
        Assert.Equal("-ERR min or max not valid string range item\r\n", _c.Call("ZLEXCOUNT", k, "b", "d"));
        Assert.Equal(":0\r\n", _c.Call("ZLEXCOUNT", n, "-", "+"));
        Assert.Equal(WrongType, _c.Call("ZLEXCOUNT", s, "-", "+"));
    }

    [Fact]
    public void Zrangestore_stores_ranges_and_deletes_on_empty()
    {
        var t = Tag();
        string src = t + "src", s = t + "s", dst = t + "dst", n = t + "n";
        Assert.Equal(":4\r\n", _c.Call("ZADD", src, "1", "a", "2", "b", "3", "c", "4", "d"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal(":4\r\n", _c.Call("ZRANGESTORE", dst, src, "0", "-1"));
        Assert.Equal("*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n", _c.Call("ZRANGE", dst, "0", "-1", "WITHSCORES"));
        Assert.Equal(":2\r\n", _c.Call("ZRANGESTORE", dst, src, "(1", "+inf", "BYSCORE", "LIMIT", "0", "2"));
        Assert.Equal("*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("ZRANGE", dst, "0", "-1", "WITHSCORES"));
        Assert.Equal(":1\r\n", _c.Call("ZRANGESTORE", dst, src, "+inf", "(1", "BYSCORE", "REV", "LIMIT", "0", "1"));
        Assert.Equal("*2\r\n$1\r\nd\r\n$1\r\n4\r\n", _c.Call("ZRANGE", dst, "0", "-1", "WITHSCORES"));
        Assert.Equal(":3\r\n", _c.Call("ZRANGESTORE", dst, src, "[c", "-", "BYLEX", "REV"));
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("ZRANGE", dst, "0", "-1"));
        Assert.Equal(":1\r\n", _c.Call("ZRANGESTORE", dst, src, "0", "0", "REV"));
        Assert.Equal("*1\r\n$1\r\nd\r\n", _c.Call("ZRANGE", dst, "0", "-1"));
        Assert.Equal("+OK\r\n", _c.Call("SET", dst, "x"));
        Assert.Equal(":0\r\n", _c.Call("ZRANGESTORE", dst, src, "5", "6"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", dst));
        Assert.Equal(":0\r\n", _c.Call("ZRANGESTORE", dst, n, "0", "-1"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZRANGESTORE", dst, src, "0", "-1", "WITHSCORES"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZRANGESTORE", dst, src, "0", "-1", "foo"));
        Assert.Equal(WrongType, _c.Call("ZRANGESTORE", dst, s, "0", "-1"));
        Assert.Equal(":2\r\n", _c.Call("ZRANGESTORE", src, src, "1", "2"));
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("ZRANGE", src, "0", "-1"));
    }

    [Fact]
    public void Zremrangebyscore_rank_lex()
    {
        var t = Tag();
        string k = t + "k", s = t + "s", n = t + "n";
        Assert.Equal(":6\r\n", _c.Call("ZADD", k, "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal("-ERR min or max is not a float\r\n", _c.Call("ZREMRANGEBYSCORE", k, "x", "1"));
        Assert.Equal(":1\r\n", _c.Call("ZREMRANGEBYSCORE", k, "(1", "2"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("ZREMRANGEBYRANK", k, "x", "1"));
        Assert.Equal(":1\r\n", _c.Call("ZREMRANGEBYRANK", k, "0", "0"));
        Assert.Equal(":1\r\n", _c.Call("ZREMRANGEBYRANK", k, "-1", "-1"));
        Assert.Equal(":0\r\n", _c.Call("ZREMRANGEBYRANK", k, "5", "10"));
        Assert.Equal(":0\r\n", _c.Call("ZREMRANGEBYRANK", k, "1", "0"));
        Assert.Equal("-ERR min or max not valid string range item\r\n", _c.Call("ZREMRANGEBYLEX", k, "a", "b"));
        Assert.Equal(":1\r\n", _c.Call("ZREMRANGEBYLEX", k, "-", "[c"));
        Assert.Equal("*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n", _c.Call("ZRANGE", k, "0", "-1", "WITHSCORES"));
        Assert.Equal(":0\r\n", _c.Call("ZREMRANGEBYSCORE", n, "1", "2"));
        Assert.Equal(":0\r\n", _c.Call("ZREMRANGEBYRANK", n, "0", "1"));
        Assert.Equal(":0\r\n", _c.Call("ZREMRANGEBYLEX", n, "-", "+"));
        Assert.Equal(WrongType, _c.Call("ZREMRANGEBYSCORE", s, "1", "2"));
        Assert.Equal(WrongType, _c.Call("ZREMRANGEBYRANK", s, "0", "1"));
        Assert.Equal(WrongType, _c.Call("ZREMRANGEBYLEX", s, "-", "+"));
        Assert.Equal(":2\r\n", _c.Call("ZREMRANGEBYRANK", k, "0", "-1"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", k));
    }

    [Fact]
    public void Zpopmin_zpopmax()
    {
        var t = Tag();
        string k = t + "k", s = t + "s", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":5\r\n", _c.Call("ZADD", k, "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\n1\r\n", _c.Call("ZPOPMIN", k));
        Assert.Equal("*2\r\n$1\r\nb\r\n,2\r\n", r3.Call("ZPOPMIN", k));
        Assert.Equal("*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n", _c.Call("ZPOPMIN", k, "2"));
        Assert.Equal("*1\r\n*2\r\n$1\r\ne\r\n,5\r\n", r3.Call("ZPOPMAX", k, "1"));
        Assert.Equal("*0\r\n", _c.Call("ZPOPMAX", k, "0"));
        Assert.Equal("*0\r\n", r3.Call("ZPOPMAX", k, "0"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", _c.Call("ZPOPMAX", k, "-1"));
        Assert.Equal("-ERR value is out of range, must be positive\r\n", _c.Call("ZPOPMAX", k, "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZPOPMIN", k, "1", "2"));
        Assert.Equal("*0\r\n", _c.Call("ZPOPMAX", k, "10"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", k));
        Assert.Equal("*0\r\n", _c.Call("ZPOPMIN", n));
        Assert.Equal("*0\r\n", r3.Call("ZPOPMIN", n));
        Assert.Equal("*0\r\n", _c.Call("ZPOPMIN", n, "2"));
        Assert.Equal(WrongType, _c.Call("ZPOPMIN", s));
        Assert.Equal(WrongType, _c.Call("ZPOPMIN", s, "0"));
        Assert.Equal(":2\r\n", _c.Call("ZADD", k, "1", "a", "2", "b"));
        Assert.Equal("*2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n", r3.Call("ZPOPMAX", k, "10"));
    }

    [Fact]
    public void Zmpop_pops_from_the_first_non_empty_key()
    {
        var t = Tag();
        string b = t + "b", s = t + "s", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":3\r\n", _c.Call("ZADD", b, "1", "a", "2", "b", "3", "c"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal("*2\r\n$15\r\n" + b + "\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", _c.Call("ZMPOP", "1", b, "MIN"));
        Assert.Equal("*2\r\n$15\r\n" + b + "\r\n*1\r\n*2\r\n$1\r\nb\r\n,2\r\n", r3.Call("ZMPOP", "1", b, "MIN"));
        Assert.Equal("*2\r\n$15\r\n" + b + "\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", _c.Call("ZMPOP", "2", n, b, "MAX", "COUNT", "5"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", b));
        Assert.Equal("*-1\r\n", _c.Call("ZMPOP", "1", n, "MIN"));
        Assert.Equal("_\r\n", r3.Call("ZMPOP", "1", n, "MIN"));
        Assert.Equal(WrongType, _c.Call("ZMPOP", "2", n, s, "MIN"));
        Assert.Equal(":1\r\n", _c.Call("ZADD", b, "9", "z"));
        Assert.Equal("*2\r\n$15\r\n" + b + "\r\n*1\r\n*2\r\n$1\r\nz\r\n$1\r\n9\r\n", _c.Call("ZMPOP", "2", b, s, "MAX"));
    }

    [Fact]
    public void Zmpop_errors()
    {
        var t = Tag();
        string k = t + "k";
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", _c.Call("ZMPOP", "0", k, "MIN"));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", _c.Call("ZMPOP", "x", k, "MIN"));
        Assert.Equal("-ERR numkeys should be greater than 0\r\n", _c.Call("ZMPOP", "-1", k, "MIN"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZMPOP", "2", k, "MIN"));
        Assert.Equal("-ERR wrong number of arguments for 'zmpop' command\r\n", _c.Call("ZMPOP", "1", k));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZMPOP", "1", k, "foo"));
        Assert.Equal("-ERR count should be greater than 0\r\n", _c.Call("ZMPOP", "1", k, "MIN", "COUNT", "0"));
        Assert.Equal("-ERR count should be greater than 0\r\n", _c.Call("ZMPOP", "1", k, "MIN", "COUNT", "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZMPOP", "1", k, "MIN", "COUNT", "1", "COUNT", "1"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZMPOP", "1", k, "MIN", "COUNT"));
    }

    [Fact]
    public void Zrandmember_whole_set_and_errors()
    {
        var t = Tag();
        string k = t + "k", s = t + "s", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":3\r\n", _c.Call("ZADD", k, "1", "a", "2", "b", "3", "c"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal("*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", _c.Call("ZRANDMEMBER", k, "3"));
        Assert.Equal("*6\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n", _c.Call("ZRANDMEMBER", k, "10", "WITHSCORES"));
        Assert.Equal("*3\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n", r3.Call("ZRANDMEMBER", k, "10", "WITHSCORES"));
        Assert.Equal("*0\r\n", _c.Call("ZRANDMEMBER", k, "0"));
        Assert.Equal("$-1\r\n", _c.Call("ZRANDMEMBER", n));
        Assert.Equal("_\r\n", r3.Call("ZRANDMEMBER", n));
        Assert.Equal("*0\r\n", _c.Call("ZRANDMEMBER", n, "2"));
        Assert.Equal("*0\r\n", _c.Call("ZRANDMEMBER", n, "2", "WITHSCORES"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("ZRANDMEMBER", k, "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZRANDMEMBER", k, "2", "foo"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZRANDMEMBER", k, "2", "WITHSCORES", "foo"));
        Assert.Equal("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n", _c.Call("ZRANDMEMBER", k, "-9223372036854775808"));
        Assert.Equal("-ERR value is out of range\r\n", _c.Call("ZRANDMEMBER", k, "-9223372036854775807", "WITHSCORES"));
        Assert.Equal("-ERR value is out of range\r\n", _c.Call("ZRANDMEMBER", k, "4611686018427387904", "WITHSCORES"));
        Assert.Equal(WrongType, _c.Call("ZRANDMEMBER", s));
        Assert.Equal(WrongType, _c.Call("ZRANDMEMBER", s, "1"));
    }

    [Fact]
    public void Zunion_zinter_zdiff()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":3\r\n", _c.Call("ZADD", a, "1", "x", "2", "y", "3", "z"));
        Assert.Equal(":3\r\n", _c.Call("ZADD", b, "10", "y", "20", "z", "30", "w"));
        Assert.Equal("*4\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\nw\r\n", _c.Call("ZUNION", "2", a, b));
        Assert.Equal("*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n", _c.Call("ZUNION", "2", a, b, "WITHSCORES"));
        Assert.Equal("*4\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,12\r\n*2\r\n$1\r\nz\r\n,23\r\n*2\r\n$1\r\nw\r\n,30\r\n", r3.Call("ZUNION", "2", a, b, "WITHSCORES"));
        Assert.Equal("*8\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n5\r\n$1\r\nz\r\n$2\r\n10\r\n$1\r\nw\r\n$2\r\n15\r\n", _c.Call("ZUNION", "2", a, b, "WEIGHTS", "2", "0.5", "AGGREGATE", "MAX", "WITHSCORES"));
        Assert.Equal("*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\nw\r\n$2\r\n30\r\n", _c.Call("ZUNION", "2", a, b, "AGGREGATE", "MIN", "WITHSCORES"));
        Assert.Equal("*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n10\r\n$1\r\nz\r\n$2\r\n20\r\n$1\r\nw\r\n$2\r\n30\r\n", _c.Call("ZUNION", "2", a, b, "AGGREGATE", "SUM", "WEIGHTS", "1", "1", "AGGREGATE", "MAX", "WITHSCORES"));
        Assert.Equal("*4\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n", _c.Call("ZINTER", "2", a, b, "WITHSCORES"));
        Assert.Equal("*2\r\n*2\r\n$1\r\ny\r\n,12\r\n*2\r\n$1\r\nz\r\n,23\r\n", r3.Call("ZINTER", "2", a, b, "WITHSCORES"));
        Assert.Equal("*4\r\n$1\r\ny\r\n$2\r\n10\r\n$1\r\nz\r\n$2\r\n20\r\n", _c.Call("ZINTER", "2", a, b, "AGGREGATE", "MAX", "WITHSCORES"));
        Assert.Equal("*4\r\n$1\r\nz\r\n$3\r\n-17\r\n$1\r\ny\r\n$2\r\n-8\r\n", _c.Call("ZINTER", "2", a, b, "WEIGHTS", "1", "-1", "WITHSCORES"));
        Assert.Equal("*0\r\n", _c.Call("ZINTER", "2", a, n, "WITHSCORES"));
        Assert.Equal("*2\r\n$1\r\nx\r\n$1\r\n1\r\n", _c.Call("ZDIFF", "2", a, b, "WITHSCORES"));
        Assert.Equal("*1\r\n$1\r\nw\r\n", _c.Call("ZDIFF", "2", b, a));
        Assert.Equal("*2\r\n$1\r\nx\r\n$1\r\n1\r\n", _c.Call("ZDIFF", "3", a, n, b, "WITHSCORES"));
        Assert.Equal("*0\r\n", _c.Call("ZDIFF", "2", n, a));
        Assert.Equal("*0\r\n", _c.Call("ZUNION", "1", n));
        Assert.Equal("*6\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n4\r\n$1\r\nz\r\n$1\r\n6\r\n", _c.Call("ZUNION", "2", a, a, "WITHSCORES"));
    }

    [Fact]
    public void Zunionstore_zinterstore_zdiffstore()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", d = t + "d", n = t + "n";
        Assert.Equal(":3\r\n", _c.Call("ZADD", a, "1", "x", "2", "y", "3", "z"));
        Assert.Equal(":3\r\n", _c.Call("ZADD", b, "10", "y", "20", "z", "30", "w"));
        Assert.Equal(":4\r\n", _c.Call("ZUNIONSTORE", d, "2", a, b));
        Assert.Equal("*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n", _c.Call("ZRANGE", d, "0", "-1", "WITHSCORES"));
        Assert.Equal(":2\r\n", _c.Call("ZINTERSTORE", d, "2", a, b, "WEIGHTS", "1", "-1"));
        Assert.Equal("*4\r\n$1\r\nz\r\n$3\r\n-17\r\n$1\r\ny\r\n$2\r\n-8\r\n", _c.Call("ZRANGE", d, "0", "-1", "WITHSCORES"));
        Assert.Equal(":1\r\n", _c.Call("ZDIFFSTORE", d, "2", a, b));
        Assert.Equal("*2\r\n$1\r\nx\r\n$1\r\n1\r\n", _c.Call("ZRANGE", d, "0", "-1", "WITHSCORES"));
        Assert.Equal(":0\r\n", _c.Call("ZINTERSTORE", d, "2", a, n));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", d));
        Assert.Equal("+OK\r\n", _c.Call("SET", d, "x"));
        Assert.Equal(":3\r\n", _c.Call("ZUNIONSTORE", d, "1", a));
        Assert.Equal("+zset\r\n", _c.Call("TYPE", d));
        Assert.Equal(":4\r\n", _c.Call("ZUNIONSTORE", a, "2", a, b));
        Assert.Equal("*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n", _c.Call("ZRANGE", a, "0", "-1", "WITHSCORES"));
        Assert.Equal(":0\r\n", _c.Call("ZUNIONSTORE", d, "1", n));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", d));
    }

    [Fact]
    public void Set_algebra_infinities_and_weights()
    {
        var t = Tag();
        string i = t + "i", j = t + "j", k = t + "k", m = t + "m";
        using var r3 = Resp3();
        Assert.Equal(":1\r\n", _c.Call("ZADD", i, "1", "a"));
        Assert.Equal(":1\r\n", _c.Call("ZADD", j, "-inf", "a"));
        Assert.Equal(":1\r\n", _c.Call("ZADD", k, "inf", "a"));
        Assert.Equal(":1\r\n", _c.Call("ZADD", m, "1.1", "p"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\n0\r\n", _c.Call("ZUNION", "2", i, j, "WEIGHTS", "inf", "1", "WITHSCORES"));
        Assert.Equal("*2\r\n$1\r\na\r\n$4\r\n-inf\r\n", _c.Call("ZUNION", "2", i, j, "WEIGHTS", "0", "1", "WITHSCORES"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\n0\r\n", _c.Call("ZUNION", "2", k, j, "WITHSCORES"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\n0\r\n", _c.Call("ZINTER", "2", k, j, "WITHSCORES"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\n0\r\n", _c.Call("ZUNION", "1", k, "WEIGHTS", "0", "WITHSCORES"));
        Assert.Equal("*2\r\n$1\r\np\r\n$18\r\n2.2000000000000002\r\n", _c.Call("ZUNION", "2", m, m, "WITHSCORES"));
        Assert.Equal("*1\r\n*2\r\n$1\r\np\r\n,3.3000000000000003\r\n", r3.Call("ZUNION", "1", m, "WEIGHTS", "3", "WITHSCORES"));
    }

    [Fact]
    public void Plain_sets_take_part_with_score_1()
    {
        var t = Tag();
        string a = t + "a", s = t + "s", d = t + "d";
        using var r3 = Resp3();
        Assert.Equal(":3\r\n", _c.Call("ZADD", a, "1", "x", "2", "y", "3", "z"));
        Assert.Equal(":3\r\n", _c.Call("SADD", s, "y", "w", "v"));
        Assert.Equal("*10\r\n$1\r\nv\r\n$1\r\n1\r\n$1\r\nw\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n3\r\n$1\r\nz\r\n$1\r\n3\r\n", _c.Call("ZUNION", "2", a, s, "WITHSCORES"));
        Assert.Equal("*5\r\n*2\r\n$1\r\nv\r\n,1\r\n*2\r\n$1\r\nw\r\n,1\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,3\r\n*2\r\n$1\r\nz\r\n,3\r\n", r3.Call("ZUNION", "2", a, s, "WITHSCORES"));
        Assert.Equal("*2\r\n$1\r\ny\r\n$1\r\n7\r\n", _c.Call("ZINTER", "2", a, s, "WITHSCORES", "WEIGHTS", "1", "5"));
        Assert.Equal(":1\r\n", _c.Call("ZINTERCARD", "2", a, s));
        Assert.Equal("*4\r\n$1\r\nv\r\n$1\r\n1\r\n$1\r\nw\r\n$1\r\n1\r\n", _c.Call("ZDIFF", "2", s, a, "WITHSCORES"));
        Assert.Equal(":3\r\n", _c.Call("ZUNIONSTORE", d, "2", s, s));
        Assert.Equal("*6\r\n$1\r\nv\r\n$1\r\n2\r\n$1\r\nw\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n2\r\n", _c.Call("ZRANGE", d, "0", "-1", "WITHSCORES"));
        Assert.Equal(WrongType, _c.Call("ZRANGE", s, "0", "-1"));
    }


    [Fact]
    public void Set_algebra_errors()
    {
        var t = Tag();
        string a = t + "a", s = t + "s", d = t + "d", n = t + "n";
        Assert.Equal(":1\r\n", _c.Call("ZADD", a, "1", "x"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "q"));
        Assert.Equal("-ERR at least 1 input key is needed for 'zunion' command\r\n", _c.Call("ZUNION", "0", a));
        Assert.Equal("-ERR at least 1 input key is needed for 'zunion' command\r\n", _c.Call("ZUNION", "-1", a));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("ZUNION", "x", a));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZUNION", "3", a));
        Assert.Equal("-ERR at least 1 input key is needed for 'zunionstore' command\r\n", _c.Call("ZUNIONSTORE", d, "0", a));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZUNIONSTORE", d, "3", a));
        Assert.Equal("-ERR at least 1 input key is needed for 'zinterstore' command\r\n", _c.Call("ZINTERSTORE", d, "0", a));
        Assert.Equal("-ERR at least 1 input key is needed for 'zdiff' command\r\n", _c.Call("ZDIFF", "0", a));
        Assert.Equal("-ERR at least 1 input key is needed for 'zdiffstore' command\r\n", _c.Call("ZDIFFSTORE", d, "0", a));
        Assert.Equal("-ERR weight value is not a float\r\n", _c.Call("ZINTER", "1", a, "WEIGHTS", "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZUNION", "1", a, "WEIGHTS", "1", "2"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZUNION", "1", a, "AGGREGATE", "foo"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZUNION", "1", a, "AGGREGATE"));
        Assert.Equal("-ERR weight value is not a float\r\n", _c.Call("ZUNION", "1", a, "WEIGHTS", "nan"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZUNIONSTORE", d, "1", a, "WITHSCORES"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZDIFF", "1", a, "WEIGHTS", "1"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZDIFF", "1", a, "AGGREGATE", "SUM"));
        Assert.Equal(WrongType, _c.Call("ZUNION", "2", a, s));
        Assert.Equal(WrongType, _c.Call("ZINTER", "2", n, s));
        Assert.Equal(WrongType, _c.Call("ZDIFF", "2", n, s));
        Assert.Equal(WrongType, _c.Call("ZUNION", "2", a, s, "WEIGHTS", "x"));
        Assert.Equal("-ERR wrong number of arguments for 'zinter' command\r\n", _c.Call("ZINTER", "2"));
    }

    [Fact]
    public void Zintercard_counts_with_an_optional_limit()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", s = t + "s", n = t + "n";
        Assert.Equal(":3\r\n", _c.Call("ZADD", a, "1", "x", "2", "y", "3", "z"));
        Assert.Equal(":3\r\n", _c.Call("ZADD", b, "10", "y", "20", "z", "30", "w"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "q"));
        Assert.Equal(":2\r\n", _c.Call("ZINTERCARD", "2", a, b));
        Assert.Equal(":1\r\n", _c.Call("ZINTERCARD", "2", a, b, "LIMIT", "1"));
        Assert.Equal(":2\r\n", _c.Call("ZINTERCARD", "2", a, b, "LIMIT", "0"));
        Assert.Equal(":2\r\n", _c.Call("ZINTERCARD", "2", a, b, "LIMIT", "10"));
        Assert.Equal(":0\r\n", _c.Call("ZINTERCARD", "2", a, n));
        Assert.Equal(":0\r\n", _c.Call("ZINTERCARD", "1", n));
        Assert.Equal(WrongType, _c.Call("ZINTERCARD", "2", a, s));
        Assert.Equal("-ERR at least 1 input key is needed for 'zintercard' command\r\n", _c.Call("ZINTERCARD", "0", a));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZINTERCARD", "3", a));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("ZINTERCARD", "x", a));
        Assert.Equal("-ERR LIMIT can't be negative\r\n", _c.Call("ZINTERCARD", "1", a, "LIMIT", "-1"));
        Assert.Equal("-ERR LIMIT can't be negative\r\n", _c.Call("ZINTERCARD", "1", a, "LIMIT", "x"));
        Assert.Equal(":3\r\n", _c.Call("ZINTERCARD", "1", a, "LIMIT", "1", "LIMIT", "0"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZINTERCARD", "1", a, "WEIGHTS", "1"));
    }

    [Fact]
    public void Zscan_small_sets_come_back_whole()
    {
        var t = Tag();
        string k = t + "k", s = t + "s", n = t + "n";
        using var r3 = Resp3();
        Assert.Equal(":4\r\n", _c.Call("ZADD", k, "1", "a", "2", "b", "1.1", "c", "123456789012345678", "d"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "x"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$18\r\n1.1000000000000001\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$18\r\n123456789012345680\r\n", _c.Call("ZSCAN", k, "0"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$18\r\n1.1000000000000001\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$18\r\n123456789012345680\r\n", r3.Call("ZSCAN", k, "0"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$18\r\n1.1000000000000001\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$18\r\n123456789012345680\r\n", _c.Call("ZSCAN", k, "7"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", _c.Call("ZSCAN", k, "0", "MATCH", "a*"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*4\r\n$1\r\nc\r\n$18\r\n1.1000000000000001\r\n$1\r\nb\r\n$1\r\n2\r\n", _c.Call("ZSCAN", k, "0", "MATCH", "[bc]", "COUNT", "1"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$18\r\n1.1000000000000001\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nd\r\n$18\r\n123456789012345680\r\n", _c.Call("ZSCAN", k, "0", "MATCH", "*", "COUNT", "5"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", _c.Call("ZSCAN", n, "0"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", _c.Call("ZSCAN", n, "0", "foo"));
        Assert.Equal("-ERR invalid cursor\r\n", _c.Call("ZSCAN", n, "x"));
        Assert.Equal(WrongType, _c.Call("ZSCAN", s, "0"));
        Assert.Equal("-ERR invalid cursor\r\n", _c.Call("ZSCAN", k, "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZSCAN", k, "0", "foo"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZSCAN", k, "0", "COUNT", "0"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("ZSCAN", k, "0", "COUNT", "x"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZSCAN", k, "0", "COUNT"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZSCAN", k, "0", "MATCH"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("ZSCAN", k, "0", "TYPE", "zset"));
    }


    [Fact]
    public void Scripts_call_sorted_set_commands()
    {
        var t = Tag();
        string k = t + "k";
        Assert.Equal(":3\r\n", _c.Call("ZADD", k, "1.1", "x", "2", "y", "3", "z"));
        Assert.Equal("$18\r\n1.1000000000000001\r\n", _c.Call("EVAL", "return redis.call('zscore', KEYS[1], 'x')", "1", k));
        Assert.Equal("*6\r\n$1\r\nx\r\n$18\r\n1.1000000000000001\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n", _c.Call("EVAL", "return redis.call('zrange', KEYS[1], 0, -1, 'withscores')", "1", k));
        Assert.Equal("$18\r\n2.1000000000000001\r\n", _c.Call("EVAL", "return redis.call('zincrby', KEYS[1], 1, 'x')", "1", k));
        Assert.Equal("*2\r\n$18\r\n2.1000000000000001\r\n$-1\r\n", _c.Call("EVAL", "return redis.call('zmscore', KEYS[1], 'x', 'nope')", "1", k));
        Assert.Equal("$-1\r\n", _c.Call("EVAL", "return redis.call('zrank', KEYS[1], 'nope')", "1", k));
        Assert.Equal("*2\r\n$1\r\ny\r\n$1\r\n2\r\n", _c.Call("EVAL", "return redis.call('zpopmin', KEYS[1])", "1", k));
        Assert.Equal("$-1\r\n", _c.Call("EVAL", "return redis.call('zadd', KEYS[1], 'xx', 'incr', 1, 'nope')", "1", k));
        Assert.Equal("*2\r\n$15\r\n" + k + "\r\n*2\r\n*2\r\n$1\r\nz\r\n$1\r\n3\r\n*2\r\n$1\r\nx\r\n$18\r\n2.1000000000000001\r\n", _c.Call("EVAL", "return redis.call('zmpop', 1, KEYS[1], 'max', 'count', 5)", "1", k));
        Assert.Equal("$-1\r\n", _c.Call("EVAL", "return redis.call('zmpop', 1, KEYS[1], 'max', 'count', 5)", "1", k));
        Assert.Equal("*2\r\n*2\r\n$1\r\nm\r\n$3\r\n1.5\r\n*2\r\n$1\r\nn\r\n$3\r\n2.5\r\n", _c.Call("EVAL", "redis.call('zadd', KEYS[1], 1.5, 'm', 2.5, 'n'); redis.setresp(3); return redis.call('zrange', KEYS[1], 0, -1, 'withscores')", "1", k));
        Assert.Equal("$3\r\n2.5\r\n", _c.Call("EVAL", "redis.setresp(3); return redis.call('zscore', KEYS[1], 'n')", "1", k));
        Assert.Equal("*1\r\n*2\r\n$1\r\nm\r\n$3\r\n1.5\r\n", _c.Call("EVAL", "redis.setresp(3); return redis.call('zpopmin', KEYS[1], 1)", "1", k));
        Assert.Equal("*2\r\n$1\r\nn\r\n$3\r\n2.5\r\n", _c.Call("EVAL", "return redis.call('zunion', 1, KEYS[1], 'withscores')", "1", k));
    }

    [Fact]
    public void Script_errors_from_sorted_set_commands()
    {
        var t = Tag();
        string k = t + "k", s = t + "s";
        Assert.Equal(":1\r\n", _c.Call("ZADD", k, "1", "x"));
        Assert.Equal("+OK\r\n", _c.Call("SET", s, "v"));
        const string badScore = "return redis.call('zadd', KEYS[1], 'x', 'm')";
        Assert.Equal($"-ERR value is not a valid float script: {Sha(badScore)}, on @user_script:1.\r\n", _c.Call("EVAL", badScore, "1", k));
        Assert.Equal("-ERR value is not a valid float\r\n", _c.Call("EVAL", "return redis.pcall('zadd', KEYS[1], 'x', 'm')", "1", k));
        const string wrongType = "return redis.call('zadd', KEYS[1], 1, 'm')";
        Assert.Equal($"-WRONGTYPE Operation against a key holding the wrong kind of value script: {Sha(wrongType)}, on @user_script:1.\r\n",
            _c.Call("EVAL", wrongType, "1", s));
        const string noKeys = "return redis.call('zunion', 0, KEYS[1])";
        Assert.Equal($"-ERR at least 1 input key is needed for 'zunion' command script: {Sha(noKeys)}, on @user_script:1.\r\n",
            _c.Call("EVAL", noKeys, "1", k));
        const string badRange = "return redis.call('zrangebyscore', KEYS[1], 'a', 'b')";
        Assert.Equal($"-ERR min or max is not a float script: {Sha(badRange)}, on @user_script:1.\r\n", _c.Call("EVAL", badRange, "1", k));
    }

    /// <summary>The classic limiter: drop entries older than the window, count, admit while under the limit.</summary>
    [Fact]
    public void Sliding_window_rate_limiter_script()
    {
        const string limiter = "local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]) " +
            "redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window) " +
            "local count = redis.call('ZCARD', key) " +
            "if count < limit then redis.call('ZADD', key, now, ARGV[4]) redis.call('PEXPIRE', key, window) return {1, count + 1} end " +
            "return {0, count}";
        var k = Tag() + "k";
        string Admit(long now, string request) => _c.Call("EVALSHA", Sha(limiter), "1", k, now, "1000", "2", request);
        Assert.Equal($"${Sha(limiter).Length}\r\n{Sha(limiter)}\r\n", _c.Call("SCRIPT", "LOAD", limiter));
        Assert.Equal("*2\r\n:1\r\n:1\r\n", Admit(1000, "r1"));
        Assert.Equal("*2\r\n:1\r\n:2\r\n", Admit(1100, "r2"));
        Assert.Equal("*2\r\n:0\r\n:2\r\n", Admit(1200, "r3"));
        Assert.Equal("*4\r\n$2\r\nr1\r\n$4\r\n1000\r\n$2\r\nr2\r\n$4\r\n1100\r\n", _c.Call("ZRANGE", k, "0", "-1", "WITHSCORES"));
        Assert.Equal("*2\r\n:1\r\n:2\r\n", Admit(2050, "r4"));
        Assert.Equal("*4\r\n$2\r\nr2\r\n$4\r\n1100\r\n$2\r\nr4\r\n$4\r\n2050\r\n", _c.Call("ZRANGE", k, "0", "-1", "WITHSCORES"));
        long ttl = long.Parse(_c.Call("PTTL", k)[1..^2]);
        Assert.InRange(ttl, 1, 1000);
    }

    [Fact]
    public void Failed_script_leaves_sorted_sets_exactly_as_before()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", d = t + "d";
        Assert.Equal(":4\r\n", _c.Call("ZADD", a, "1", "x", "2", "y", "3", "z", "4.5", "w"));
        Assert.Equal(":1\r\n", _c.Call("ZADD", b, "7", "only"));
        Assert.Equal(":1\r\n", _c.Call("PEXPIRE", a, "100000"));
        string before = _c.Call("ZRANGE", a, "0", "-1", "WITHSCORES");
        const string changeThenFail =
            "redis.call('ZADD', KEYS[1], 10, 'x', 20, 'new') redis.call('ZINCRBY', KEYS[1], 5, 'y') redis.call('ZREM', KEYS[1], 'z') " +
            "redis.call('ZPOPMAX', KEYS[1]) redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', 1) redis.call('ZPOPMIN', KEYS[2]) " +
            "redis.call('ZUNIONSTORE', KEYS[3], 2, KEYS[1], KEYS[2]) redis.call('ZADD', KEYS[1], 'INCR', 1, 'w') error('boom')";
        Assert.Equal($"-ERR user_script:1: boom script: {Sha(changeThenFail)}, on @user_script:1.\r\n",
            _c.Call("EVAL", changeThenFail, "3", a, b, d));
        // A failing command ends a script the same way.
        const string changeThenBadCommand = "redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -1) return redis.call('ZADD', KEYS[1], 'x', 'm')";
        Assert.Equal($"-ERR value is not a valid float script: {Sha(changeThenBadCommand)}, on @user_script:1.\r\n",
            _c.Call("EVAL", changeThenBadCommand, "1", a));
        Assert.Equal(before, _c.Call("ZRANGE", a, "0", "-1", "WITHSCORES"));
        Assert.Equal("*2\r\n$4\r\nonly\r\n$1\r\n7\r\n", _c.Call("ZRANGE", b, "0", "-1", "WITHSCORES"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", d));
        Assert.InRange(long.Parse(_c.Call("PTTL", a)[1..^2]), 1, 100000);
    }

    [Fact]
    public void Multi_key_commands_across_slots_are_crossslot()
    {
        const string crossSlot = "-CROSSSLOT Keys in request don't hash to the same slot\r\n";
        string a = Tag() + "a", b = Tag() + "b";
        Assert.Equal(":1\r\n", _c.Call("ZADD", a, "1", "x"));
        Assert.Equal(crossSlot, _c.Call("ZUNION", "2", a, b));
        Assert.Equal(crossSlot, _c.Call("ZINTER", "2", a, b));
        Assert.Equal(crossSlot, _c.Call("ZDIFF", "2", a, b));
        Assert.Equal(crossSlot, _c.Call("ZINTERCARD", "2", a, b));
        Assert.Equal(crossSlot, _c.Call("ZUNIONSTORE", b, "1", a));
        Assert.Equal(crossSlot, _c.Call("ZINTERSTORE", b, "1", a));
        Assert.Equal(crossSlot, _c.Call("ZDIFFSTORE", b, "1", a));
        Assert.Equal(crossSlot, _c.Call("ZRANGESTORE", b, a, "0", "-1"));
        Assert.Equal(crossSlot, _c.Call("ZMPOP", "2", a, b, "MIN"));
        Assert.Equal("*2\r\n$1\r\nx\r\n$1\r\n1\r\n", _c.Call("ZRANGE", a, "0", "-1", "WITHSCORES"));
    }

    [Fact]
    public void Members_are_binary_safe_and_ordered_by_bytes()
    {
        var k = Encoding.UTF8.GetBytes(Tag()).Concat(new byte[] { 0, 0xff }).ToArray();
        byte[] crlf = [0, 13, 10], nul = [(byte)'a', 0, (byte)'b'], high = [0xff], a = [(byte)'a'];
        Assert.Equal(":4\r\n", _c.Call("ZADD", k, "0", high, "0", nul, "0", crlf, "0", a));
        Assert.Equal("*4\r\n$3\r\n\0\r\n\r\n$1\r\na\r\n$3\r\na\0b\r\n$1\r\n"u8.ToArray().Concat(high).Concat("\r\n"u8.ToArray()),
            _c.CallBytes("ZRANGE", k, "0", "-1"));
        Assert.Equal("*1\r\n$3\r\na\0b\r\n"u8.ToArray(), _c.CallBytes("ZRANGEBYLEX", k, "(a", "(\u00ff"));
        Assert.Equal(":2\r\n", _c.Call("ZRANK", k, nul));
        Assert.Equal(":1\r\n", _c.Call("ZREM", k, crlf));
        Assert.Equal("*2\r\n$16\r\n"u8.ToArray().Concat(k).Concat("\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n0\r\n"u8.ToArray()),
            _c.CallBytes("ZMPOP", "1", k, "MIN"));
    }

    /// <summary>
    /// Hundreds of members (a skip list, past the listpack limits), changed by ZADD, ZINCRBY, ZREM,
    /// ZPOP* and range removals, checked against a plain sorted list after each step.
    /// </summary>
    [Fact]
    public void Large_set_matches_a_plain_sorted_list()
    {
        var k = Tag() + "big";
        var model = new Dictionary<string, double>();
        var random = new Random(7);
        IEnumerable<KeyValuePair<string, double>> Ordered() =>
            model.OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal);
        string WithScores(IEnumerable<KeyValuePair<string, double>> pairs) =>
            Bulks(pairs.SelectMany(p => new[] { p.Key, p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        for (int round = 0; round < 600; round++)
        {
            string member = "m" + random.Next(400);
            int score = random.Next(-50, 50);
            switch (round % 5)
            {
                case 0 or 1:
                    bool added = model.TryAdd(member, score);
                    model[member] = score;
                    Assert.Equal(added ? ":1\r\n" : ":0\r\n", _c.Call("ZADD", k, score, member));
                    break;
                case 2:
                    model[member] = model.GetValueOrDefault(member) + score;
                    string text = model[member].ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Assert.Equal($"${text.Length}\r\n{text}\r\n", _c.Call("ZINCRBY", k, score, member));
                    break;
                case 3:
                    Assert.Equal(model.Remove(member) ? ":1\r\n" : ":0\r\n", _c.Call("ZREM", k, member));
                    break;
                default:
                    var ordered = Ordered().ToList();
                    int rank = ordered.FindIndex(p => p.Key == member);
                    Assert.Equal(rank < 0 ? "$-1\r\n" : $":{rank}\r\n", _c.Call("ZRANK", k, member));
                    Assert.Equal(rank < 0 ? "$-1\r\n" : $":{ordered.Count - 1 - rank}\r\n", _c.Call("ZREVRANK", k, member));
                    break;
            }
        }
        var all = Ordered().ToList();
        Assert.Equal($":{model.Count}\r\n", _c.Call("ZCARD", k));
        Assert.Equal(WithScores(all), _c.Call("ZRANGE", k, "0", "-1", "WITHSCORES"));
        Assert.Equal(Bulks(all.Skip(17).Take(40).Select(p => p.Key)), _c.Call("ZRANGE", k, "17", "56"));
        Assert.Equal(Bulks(all.AsEnumerable().Reverse().Skip(3).Take(5).Select(p => p.Key)), _c.Call("ZRANGE", k, "3", "7", "REV"));
        var window = all.Where(p => p.Value is > -10 and <= 20).ToList();
        Assert.Equal($":{window.Count}\r\n", _c.Call("ZCOUNT", k, "(-10", "20"));
        Assert.Equal(Bulks(window.Skip(5).Take(10).Select(p => p.Key)), _c.Call("ZRANGEBYSCORE", k, "(-10", "20", "LIMIT", "5", "10"));
        Assert.Equal(Bulks(window.AsEnumerable().Reverse().Skip(2).Take(3).Select(p => p.Key)),
            _c.Call("ZREVRANGEBYSCORE", k, "20", "(-10", "LIMIT", "2", "3"));

        Assert.Equal($":{window.Count}\r\n", _c.Call("ZREMRANGEBYSCORE", k, "(-10", "20"));
        all = all.Except(window).ToList();
        Assert.Equal(":10\r\n", _c.Call("ZREMRANGEBYRANK", k, "5", "14"));
        all.RemoveRange(5, 10);
        Assert.Equal(WithScores(all.Take(3)), _c.Call("ZPOPMIN", k, "3"));
        Assert.Equal(WithScores(all.AsEnumerable().Reverse().Take(2)), _c.Call("ZPOPMAX", k, "2"));
        all = all.Skip(3).Take(all.Count - 5).ToList();
        Assert.Equal(WithScores(all), _c.Call("ZRANGE", k, "0", "-1", "WITHSCORES"));
    }

    [Fact]
    public void Zscan_walks_a_large_set_once_per_member()
    {
        var k = Tag() + "big";
        var members = Enumerable.Range(0, 300).Select(i => "m" + i).ToList();
        Assert.Equal(":300\r\n", _c.Call(["ZADD", k, .. members.SelectMany((m, i) => new object[] { i + 0.5, m })]));
        var seen = new List<(string Member, string Score)>();
        string cursor = "0";
        int pages = 0;
        do
        {
            var lines = _c.Call("ZSCAN", k, cursor, "COUNT", "7").Split("\r\n");
            cursor = lines[2];
            int items = int.Parse(lines[3][1..]);
            for (int i = 0; i < items; i += 2) seen.Add((lines[5 + 2 * i], lines[7 + 2 * i]));
            pages++;
        } while (cursor != "0");
        Assert.InRange(pages, 300 / 7 / 2, 300);
        Assert.Equal(members.Order(), seen.Select(p => p.Member).Order());
        Assert.All(seen, p => Assert.Equal(int.Parse(p.Member[1..]) + 0.5, double.Parse(p.Score, System.Globalization.CultureInfo.InvariantCulture)));

        var matched = new List<string>();
        cursor = "0";
        do
        {
            var lines = _c.Call("ZSCAN", k, cursor, "MATCH", "m1?", "COUNT", "50").Split("\r\n");
            cursor = lines[2];
            int items = int.Parse(lines[3][1..]);
            for (int i = 0; i < items; i += 2) matched.Add(lines[5 + 2 * i]);
        } while (cursor != "0");
        Assert.Equal(Enumerable.Range(10, 10).Select(i => "m" + i).Order(), matched.Order());
    }

    [Fact]
    public void Zrandmember_draws_members_of_the_set()
    {
        var k = Tag() + "k";
        var scores = Enumerable.Range(0, 20).ToDictionary(i => "m" + i, i => i * 1.5);
        Assert.Equal(":20\r\n", _c.Call(["ZADD", k, .. scores.SelectMany(p => new object[] { p.Value, p.Key })]));
        for (int i = 0; i < 20; i++)
        {
            var one = _c.Call("ZRANDMEMBER", k).Split("\r\n")[1];
            Assert.Contains(one, scores.Keys);
        }
        foreach (var count in new[] { 1, 5, 19 })
        {
            var distinct = Values(_c.Call("ZRANDMEMBER", k, count));
            Assert.Equal(count, distinct.Count);
            Assert.Equal(count, distinct.Distinct().Count());
            Assert.All(distinct, m => Assert.Contains(m, scores.Keys));
        }
        var repeats = Values(_c.Call("ZRANDMEMBER", k, "-50"));
        Assert.Equal(50, repeats.Count);
        Assert.All(repeats, m => Assert.Contains(m, scores.Keys));
        var pairs = Values(_c.Call("ZRANDMEMBER", k, "-30", "WITHSCORES"));
        Assert.Equal(60, pairs.Count);
        for (int i = 0; i < pairs.Count; i += 2)
            Assert.Equal(scores[pairs[i]], double.Parse(pairs[i + 1], System.Globalization.CultureInfo.InvariantCulture));
        using var r3 = Resp3();
        var nested = r3.Call("ZRANDMEMBER", k, "4", "WITHSCORES");
        Assert.StartsWith("*4\r\n*2\r\n$", nested);
        Assert.Equal(4, nested.Split("\r\n").Count(line => line.StartsWith(',')));
    }

    [Fact]
    public async Task Concurrent_zincrby_and_zadd_are_exact()
    {
        var t = Tag();
        string counters = t + "counters", log = t + "log";
        const int connections = 20, perConnection = 100;
        // Dedicated threads: blocking sockets on pool threads would starve the in-process silos.
        await Task.WhenAll(Enumerable.Range(0, connections).Select(i => Task.Factory.StartNew(() =>
        {
            using var c = new RawRespClient(fixture.Ports[i % fixture.Ports.Length]);
            for (int n = 0; n < perConnection; n++)
            {
                Assert.StartsWith("$", c.Call("ZINCRBY", counters, "1", "m" + (n % 10)));
                Assert.Equal(":1\r\n", c.Call("ZADD", log, i * perConnection + n, $"{i}:{n}"));
                Assert.StartsWith("$", c.Call("ZADD", counters, "INCR", "0.5", "half"));
            }
        }, TaskCreationOptions.LongRunning)));
        string each = (connections * perConnection / 10).ToString();
        Assert.Equal(Bulks(Enumerable.Range(0, 10).Select(m => "m" + m).SelectMany(m => new[] { m, each }).Append("half").Append("1000")),
            _c.Call("ZRANGE", counters, "0", "-1", "WITHSCORES"));
        Assert.Equal($":{connections * perConnection}\r\n", _c.Call("ZCARD", log));
        Assert.Equal($":{connections * perConnection - 1}\r\n", _c.Call("ZRANK", log, $"{connections - 1}:{perConnection - 1}"));
    }

    /// <summary>The bulk strings of a flat array reply.</summary>
    private static List<string> Values(string reply)
    {
        var lines = reply.Split("\r\n");
        return Enumerable.Range(0, lines.Length).Where(i => lines[i].StartsWith('$')).Select(i => lines[i + 1]).ToList();
    }
}

/// <summary>The sorted set value itself: skip list ranks and ranges against a plain model, encoding, clones.</summary>
public class RedisSortedSetTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static List<(string Member, double Score)> Contents(RedisSortedSet set)
    {
        var list = new List<(string, double)>();
        for (var node = set.First; node is not null; node = node.Next) list.Add((Encoding.UTF8.GetString(node.Member), node.Score));
        return list;
    }

    [Fact]
    public void Random_changes_keep_order_ranks_and_ranges_right()
    {
        var set = new RedisSortedSet();
        var model = new Dictionary<string, double>();
        var random = new Random(11);
        List<(string Member, double Score)> Ordered() =>
            model.OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToList();
        for (int step = 0; step < 5000; step++)
        {
            string member = "m" + random.Next(700);
            double score = random.Next(100);
            if (random.Next(3) > 0)
            {
                if (set.TryGetScore(B(member), out _)) set.Update(B(member), score);
                else set.Add(B(member), score);
                model[member] = score;
            }
            else Assert.Equal(model.Remove(member), set.Remove(B(member)));
            if (step % 500 != 499) continue;
            var ordered = Ordered();
            Assert.Equal(ordered, Contents(set));
            for (int i = 0; i < ordered.Count; i += 37)
            {
                Assert.Equal(i, set.RankOf(B(ordered[i].Member)));
                Assert.Equal(ordered[i].Member, Encoding.UTF8.GetString(set.ByRank(i)!.Member));
            }
            var range = new ScoreRange(20, true, 60, false);
            var inRange = ordered.FindAll(p => p.Score is > 20 and <= 60);
            Assert.Equal(inRange.Count, set.CountIn(range));
            Assert.Equal(inRange[0].Member, Encoding.UTF8.GetString(set.FirstIn(range).Node!.Member));
            Assert.Equal(inRange[^1].Member, Encoding.UTF8.GetString(set.LastIn(range).Node!.Member));
        }
        var before = Ordered();
        Assert.Equal(before.Count(p => p.Score < 10), set.RemoveRange(new ScoreRange(double.NegativeInfinity, false, 10, true)));
        Assert.Equal(10, set.RemoveRange(new RankRange(3, 12)));
        var expected = before.Where(p => p.Score >= 10).ToList();
        expected.RemoveRange(2, 10);
        Assert.Equal(expected, Contents(set));
        foreach (var (member, _) in expected) Assert.True(set.TryGetScore(B(member), out _));
        Assert.Equal(expected.Count, set.Count);
    }

    [Fact]
    public void Lex_ranges_follow_byte_order()
    {
        var set = new RedisSortedSet();
        foreach (var m in new[] { "a", "b", "c", "d", "e" }) set.Add(B(m), 0);
        Assert.Equal(3, set.CountIn(new LexRange(new LexBound(B("b"), false, 0), new LexBound(B("d"), false, 0))));
        Assert.Equal(1, set.CountIn(new LexRange(new LexBound(B("b"), true, 0), new LexBound(B("d"), true, 0))));
        Assert.Equal(5, set.CountIn(new LexRange(LexBound.Minus, LexBound.Plus)));
        Assert.Equal(0, set.CountIn(new LexRange(LexBound.Plus, LexBound.Minus)));
        Assert.Equal(2, set.RemoveRange(new LexRange(LexBound.Minus, new LexBound(B("b"), false, 0))));
        Assert.Equal([("c", 0.0), ("d", 0.0), ("e", 0.0)], Contents(set));
    }

    /// <summary>Redis 7.0: listpack up to 128 members of up to 64 bytes, skiplist after, never back.</summary>
    [Fact]
    public void Encoding_is_listpack_up_to_128_short_members()
    {
        var set = new RedisSortedSet();
        for (int i = 0; i < 128; i++) set.Add(B("m" + i), i);
        Assert.Equal("listpack", set.Encoding);
        set.Add(B("one-more"), 0);
        Assert.Equal("skiplist", set.Encoding);
        set.RemoveRange(new RankRange(1, 100));
        Assert.Equal("skiplist", set.Encoding);
        var small = new RedisSortedSet();
        small.Add(B(new string('x', 65)), 1);
        Assert.Equal("skiplist", small.Encoding);
        var hinted = new RedisSortedSet();
        hinted.PrepareForAdding(129);
        Assert.Equal("skiplist", hinted.Encoding);
        Assert.Equal("zset", hinted.TypeName);
    }

    [Fact]
    public void Clone_is_independent_of_the_original()
    {
        var set = new RedisSortedSet();
        foreach (var (m, s) in new[] { ("a", 1.0), ("b", 2.0), ("c", 3.0) }) set.Add(B(m), s);
        var copy = (RedisSortedSet)set.Clone();
        set.Update(B("a"), 10);
        set.Remove(B("b"));
        set.Add(B("d"), 0);
        Assert.Equal([("a", 1.0), ("b", 2.0), ("c", 3.0)], Contents(copy));
        Assert.Equal([("d", 0.0), ("c", 3.0), ("a", 10.0)], Contents(set));
        Assert.Equal(copy.Encoding, set.Encoding);
    }
}
