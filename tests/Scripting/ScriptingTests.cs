using OrleansLua.Tests.Infrastructure;
using static OrleansLua.Tests.Infrastructure.TestValues;
using Xunit;

namespace OrleansLua.Tests.Scripting;

/// <summary>EVAL/EVALSHA over TCP: replies and error texts as redis-server 7.0 sends them.</summary>
[Collection(ClusterCollection.Name)]
public class ScriptingTests(ClusterFixture fixture)
{
    private readonly RawRespClient _c = new(fixture.Port);


    private string Eval(string script, params string[] keysThenArgs) => _c.Call(["EVAL", script, .. keysThenArgs]);

    [Fact]
    public void Seed_incr_example()
    {
        var k = Tag() + "counter";
        _c.Call("SET", k, "5");
        Assert.Equal(":6\r\n", Eval("return redis.call('incr', KEYS[1])", "1", k));
    }

    [Fact]
    public void Seed_set_if_missing_example()
    {
        const string script = "if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) return 'Set new value' else return 'Value exists' end";
        var k = Tag() + "k";
        Assert.Equal("$13\r\nSet new value\r\n", Eval(script, "1", k, "v"));
        Assert.Equal("$12\r\nValue exists\r\n", Eval(script, "1", k, "w"));
        Assert.Equal("$1\r\nv\r\n", _c.Call("GET", k));
    }

    [Fact]
    public void Seed_get_then_incr_example()
    {
        var k = Tag() + "key";
        const string script = "local v=redis.call(\"GET\", KEYS[1]) redis.call(\"INCR\", KEYS[1]) return v";
        Assert.Equal("$-1\r\n", Eval(script, "1", k));
        Assert.Equal("$1\r\n1\r\n", Eval(script, "1", k));
        Assert.Equal("$1\r\n2\r\n", _c.Call("GET", k));
    }

    [Fact]
    public void Seed_undeclared_key_with_zero_numkeys_fails_as_redis_fails_it()
    {
        const string script = "return redis.call(\"GET\", KEYS[1])";
        Assert.Equal($"-ERR Lua redis lib command arguments must be strings or integers script: {Sha(script)}, on @user_script:1.\r\n",
            Eval(script, "0", "keyname"));
    }

    [Fact]
    public void Seed_script_load_then_evalsha()
    {
        const string script = "return 'loaded ' .. ARGV[1]";
        Assert.Equal($"$40\r\n{Sha(script)}\r\n", _c.Call("SCRIPT", "LOAD", script));
        Assert.Equal("$8\r\nloaded x\r\n", _c.Call("EVALSHA", Sha(script), "0", "x"));
        Assert.Equal("$8\r\nloaded y\r\n", _c.Call("EVALSHA", Sha(script).ToUpperInvariant(), "0", "y"));
        Assert.Equal("*2\r\n:1\r\n:0\r\n", _c.Call("SCRIPT", "EXISTS", Sha(script), "ffffffffffffffffffffffffffffffffffffffff"));
    }

    [Fact]
    public void Seed_error_after_set_leaves_the_key_unchanged()
    {
        var k = Tag() + "k";
        _c.Call("SET", k, "before");
        const string script = "redis.call('SET', KEYS[1], 'after') error('Stop script')";
        Assert.Equal($"-ERR user_script:1: Stop script script: {Sha(script)}, on @user_script:1.\r\n", Eval(script, "1", k));
        Assert.Equal("$6\r\nbefore\r\n", _c.Call("GET", k));
    }

    [Fact]
    public void Rollback_restores_every_key_and_ttl_the_script_touched()
    {
        var t = Tag();
        _c.Call("SET", t + "a", "1", "EX", "1000");
        _c.Call("SET", t + "b", "2");
        const string script = """
            redis.call('SET', KEYS[1], 'changed')
            redis.call('DEL', KEYS[2])
            redis.call('SET', KEYS[3], 'created')
            redis.call('INCR', KEYS[3])
            """;
        var reply = Eval(script, "3", t + "a", t + "b", t + "c");
        Assert.Equal($"-ERR value is not an integer or out of range script: {Sha(script)}, on @user_script:4.\r\n", reply);
        Assert.Equal("$1\r\n1\r\n", _c.Call("GET", t + "a"));
        Assert.Equal(":1000\r\n", _c.Call("TTL", t + "a"));
        Assert.Equal("$1\r\n2\r\n", _c.Call("GET", t + "b"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", t + "c"));
    }

    [Fact]
    public void Errors_caught_by_pcall_do_not_abort()
    {
        var t = Tag();
        _c.Call("SET", t + "s", "abc");
        const string script = """
            redis.call('SET', KEYS[2], 'kept')
            local r = redis.pcall('INCR', KEYS[1])
            local ok, e = pcall(redis.call, 'INCR', KEYS[1])
            return {r['err'], tostring(ok), e}
            """;
        Assert.Equal("*3\r\n$43\r\nERR value is not an integer or out of range\r\n$5\r\nfalse\r\n$43\r\nERR value is not an integer or out of range\r\n",
            Eval(script, "2", t + "s", t + "k"));
        Assert.Equal("$4\r\nkept\r\n", _c.Call("GET", t + "k"));
    }

    [Theory]
    [InlineData("return 42", ":42\r\n")]
    [InlineData("return 3.99", ":3\r\n")]
    [InlineData("return -3.99", ":-3\r\n")]
    [InlineData("return 1e20", ":-9223372036854775808\r\n")]
    [InlineData("return 'abc'", "$3\r\nabc\r\n")]
    [InlineData("return true", ":1\r\n")]
    [InlineData("return false", "$-1\r\n")]
    [InlineData("return nil", "$-1\r\n")]
    [InlineData("return {1,2,3,'ciao',{1,2}, nil, 5}", "*5\r\n:1\r\n:2\r\n:3\r\n$4\r\nciao\r\n*2\r\n:1\r\n:2\r\n")]
    [InlineData("return {1, false, 'x'}", "*3\r\n:1\r\n$-1\r\n$1\r\nx\r\n")]
    [InlineData("return {}", "*0\r\n")]
    [InlineData("return {ok='fine'}", "+fine\r\n")]
    [InlineData("return {err='My Error'}", "-My Error\r\n")]
    [InlineData("return {ok='a', err='b'}", "-b\r\n")]
    [InlineData("return redis.status_reply('PONG')", "+PONG\r\n")]
    [InlineData("return redis.error_reply('boom')", "-ERR boom\r\n")]
    [InlineData("return redis.error_reply('MY boom')", "-MY boom\r\n")]
    [InlineData("return redis.sha1hex('')", "$40\r\nda39a3ee5e6b4b0d3255bfef95601890afd80709\r\n")]
    [InlineData("return redis.REDIS_VERSION", "$5\r\n7.2.4\r\n")]
    [InlineData("return redis.REDIS_VERSION_NUM", ":459268\r\n")]
    [InlineData("return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}", "*4\r\n:0\r\n:1\r\n:2\r\n:3\r\n")]
    [InlineData("return redis.call('ping')", "+PONG\r\n")]
    [InlineData("return redis.call('echo', 'hi')", "$2\r\nhi\r\n")]
    [InlineData("return tostring(10/2)", "$1\r\n5\r\n")]
    [InlineData("return math.mod(5,3)", ":2\r\n")]
    [InlineData("return table.getn({1,2})", ":2\r\n")]
    [InlineData("return unpack({7,8})", ":7\r\n")]
    [InlineData("return loadstring('return 1')()", ":1\r\n")]
    [InlineData("return type(os.clock())", "$6\r\nnumber\r\n")]
    [InlineData("return {bit.band(7,3), bit.bor(1,2), bit.bxor(3,1), bit.bnot(0), bit.lshift(1,31), bit.rshift(-1,28), bit.arshift(-256,4)}", "*7\r\n:3\r\n:3\r\n:2\r\n:-1\r\n:-2147483648\r\n:15\r\n:-16\r\n")]
    [InlineData("return {bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.bswap(0x12345678), bit.tobit(0xffffffff)}", "*4\r\n:878082066\r\n:2014458966\r\n:2018915346\r\n:-1\r\n")]
    [InlineData("return {bit.tohex(65535), bit.tohex(65535, -4), bit.tohex(-1, 2)}", "*3\r\n$8\r\n0000ffff\r\n$4\r\nFFFF\r\n$2\r\nff\r\n")]
    public void Lua_to_resp_conversions(string script, string expected) => Assert.Equal(expected, Eval(script, "0"));

    [Fact]
    public void Resp_to_lua_conversions()
    {
        var t = Tag();
        _c.Call("SET", t + "s", "v");
        const string script = """
            local r = {}
            r[1] = type(redis.call('INCR', KEYS[2]))
            r[2] = type(redis.call('GET', KEYS[1]))
            r[3] = tostring(redis.call('GET', KEYS[3]))
            r[4] = redis.call('SET', KEYS[1], 'w')['ok']
            r[5] = type(redis.call('MGET', KEYS[1], KEYS[3]))
            r[6] = tostring(redis.call('MGET', KEYS[1], KEYS[3])[2])
            r[7] = redis.pcall('INCR', KEYS[1])['err']
            return r
            """;
        Assert.Equal("*7\r\n$6\r\nnumber\r\n$6\r\nstring\r\n$5\r\nfalse\r\n$2\r\nOK\r\n$5\r\ntable\r\n$5\r\nfalse\r\n$43\r\nERR value is not an integer or out of range\r\n",
            Eval(script, "3", t + "s", t + "n", t + "missing"));
    }

    [Fact]
    public void Numbers_become_arguments_as_redis_prints_them()
    {
        var k = Tag() + "n";
        Assert.Equal("$1\r\n5\r\n", Eval("redis.call('SET', KEYS[1], 10/2) return redis.call('GET', KEYS[1])", "1", k));
        Assert.Equal("$19\r\n0.10000000000000001\r\n", Eval("redis.call('SET', KEYS[1], 0.1) return redis.call('GET', KEYS[1])", "1", k));
        Assert.Equal("$5\r\n1e+20\r\n", Eval("redis.call('SET', KEYS[1], 1e20) return redis.call('GET', KEYS[1])", "1", k));
        Assert.Equal("$2\r\n-7\r\n", Eval("redis.call('SET', KEYS[1], -7) return redis.call('GET', KEYS[1])", "1", k));
    }

    [Theory]
    [InlineData("return redis.call('nosuch')", "ERR Unknown Redis command called from script")]
    [InlineData("return redis.call('get')", "ERR Wrong number of args calling Redis command from script")]
    [InlineData("return redis.call('hello')", "ERR This Redis command is not allowed from script")]
    [InlineData("return redis.call('EVAL', 'return 1', '0')", "ERR This Redis command is not allowed from script")]
    [InlineData("return redis.call()", "ERR Please specify at least one argument for this redis lib call")]
    [InlineData("return redis.call('get', {})", "ERR Lua redis lib command arguments must be strings or integers")]
    [InlineData("return redis.call('set', 'x', true)", "ERR Lua redis lib command arguments must be strings or integers")]
    [InlineData("error({err='tbl'})", "tbl")]
    [InlineData("error({err='ERR tbl'})", "ERR tbl")]
    [InlineData("error('FOO bar', 0)", "ERR FOO bar")]
    [InlineData("error()", "ERR nil")]
    [InlineData("error(123)", "ERR user_script:1: 123")]
    [InlineData("return x", "ERR user_script:1: Script attempted to access nonexistent global variable 'x'")]
    [InlineData("x = 1", "ERR user_script:1: Attempt to modify a readonly table")]
    [InlineData("rawset(_G, 'x', 1)", "ERR Attempt to modify a readonly table")]
    [InlineData("string.foo = 1", "ERR user_script:1: Attempt to modify a readonly table")]
    [InlineData("redis.call = nil", "ERR user_script:1: Attempt to modify a readonly table")]
    [InlineData("return io", "ERR user_script:1: Script attempted to access nonexistent global variable 'io'")]
    [InlineData("return os.execute", "$-1")]
    [InlineData("return debug", "ERR user_script:1: Script attempted to access nonexistent global variable 'debug'")]
    [InlineData("return dofile", "ERR user_script:1: Script attempted to access nonexistent global variable 'dofile'")]
    [InlineData("return loadfile", "ERR user_script:1: Script attempted to access nonexistent global variable 'loadfile'")]
    [InlineData("return require", "ERR user_script:1: Script attempted to access nonexistent global variable 'require'")]
    [InlineData("return package", "ERR user_script:1: Script attempted to access nonexistent global variable 'package'")]
    [InlineData("return print", "ERR user_script:1: Script attempted to access nonexistent global variable 'print'")]
    [InlineData("local f = load('return 1'); return f()", "ERR user_script:1: bad argument #1 to 'load' (function expected, got string)")]
    [InlineData("return loadstring(string.dump(function() end))", "$-1")]
    [InlineData("setmetatable(_G, nil)", "ERR Attempt to modify a readonly table")]
    [InlineData("setmetatable(_G, {})", "ERR Attempt to modify a readonly table")]
    [InlineData("setmetatable(redis, {})", "ERR Attempt to modify a readonly table")]
    [InlineData("local g = getmetatable(_G)\ng.__index = {}", "ERR user_script:2: Attempt to modify a readonly table")]
    [InlineData("rawset(getmetatable(_G), '__index', {})", "ERR Attempt to modify a readonly table")]
    [InlineData("return getmetatable(_G).__index(_G, 'y')", "ERR user_script:1: Script attempted to access nonexistent global variable 'y'")]
    [InlineData("return getmetatable(redis)", "$-1")]
    [InlineData("return getmetatable(setmetatable({}, {a = 1})).a", ":1")]
    [InlineData("redis = function() return 1 end", "ERR user_script:1: Attempt to modify a readonly table")]
    [InlineData("_G = {}", "ERR user_script:1: Attempt to modify a readonly table")]
    [InlineData("cjson.encode = function() return 1 end", "ERR user_script:1: Attempt to modify a readonly table")]
    [InlineData("cmsgpack.pack = function() return 1 end", "ERR user_script:1: Attempt to modify a readonly table")]
    [InlineData("bit.lshift = function() return 1 end", "ERR user_script:1: Attempt to modify a readonly table")]
    [InlineData("local a = 1\nlocal b = 2\nerror('boom')", "ERR user_script:3: boom")]
    [InlineData("local function f()\n  error('deep')\nend\nf()", "ERR user_script:2: deep")]
    public void Script_errors_use_redis_wording(string script, string expected)
    {
        var reply = Eval(script, "0");
        if (expected[0] is '$' or ':') Assert.Equal(expected + "\r\n", reply);
        else
        {
            int line = expected.Contains("user_script:") ? int.Parse(expected.Split("user_script:")[1].Split(':')[0]) : 1;
            Assert.Equal($"-{expected} script: {Sha(script)}, on @user_script:{line}.\r\n", reply);
        }
    }

    [Theory]
    [InlineData("redis.call('cluster', 'reset', 'hard')", "ERR This Redis command is not allowed from script")]
    [InlineData("redis.call('blpop', KEYS[1], 0)", "ERR This Redis command is not allowed from script")]
    [InlineData("redis.call('multi')", "ERR This Redis command is not allowed from script")]
    [InlineData("redis.call('subscribe', 'c')", "ERR This Redis command is not allowed from script")]
    [InlineData("redis.call('auth', 'x')", "ERR This Redis command is not allowed from script")]
    [InlineData("redis.call('eval', 'return 1', 0)", "ERR This Redis command is not allowed from script")]
    [InlineData("redis.call('script', 'load', 'return 1')", "ERR This Redis command is not allowed from script")]
    [InlineData("redis.call('client', 'list')", "ERR This Redis command is not allowed from script")]
    [InlineData("redis.call('acl', 'whoami')", "ERR This Redis command is not allowed from script")]
    [InlineData("redis.call('config', 'set', 'maxmemory', '1')", "ERR This Redis command is not allowed from script")]
    [InlineData("redis.call('config', 'nosuch')", "ERR Unknown Redis command called from script")]
    [InlineData("redis.call('cluster')", "ERR Wrong number of args calling Redis command from script")]
    [InlineData("redis.call('blpop', KEYS[1])", "ERR Wrong number of args calling Redis command from script")]
    public void Commands_redis_refuses_from_scripts_answer_its_text(string script, string expected)
    {
        var key = Tag() + "k";
        Assert.Equal($"-{expected} script: {Sha(script)}, on @user_script:1.\r\n", Eval(script, "1", key));
    }

    [Fact]
    public void Pcall_of_redis_call_errors_returns_the_message()
    {
        Assert.Equal("$44\r\nERR Unknown Redis command called from script\r\n", Eval("local ok, e = pcall(redis.call, 'nosuch'); return e", "0"));
        Assert.Equal("-ERR Unknown Redis command called from script\r\n", Eval("return redis.pcall('nosuch')", "0"));
        Assert.Equal("$1\r\nz\r\n", Eval("local ok, e = pcall(error, {err='z'}); return e", "0"));
    }

    [Fact]
    public void Redis_call_error_reports_the_failing_line()
    {
        var k = Tag() + "s";
        _c.Call("SET", k, "abc");
        const string script = "local a = 1\nlocal b = 2\nreturn redis.call('incr', KEYS[1])";
        Assert.Equal($"-ERR value is not an integer or out of range script: {Sha(script)}, on @user_script:3.\r\n", Eval(script, "1", k));
    }

    [Fact]
    public void Numkeys_errors_and_noscript()
    {
        Assert.Equal("-ERR Number of keys can't be negative\r\n", Eval("return 1", "-1"));
        Assert.Equal("-ERR Number of keys can't be greater than number of args\r\n", Eval("return 1", "2", "a"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Eval("return 1", "x"));
        Assert.Equal("-NOSCRIPT No matching script. Please use EVAL.\r\n", _c.Call("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"));
        Assert.Equal("-NOSCRIPT No matching script. Please use EVAL.\r\n", _c.Call("EVALSHA", "nope", "0"));
        Assert.Equal("-ERR wrong number of arguments for 'eval' command\r\n", _c.Call("EVAL", "return 1"));
    }

    [Fact]
    public void Compile_errors()
    {
        Assert.Equal("-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'\r\n", Eval("return 1 +", "0"));
        Assert.Equal("-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'\r\n", _c.Call("SCRIPT", "LOAD", "return 1 +"));
    }

    [Fact]
    public void A_keyless_script_runs_in_the_slot_of_the_first_key_it_touches_and_is_refused_a_second_slot()
    {
        var t = Tag();
        string a = t + "a", b = t + "b", other = "other-slot:" + Guid.NewGuid().ToString("N");
        Assert.Equal("+OK\r\n", _c.Call("SET", a, "1"));
        // Redis's "Scripts can run non-deterministic commands": TIME before the first key, then keys of one slot
        const string pinned = "local t = redis.call('TIME') redis.call('SET', ARGV[1], 'x') redis.call('INCR', ARGV[2]) return redis.call('GET', ARGV[1])";
        Assert.Equal("$1\r\nx\r\n", Eval(pinned, "0", b, a));
        Assert.Equal("$1\r\n2\r\n", _c.Call("GET", a));
        Assert.Equal("$1\r\nx\r\n", _c.Call("GET", b));
        // pcall cannot keep the script outside the slot: it runs again from the start inside it
        const string caught = "local ok = pcall(redis.call, 'INCR', ARGV[1]) return redis.call('GET', ARGV[1])";
        Assert.Equal("$1\r\n3\r\n", Eval(caught, "0", a));
        // a key of a second slot: Redis Cluster's error, and the first slot's write is undone (all or nothing)
        const string twoSlots = "redis.call('SET', ARGV[1], 'changed') return redis.call('GET', ARGV[2])";
        Assert.Equal($"-ERR Script attempted to access keys that do not hash to the same slot script: {Sha(twoSlots)}, on @user_script:1.\r\n",
            Eval(twoSlots, "0", a, other));
        Assert.Equal("$1\r\n3\r\n", _c.Call("GET", a));
        Assert.Equal("$-1\r\n", Eval("return redis.call('GET', ARGV[1])", "0", other));
        Assert.Equal(":1\r\n", Eval("return 1", "0"));
    }

    [Fact]
    public void Keys_of_other_slots_are_refused_undeclared_keys_of_the_own_slot_are_allowed()
    {
        var t = Tag();
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", Eval("return 1", "2", "a", "b"));
        const string other = "return redis.call('GET', 'some-other-key')";
        Assert.Equal($"-ERR Script attempted to access a non local key in a cluster node script: {Sha(other)}, on @user_script:1.\r\n",
            Eval(other, "1", t + "k"));
        // BullMQ-style: key names built from ARGV in the declared key's slot.
        const string own = "redis.call('SET', ARGV[1] .. 'undeclared', 'v') return redis.call('GET', ARGV[1] .. 'undeclared')";
        Assert.Equal("$1\r\nv\r\n", Eval(own, "1", t + "k", t));
        Assert.Equal("$1\r\nv\r\n", _c.Call("GET", t + "undeclared"));
        const string fanOut = "return redis.call('KEYS', '*')";
        Assert.Equal($"-ERR 'keys' covers every slot and cannot be called from a script script: {Sha(fanOut)}, on @user_script:1.\r\n", Eval(fanOut, "1", t + "k"));
    }

    [Fact]
    public void Read_only_scripts_refuse_writes()
    {
        var k = Tag() + "k";
        _c.Call("SET", k, "v");
        const string write = "return redis.call('SET', KEYS[1], 'x')";
        Assert.Equal($"-ERR Write commands are not allowed from read-only scripts. script: {Sha(write)}, on @user_script:1.\r\n",
            _c.Call("EVAL_RO", write, "1", k));
        Assert.Equal("$1\r\nv\r\n", _c.Call("EVAL_RO", "return redis.call('GET', KEYS[1])", "1", k));
        _c.Call("SCRIPT", "LOAD", write);
        Assert.StartsWith("-ERR Write commands are not allowed from read-only scripts.", _c.Call("EVALSHA_RO", Sha(write), "1", k));
        Assert.Equal("$1\r\nv\r\n", _c.Call("GET", k));
    }

    [Fact]
    public void Globals_do_not_leak_between_scripts()
    {
        Eval("local ok = pcall(function() x = 1 end) return 1", "0");
        Assert.StartsWith("-ERR user_script:1: Script attempted to access nonexistent global variable 'x'", Eval("return x", "0"));
        Assert.StartsWith("-ERR", Eval("getmetatable('').__index.upper = nil", "0"));
        Assert.Equal("$3\r\nABC\r\n", Eval("return ('abc'):upper()", "0"));
    }

    [Fact]
    public void Time_is_frozen_during_a_script()
    {
        var k = Tag() + "k";
        const string script = """
            redis.call('SET', KEYS[1], 'v', 'PX', 1)
            local t = os.clock()
            while os.clock() - t < 0.01 do end
            return redis.call('GET', KEYS[1])
            """;
        Assert.Equal("$1\r\nv\r\n", Eval(script, "1", k));
    }

    [Fact]
    public void Script_flush_forgets_scripts_on_every_gateway()
    {
        const string script = "return 'flush me'";
        using var other = new RawRespClient(fixture.Ports[1]);
        _c.Call("SCRIPT", "LOAD", script);
        Assert.Equal("$8\r\nflush me\r\n", other.Call("EVALSHA", Sha(script), "1", "somekey"));
        Assert.Equal("+OK\r\n", _c.Call("SCRIPT", "FLUSH"));
        Assert.Equal("*1\r\n:0\r\n", other.Call("SCRIPT", "EXISTS", Sha(script)));
        Assert.Equal("-NOSCRIPT No matching script. Please use EVAL.\r\n", other.Call("EVALSHA", Sha(script), "1", "somekey"));
        Assert.Equal("-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n", _c.Call("SCRIPT", "FLUSH", "NOW"));
    }

    [Fact]
    public void Eval_makes_the_script_runnable_by_sha_on_other_gateways()
    {
        var script = "return 'eval then sha " + Guid.NewGuid().ToString("N") + "'";
        using var other = new RawRespClient(fixture.Ports[1]);
        Assert.StartsWith("$", Eval(script, "0"));
        Assert.StartsWith("$", other.Call("EVALSHA", Sha(script), "0"));
    }

    [Fact]
    public void Resp3_connection_gets_resp3_nulls_from_scripts()
    {
        using var c = new RawRespClient(fixture.Port);
        c.Call("HELLO", "3");
        Assert.Equal("_\r\n", c.Call("EVAL", "return false", "0"));
        Assert.Equal("*2\r\n:1\r\n_\r\n", c.Call("EVAL", "return {1, false}", "0"));
    }
}
