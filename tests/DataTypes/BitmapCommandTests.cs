using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.DataTypes;

/// <summary>
/// Bitmaps over TCP: exact replies for the documented cases and errors, and thousands of random
/// SETBIT/GETBIT/BITCOUNT/BITPOS/BITOP calls answered identically by redis-server 7.0.15.
/// </summary>
[Collection(ClusterCollection.Name)]
public class BitmapCommandTests(ClusterFixture fixture)
{
    private readonly RawRespClient _c = new(fixture.Port);
    /// <summary>A fresh key; keys derived from it by appending stay in its slot.</summary>
    private static string K(string name) => "{bits:" + Guid.NewGuid().ToString("N")[..8] + "}:" + name;

    [Fact]
    public void Setbit_getbit_grow_the_string_and_return_the_old_bit()
    {
        var k = K("a");
        Assert.Equal(":0\r\n", _c.Call("SETBIT", k, "7", "1"));
        Assert.Equal("$1\r\n\u0001\r\n", _c.Call("GET", k));
        Assert.Equal(":1\r\n", _c.Call("SETBIT", k, "7", "0"));
        Assert.Equal(":0\r\n", _c.Call("SETBIT", k, "17", "1"));
        Assert.Equal(new byte[] { 0, 0, 0x40 }, _c.CallBytes("GET", k)[4..^2]);
        Assert.Equal(":1\r\n", _c.Call("GETBIT", k, "17"));
        Assert.Equal(":0\r\n", _c.Call("GETBIT", k, "100000"));
        Assert.Equal(":0\r\n", _c.Call("GETBIT", K("missing"), "3"));
    }

    [Fact]
    public void Bad_offsets_bits_and_types_get_redis_errors()
    {
        var k = K("e");
        Assert.Equal("-ERR bit offset is not an integer or out of range\r\n", _c.Call("SETBIT", k, "-1", "1"));
        Assert.Equal("-ERR bit offset is not an integer or out of range\r\n", _c.Call("SETBIT", k, "4294967296", "1"));
        Assert.Equal("-ERR bit offset is not an integer or out of range\r\n", _c.Call("GETBIT", k, "x"));
        Assert.Equal("-ERR bit is not an integer or out of range\r\n", _c.Call("SETBIT", k, "1", "2"));
        Assert.Equal("-ERR The bit argument must be 1 or 0.\r\n", _c.Call("BITPOS", k, "2"));
        Assert.Equal("-ERR BITOP NOT must be called with a single source key.\r\n", _c.Call("BITOP", "NOT", k, k, k));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("BITOP", "NAND", k, k));
        Assert.Equal("+OK\r\n", _c.Call("SET", k, "foobar"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("BITCOUNT", k, "0"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("BITCOUNT", k, "0", "1", "NIBBLE"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("BITCOUNT", k, "a", "1"));
        Assert.Equal(":0\r\n", _c.Call("BITCOUNT", K("missing"), "a", "b")); // the key is looked up first, as in Redis
        Assert.Equal(":-1\r\n", _c.Call("BITPOS", K("missing"), "1"));
        Assert.Equal(":0\r\n", _c.Call("BITPOS", K("missing"), "0"));
        var list = k + ":list";
        _c.Call("RPUSH", list, "x");
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("SETBIT", list, "1", "1"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("BITOP", "AND", k, k, list));
        Assert.Equal("$6\r\nfoobar\r\n", _c.Call("GET", k));
    }

    [Fact]
    public void Documented_examples()
    {
        var k = K("doc");
        _c.Call("SET", k, "foobar");
        Assert.Equal(":26\r\n", _c.Call("BITCOUNT", k));
        Assert.Equal(":4\r\n", _c.Call("BITCOUNT", k, "0", "0"));
        Assert.Equal(":6\r\n", _c.Call("BITCOUNT", k, "1", "1"));
        Assert.Equal(":6\r\n", _c.Call("BITCOUNT", k, "1", "1", "BYTE"));
        Assert.Equal(":17\r\n", _c.Call("BITCOUNT", k, "5", "30", "BIT"));
        var p = K("pos");
        _c.Call("SET", p, new byte[] { 0xff, 0xf0, 0x00 });
        Assert.Equal(":12\r\n", _c.Call("BITPOS", p, "0"));
        _c.Call("SET", p, new byte[] { 0x00, 0xff, 0xf0 });
        Assert.Equal(":8\r\n", _c.Call("BITPOS", p, "1", "0"));
        Assert.Equal(":16\r\n", _c.Call("BITPOS", p, "1", "2"));
        Assert.Equal(":16\r\n", _c.Call("BITPOS", p, "1", "2", "-1", "BYTE"));
        Assert.Equal(":8\r\n", _c.Call("BITPOS", p, "1", "7", "15", "BIT"));
        Assert.Equal(":-1\r\n", _c.Call("BITPOS", p, "0", "8", "15", "BIT")); // an explicit end: no zero past it
        Assert.Equal(":20\r\n", _c.Call("BITPOS", p, "0", "1"));
        _c.Call("SET", p, new byte[] { 0xff, 0xff });
        Assert.Equal(":16\r\n", _c.Call("BITPOS", p, "0", "1")); // no end: the string goes on with zeros
        _c.Call("SET", p, new byte[] { 0x00, 0x00, 0x00 });
        Assert.Equal(":-1\r\n", _c.Call("BITPOS", p, "1"));
        Assert.Equal(":-1\r\n", _c.Call("BITPOS", p, "1", "7", "-3", "BIT"));

        string k1 = K("k1"), k2 = k1[..^2] + "k2", dest = k1[..^2] + "dest";
        _c.Call("SET", k1, "foobar");
        _c.Call("SET", k2, "abcdef");
        Assert.Equal(":6\r\n", _c.Call("BITOP", "AND", dest, k1, k2));
        Assert.Equal("$6\r\n`bc`ab\r\n", _c.Call("GET", dest));
        Assert.Equal(":0\r\n", _c.Call("BITOP", "OR", dest, k1[..^2] + "none"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", dest));
    }

    [Fact]
    public void Bitfield_examples_and_errors()
    {
        var k = K("field");
        Assert.Equal("*2\r\n:1\r\n:0\r\n", _c.Call("BITFIELD", k, "INCRBY", "i5", "100", "1", "GET", "u4", "0"));
        Assert.Equal("*2\r\n:1\r\n:1\r\n", _c.Call("BITFIELD", k, "incrby", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102", "1"));
        Assert.Equal("*3\r\n:3\r\n:-1\r\n$-1\r\n", _c.Call("BITFIELD", k, "OVERFLOW", "SAT", "INCRBY", "u2", "100", "5",
            "OVERFLOW", "WRAP", "INCRBY", "i2", "102", "2", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "1"));
        Assert.Equal("*1\r\n:0\r\n", _c.Call("BITFIELD", k, "SET", "i8", "#1", "-100"));
        Assert.Equal("*2\r\n:-100\r\n:156\r\n", _c.Call("BITFIELD_RO", k, "GET", "i8", "#1", "GET", "u8", "8"));
        Assert.Equal("*0\r\n", _c.Call("BITFIELD", k));
        Assert.Equal("-ERR BITFIELD_RO only supports the GET subcommand\r\n", _c.Call("BITFIELD_RO", k, "SET", "u8", "0", "1"));
        Assert.Equal("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n",
            _c.Call("BITFIELD", k, "GET", "u64", "0"));
        Assert.Equal("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n",
            _c.Call("BITFIELD", k, "GET", "I8", "0"));
        Assert.Equal("-ERR Invalid OVERFLOW type specified\r\n", _c.Call("BITFIELD", k, "OVERFLOW", "BOUNCE", "GET", "u8", "0"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("BITFIELD", k, "GET", "u8"));
        Assert.Equal("-ERR bit offset is not an integer or out of range\r\n", _c.Call("BITFIELD", k, "GET", "u8", "#-1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("BITFIELD", k, "SET", "u8", "0", "x"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", K("none")));
        Assert.Equal("*1\r\n:0\r\n", _c.Call("BITFIELD_RO", K("none"), "GET", "i64", "1000"));
    }

    [Fact]
    public void Random_calls_agree_with_redis_server()
    {
        using var redis = new RedisServerProcess();
        using var reference = redis.Connect();
        var random = new Random(20261208);
        string tag = "{bitdiff:" + Guid.NewGuid().ToString("N")[..8] + "}";
        string[] keys = [tag + "a", tag + "b", tag + "c", tag + "d"];
        int informative = 0; // integer replies other than 0, 1 and -1: counts and positions that could differ
        for (int i = 0; i < 4000; i++)
        {
            string key = keys[random.Next(keys.Length)];
            string N(int max) => (random.Next(2 * max + 1) - max).ToString();
            string Unit() => random.Next(3) switch { 0 => "BYTE", 1 => "BIT", _ => "bit" };
            object[] call = random.Next(11) switch
            {
                0 or 1 => ["SETBIT", key, random.Next(200).ToString(), random.Next(2).ToString()],
                2 => ["GETBIT", key, random.Next(220).ToString()],
                3 => random.Next(3) switch
                {
                    0 => ["BITCOUNT", key],
                    1 => ["BITCOUNT", key, N(30), N(30)],
                    _ => ["BITCOUNT", key, N(230), N(230), Unit()],
                },
                4 or 5 => random.Next(4) switch
                {
                    0 => ["BITPOS", key, random.Next(2).ToString()],
                    1 => ["BITPOS", key, random.Next(2).ToString(), N(30)],
                    2 => ["BITPOS", key, random.Next(2).ToString(), N(30), N(30)],
                    _ => ["BITPOS", key, random.Next(2).ToString(), N(230), N(230), Unit()],
                },
                6 => random.Next(5) == 0
                    ? ["BITOP", "NOT", key, keys[random.Next(keys.Length)]]
                    : ["BITOP", new[] { "AND", "OR", "XOR" }[random.Next(3)], key, .. keys.Where(_ => random.Next(2) == 0).DefaultIfEmpty(keys[0])],
                7 => ["SET", key, RandomBytesText(random)],
                8 => ["DEL", key],
                9 => ["BITFIELD", key, .. RandomFieldOps(random, readOnly: false)],
                _ => ["BITFIELD_RO", key, .. RandomFieldOps(random, readOnly: random.Next(8) != 0)],
            };
            string expected = reference.Call(call), ours = _c.Call(call);
            Assert.True(expected == ours, $"call {i}: {string.Join(' ', call)}: redis {expected.Trim()} ours {ours.Trim()}");
            if (ours.StartsWith(':') && ours is not (":0\r\n" or ":1\r\n" or ":-1\r\n")) informative++;
        }
        Assert.True(informative > 500, $"only {informative} informative replies: the random calls test too little");
        foreach (var key in keys) Assert.Equal(reference.CallBytes("GET", key), _c.CallBytes("GET", key));
    }

    /// <summary>GET/SET/INCRBY/OVERFLOW with widths at the edges, "#" offsets, and values that overflow.</summary>
    private static IEnumerable<string> RandomFieldOps(Random random, bool readOnly)
    {
        for (int n = random.Next(1, 5); n > 0; n--)
        {
            string type = (random.Next(2) == 0 ? "i" : "u") + new[] { 1, 2, 5, 8, 13, 31, 32, 63, 64 }[random.Next(9)];
            string offset = random.Next(4) == 0 ? "#" + random.Next(6) : random.Next(120).ToString();
            string value = random.Next(4) switch
            {
                0 => random.Next(-3, 4).ToString(),
                1 => random.NextInt64(long.MinValue, long.MaxValue).ToString(),
                2 => (random.Next(2) == 0 ? long.MaxValue : long.MinValue).ToString(),
                _ => random.Next(-300, 300).ToString(),
            };
            switch (readOnly ? 0 : random.Next(5))
            {
                case 0: yield return "GET"; yield return type; yield return offset; break;
                case 1: yield return "SET"; yield return type; yield return offset; yield return value; break;
                case 2: yield return "INCRBY"; yield return type; yield return offset; yield return value; break;
                case 3: yield return "OVERFLOW"; yield return new[] { "WRAP", "SAT", "FAIL", "wrap" }[random.Next(4)]; break;
                default: yield return "INCRBY"; yield return type; yield return offset; yield return random.Next(-20, 20).ToString(); break;
            }
        }
    }

    private static string RandomBytesText(Random random) =>
        new([.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => "\u0000\u00ff\u000fa\u00f0b"[random.Next(6)])]);
}
