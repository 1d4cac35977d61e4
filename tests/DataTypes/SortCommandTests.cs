using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.DataTypes;

/// <summary>
/// SORT and SORT_RO over TCP: exact replies and errors, the cluster rule for BY/GET patterns, scripts and
/// MULTI, and random sorts answered as redis-server 7.0.15 answers them (patterns hash-tagged to the
/// sorted key's slot, which both accept).
/// </summary>
[Collection(ClusterCollection.Name)]
public class SortCommandTests(ClusterFixture fixture)
{
    private readonly RawRespClient _c = new(fixture.Port);
    private static string Tag() => "{sort:" + Guid.NewGuid().ToString("N")[..8] + "}";

    [Fact]
    public void Numeric_alpha_limit_desc_and_store()
    {
        string t = Tag(), list = t + "l", dest = t + "dest";
        _c.Call("RPUSH", list, "3", "10", "1", "2.5", "-4");
        Assert.Equal("*5\r\n$2\r\n-4\r\n$1\r\n1\r\n$3\r\n2.5\r\n$1\r\n3\r\n$2\r\n10\r\n", _c.Call("SORT", list));
        Assert.Equal("*2\r\n$1\r\n3\r\n$3\r\n2.5\r\n", _c.Call("SORT", list, "DESC", "LIMIT", "1", "2"));
        Assert.Equal("*5\r\n$2\r\n-4\r\n$1\r\n1\r\n$2\r\n10\r\n$3\r\n2.5\r\n$1\r\n3\r\n", _c.Call("SORT_RO", list, "ALPHA"));
        Assert.Equal(":5\r\n", _c.Call("SORT", list, "STORE", dest));
        Assert.Equal("*2\r\n$2\r\n-4\r\n$1\r\n1\r\n", _c.Call("LRANGE", dest, "0", "1"));
        Assert.Equal(":0\r\n", _c.Call("SORT", t + "missing", "STORE", dest));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", dest));
        Assert.Equal("*0\r\n", _c.Call("SORT", t + "missing"));

        _c.Call("RPUSH", t + "words", "b", "a");
        Assert.Equal("-ERR One or more scores can't be converted into double\r\n", _c.Call("SORT", t + "words"));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("SORT_RO", list, "STORE", dest));
        Assert.Equal("-ERR syntax error\r\n", _c.Call("SORT", list, "LIMIT", "1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("SORT", list, "LIMIT", "x", "1"));
        _c.Call("SET", t + "str", "x");
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", _c.Call("SORT", t + "str"));
    }

    [Fact]
    public void By_and_get_patterns_in_the_slot_and_refused_outside_it()
    {
        string t = Tag(), list = t + "ids";
        _c.Call("RPUSH", list, "1", "2", "3");
        _c.Call("MSET", t + "w_1", "30", t + "w_2", "10", t + "w_3", "20", t + "name_1", "one", t + "name_3", "three");
        _c.Call("HSET", t + "h_2", "f", "two-field");
        Assert.Equal("*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n", _c.Call("SORT", list, "BY", t + "w_*"));
        Assert.Equal("*6\r\n$-1\r\n$1\r\n2\r\n$5\r\nthree\r\n$1\r\n3\r\n$3\r\none\r\n$1\r\n1\r\n",
            _c.Call("SORT", list, "BY", t + "w_*", "GET", t + "name_*", "GET", "#"));
        Assert.Equal("*3\r\n$-1\r\n$9\r\ntwo-field\r\n$-1\r\n", _c.Call("SORT", list, "GET", t + "h_*->f"));
        Assert.Equal("*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n", _c.Call("SORT", list, "BY", "nosort", "DESC")); // list order, reversed
        Assert.Equal("-ERR BY option of SORT denied in Cluster mode when keys formed by the pattern may be in different slots.\r\n",
            _c.Call("SORT", list, "BY", "w_*"));
        Assert.Equal("-ERR GET option of SORT denied in Cluster mode when keys formed by the pattern may be in different slots.\r\n",
            _c.Call("SORT", list, "GET", "*->f"));
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", _c.Call("SORT", list, "STORE", "elsewhere" + Guid.NewGuid()));
    }

    [Fact]
    public void Scripts_sort_sets_by_constant_alphabetically_and_multi_queues_sort()
    {
        string t = Tag(), set = t + "s";
        _c.Call("SADD", set, "c", "a", "b");
        Assert.Equal("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", _c.Call("EVAL", "return redis.call('SORT', KEYS[1], 'BY', 'nosort')", "1", set));
        Assert.Equal(":3\r\n", _c.Call("EVAL", "return redis.call('SORT', KEYS[1], 'ALPHA', 'DESC', 'STORE', KEYS[2])", "2", set, t + "d"));
        Assert.Equal("*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", _c.Call("LRANGE", t + "d", "0", "-1"));
        Assert.Equal("+OK\r\n", _c.Call("MULTI"));
        Assert.Equal("+QUEUED\r\n", _c.Call("SORT", set, "ALPHA", "LIMIT", "0", "1"));
        Assert.Equal("*1\r\n*1\r\n$1\r\na\r\n", _c.Call("EXEC"));
    }

    [Fact]
    public void Random_sorts_agree_with_redis_server()
    {
        using var redis = new RedisServerProcess();
        using var reference = redis.Connect();
        var random = new Random(20261208);
        int nonEmpty = 0;
        for (int round = 0; round < 150; round++)
        {
            string t = Tag(), key = t + "k";
            string[] setup = random.Next(3) switch { 0 => ["RPUSH", key], 1 => ["SADD", key], _ => ["ZADD", key] };
            var elements = new List<string>();
            for (int n = random.Next(0, 25); n > 0; n--)
            {
                string element = random.Next(3) == 0 ? "e" + random.Next(40) : (random.Next(-50, 50) / (random.Next(3) == 0 ? 4.0 : 1)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (setup[0] == "ZADD") elements.Add(random.Next(-5, 5).ToString());
                elements.Add(element);
            }
            var commands = new List<object[]> { new object[] { "DEL", key } };
            if (elements.Count > 0) commands.Add([.. setup, .. elements]);
            var distinct = elements.Distinct().ToList();
            // Numeric weights (some missing: they count as 0, ties go to the elements) and, for BY … ALPHA, unique
            // strings for every element (two missing or equal ones would tie, and Redis leaves ties to qsort).
            var weights = Enumerable.Range(0, distinct.Count).OrderBy(_ => random.Next()).ToList();
            for (int i = 0; i < distinct.Count; i++)
            {
                if (random.Next(5) > 0) commands.Add(["SET", t + "w_" + distinct[i], (weights[i] * (random.Next(2) == 0 ? 1 : -3)).ToString()]);
                commands.Add(["SET", t + "a_" + distinct[i], "x" + weights[i].ToString("D3")]);
                if (random.Next(3) > 0) commands.Add(["SET", t + "o_" + distinct[i], "obj" + i]);
                if (random.Next(3) == 0) commands.Add(["HSET", t + "h_" + distinct[i], "f", "field" + i]);
            }
            foreach (var command in commands) Assert.Equal(reference.Call(command), _c.Call(command));

            for (int q = 0; q < 8; q++)
            {
                var sort = new List<object> { random.Next(4) == 0 ? "SORT_RO" : "SORT", key };
                bool alpha = random.Next(2) == 0, numericSafe = !elements.Any(e => e.StartsWith('e'));
                if (random.Next(2) == 0) sort.Add(random.Next(2) == 0 ? "DESC" : "ASC");
                if (random.Next(3) == 0)
                {
                    sort.Add("BY");
                    // a constant BY leaves a set in its encoding's order, which differs from Redis's: lists and zsets only
                    sort.Add(setup[0] != "SADD" && random.Next(4) == 0 ? "nosort" : alpha ? t + "a_*" : t + "w_*");
                    numericSafe = true;
                }
                if (alpha || !numericSafe) sort.Add("ALPHA");
                if (random.Next(3) == 0) { sort.Add("LIMIT"); sort.Add(random.Next(-2, 8).ToString()); sort.Add(random.Next(-2, 8).ToString()); }
                for (int g = random.Next(0, 3); g > 0; g--) { sort.Add("GET"); sort.Add(new[] { "#", t + "o_*", t + "h_*->f", t + "w_*" }[random.Next(4)]); }
                bool stores = sort[0] is "SORT" && random.Next(4) == 0;
                if (stores) { sort.Add("STORE"); sort.Add(t + "dest"); }
                var call = sort.ToArray();
                string expected = reference.Call(call), ours = _c.Call(call);
                Assert.True(expected == ours, $"{string.Join(' ', call)}\nredis {expected}\nours  {ours}");
                if (stores) Assert.True(reference.Call("LRANGE", t + "dest", "0", "-1") == _c.Call("LRANGE", t + "dest", "0", "-1"), $"stored by {string.Join(' ', call)}");
                if (ours.Length > 4 && ours[0] == '*') nonEmpty++;
            }
        }
        Assert.True(nonEmpty > 400, $"only {nonEmpty} non-empty sorts: the random test sorts too little");
    }
}
