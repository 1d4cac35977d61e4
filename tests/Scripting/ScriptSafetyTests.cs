using System.Diagnostics;
using OrleansLua.Tests.Infrastructure;
using static OrleansLua.Tests.Infrastructure.TestValues;
using Xunit;

namespace OrleansLua.Tests.Scripting;

/// <summary>
/// A runaway or hostile script hurts only its own slot, for a bounded time, and never the process:
/// BUSY, SCRIPT KILL with rollback, time and memory limits, hostile inputs.
/// </summary>
[Collection(ClusterCollection.Name)]
public class ScriptSafetyTests(ClusterFixture fixture)
{
    private const string Busy = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";

    /// <summary>Sets CONFIG values for the test and puts the defaults back afterwards.</summary>
    private sealed class Config : IDisposable
    {
        private readonly RawRespClient _c;
        private readonly string[] _names;

        public Config(int port, params string[] pairs)
        {
            _c = new RawRespClient(port);
            _names = pairs.Where((_, i) => i % 2 == 0).ToArray();
            Assert.Equal("+OK\r\n", _c.Call(["CONFIG", "SET", .. pairs]));
        }

        public void Dispose()
        {
            _c.Call("CONFIG", "SET", "busy-reply-threshold", "5000", "script-hard-time-limit", "300000", "script-memory-limit", "64mb");
            _c.Dispose();
        }
    }

    [Fact]
    public void Busy_slot_answers_BUSY_other_slots_serve_and_SCRIPT_KILL_from_another_gateway_rolls_back()
    {
        using var config = new Config(fixture.Port, "busy-reply-threshold", "200");
        var t = Tag();
        using var runner = new RawRespClient(fixture.Port);
        using var other = new RawRespClient(fixture.Port);
        using var killer = new RawRespClient(fixture.Ports[1]);
        other.Call("SET", t + "a", "before");
        const string script = "redis.call('SET', KEYS[1], 'during') local i = 0 while true do i = i + 1 end";
        runner.SendRaw(RawRespClient.Encode("EVAL", script, "1", t + "a"));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string reply;
        do reply = other.Call("GET", t + "b"); while (reply != Busy && DateTime.UtcNow < deadline);
        Assert.Equal(Busy, reply);
        Assert.Equal(Busy, other.Call("SET", t + "c", "x"));
        Assert.Equal("+PONG\r\n", other.Call("PING"));
        Assert.Equal("+OK\r\n", other.Call("SET", "unrelated:" + Guid.NewGuid(), "served"));

        Assert.Equal("+OK\r\n", killer.Call("SCRIPT", "KILL"));
        Assert.Equal($"-ERR Script killed by user with SCRIPT KILL... script: {Sha(script)}, on @user_script:1.\r\n", runner.ReadReply());
        Assert.Equal("$6\r\nbefore\r\n", other.Call("GET", t + "a"));
        Assert.Equal("$-1\r\n", other.Call("GET", t + "c"));
        Assert.Equal("-NOTBUSY No scripts in execution right now.\r\n", killer.Call("SCRIPT", "KILL"));
        Assert.Equal("$6\r\nbefore\r\n", runner.Call("GET", t + "a"));
    }

    [Fact]
    public void A_transaction_for_a_busy_slot_gets_one_busy_reply()
    {
        using var config = new Config(fixture.Port, "busy-reply-threshold", "100");
        var t = Tag();
        using var runner = new RawRespClient(fixture.Port);
        using var c = new RawRespClient(fixture.Port);
        using var killer = new RawRespClient(fixture.Ports[1]);
        runner.SendRaw(RawRespClient.Encode("EVAL", "while true do end", "1", t + "a"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (c.Call("GET", t + "x") != Busy && DateTime.UtcNow < deadline) Thread.Sleep(20);
        c.Call("MULTI");
        c.Call("SET", t + "b", "1");
        c.Call("SET", t + "c", "2");
        Assert.Equal(Busy, c.Call("EXEC"));
        Assert.Equal("+PONG\r\n", c.Call("PING"));
        Assert.Equal("+OK\r\n", killer.Call("SCRIPT", "KILL"));
        Assert.StartsWith("-ERR Script killed by user with SCRIPT KILL...", runner.ReadReply());
    }

    [Fact]
    public void Pcall_cannot_swallow_script_kill()
    {
        using var config = new Config(fixture.Port, "busy-reply-threshold", "100");
        var t = Tag();
        using var runner = new RawRespClient(fixture.Port);
        using var killer = new RawRespClient(fixture.Port);
        const string script = "local i = 0 while true do pcall(function() while true do i = i + 1 end end) end";
        runner.SendRaw(RawRespClient.Encode("EVAL", script, "1", t + "k"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string reply;
        do
        {
            Thread.Sleep(50);
            reply = killer.Call("SCRIPT", "KILL");
        } while (reply != "+OK\r\n" && DateTime.UtcNow < deadline);
        Assert.Equal("+OK\r\n", reply);
        Assert.Equal($"-ERR Script killed by user with SCRIPT KILL... script: {Sha(script)}, on @user_script:1.\r\n", runner.ReadReply());
    }

    [Fact]
    public async Task Calls_that_arrive_before_the_threshold_wait_for_the_script()
    {
        var t = Tag();
        using var runner = new RawRespClient(fixture.Port);
        using var waiter = new RawRespClient(fixture.Ports[1]);
        // Warm the slot's grain, the script path and the JIT so the long script starts at once.
        Assert.Equal(":1\r\n", runner.Call("EVAL", "return 1", "1", t + "k"));
        const string script = "redis.call('SET', KEYS[1], 'by-script') local s = os.clock() while os.clock() - s < 0.6 do end return 1";
        runner.SendRaw(RawRespClient.Encode("EVAL", script, "1", t + "k"));
        await Task.Delay(200);
        var watch = Stopwatch.StartNew();
        Assert.Equal("$9\r\nby-script\r\n", waiter.Call("GET", t + "k"));
        Assert.Equal(":1\r\n", runner.ReadReply());
        Assert.InRange(watch.ElapsedMilliseconds, 50, 5000);
    }

    [Theory]
    [InlineData("local i = 0 while true do i = i + 1 end")]
    [InlineData("while true do local ok = pcall(function() while true do end end) end")]
    [InlineData("while true do xpcall(function() while true do end end, function(e) return e end) end")]
    [InlineData("local t = {3, 2, 1} table.sort(t, function(a, b) while true do end end)")]
    [InlineData("return string.gsub('abc', '.', function(c) while true do end end)")]
    [InlineData("local co = coroutine.wrap(function() while true do end end) co()")]
    [InlineData("local co = coroutine.create(function() while true do end end) local ok, e = coroutine.resume(co) return 'escaped'")]
    [InlineData("local co = coroutine.create(function() local c2 = coroutine.create(function() while true do end end) coroutine.resume(c2) while true do end end) coroutine.resume(co) return 'escaped'")]
    [InlineData("local t = setmetatable({}, {__index = function() while true do end end}) return t.x")]
    [InlineData("local function f() return f() end return f()")]
    public void Hard_time_limit_stops_runaway_scripts(string script)
    {
        using var config = new Config(fixture.Port, "script-hard-time-limit", "200");
        using var c = new RawRespClient(fixture.Port);
        var k = Tag() + "k";
        c.Call("SET", k, "before");
        var watch = Stopwatch.StartNew();
        var reply = c.Call("EVAL", "redis.call('SET', KEYS[1], 'after') " + script, "1", k);
        Assert.Equal($"-ERR Script killed after running longer than script-hard-time-limit (200 ms) script: {Sha("redis.call('SET', KEYS[1], 'after') " + script)}, on @user_script:1.\r\n", reply);
        Assert.InRange(watch.ElapsedMilliseconds, 150, 5000);
        Assert.Equal("$6\r\nbefore\r\n", c.Call("GET", k));
        Assert.Equal("$2\r\nok\r\n", c.Call("EVAL", "return 'ok'", "1", k));
    }

    [Theory]
    [InlineData("local t = {} for i = 1, 1e8 do t[i] = i end")]
    [InlineData("local s = string.rep('a', 1e6) for i = 1, 30 do s = s .. s end")]
    [InlineData("local t = {} for i = 1, 1e6 do t[i] = string.rep('x', 100) .. i end")]
    [InlineData("local s = string.rep('x', 3e6) return #table.concat({s, s, s, s, s, s, s})")]
    [InlineData("local ok, e = pcall(function() local t = {} for i = 1, 1e8 do t[i] = i end end) local t = {} for i = 1, 1e8 do t[i] = i end")]
    public void Memory_cap_fails_the_script_rolls_back_and_keeps_the_engine_usable(string script)
    {
        using var config = new Config(fixture.Port, "script-memory-limit", "8mb");
        using var c = new RawRespClient(fixture.Port);
        var k = Tag() + "k";
        var body = "redis.call('SET', KEYS[1], 'after') " + script;
        var reply = c.Call("EVAL", body, "1", k);
        Assert.StartsWith("-ERR Script used more memory than script-memory-limit (8388608 bytes) script: " + Sha(body) + ", on @user_script:", reply);
        Assert.Equal(":0\r\n", c.Call("EXISTS", k));
        for (int i = 0; i < 20; i++) Assert.Equal("$2\r\nok\r\n", c.Call("EVAL", "return 'ok'", "1", k));
    }

    [Theory]
    [InlineData("return string.rep('x', 2^40)", "-ERR user_script:1: resulting string too large script: ")]
    [InlineData("local function f(n) return 1 + f(n + 1) end return f(1)", "-ERR user_script:1: stack overflow script: ")]
    [InlineData("return loadstring(string.dump(function() return 1 end))", "$-1\r\n")]
    [InlineData("return load(function() return nil end)", "$-1\r\n")]
    [InlineData("return {setmetatable({}, {__index = function() while true do end end})}", "*1\r\n*0\r\n")]
    [InlineData("return table.concat({}, string.rep('x', 1e9))", "-ERR Script used more memory than script-memory-limit")]
    public void Hostile_scripts_end_in_clear_errors(string script, string expectedStart)
    {
        using var c = new RawRespClient(fixture.Port);
        var reply = c.Call("EVAL", script, "1", Tag() + "k");
        Assert.StartsWith(expectedStart, reply);
        Assert.Equal("+PONG\r\n", c.Call("PING"));
    }

    [Fact]
    public void A_reply_nested_2000_deep_comes_back_whole_as_from_redis()
    {
        // Redis 7.0.15 cuts only past 7995 levels (tests/Abuse/NestedScriptReplyTests checks the cut)
        using var c = new RawRespClient(fixture.Port);
        var reply = c.Call("EVAL", "local t = {} local c = t for i = 1, 2000 do c[1] = {} c = c[1] end return t", "0");
        Assert.Equal(string.Concat(Enumerable.Repeat("*1\r\n", 2000)) + "*0\r\n", reply);
    }

    [Fact]
    public void Shebang_flags()
    {
        using var c = new RawRespClient(fixture.Port);
        var k = Tag() + "k";
        const string noWrites = "#!lua flags=no-writes\nreturn redis.call('SET', KEYS[1], 'x')";
        Assert.Equal($"-ERR Write commands are not allowed from read-only scripts. script: {Sha(noWrites)}, on @user_script:2.\r\n", c.Call("EVAL", noWrites, "1", k));
        Assert.Equal("$-1\r\n", c.Call("EVAL", "#!lua flags=no-writes,allow-oom,allow-stale\nreturn redis.call('GET', KEYS[1])", "1", k));
        Assert.Equal("-ERR Can not run script on cluster, 'no-cluster' flag is set.\r\n", c.Call("EVAL", "#!lua flags=no-cluster\nreturn 1", "0"));
        Assert.Equal("-ERR Unexpected flag in script shebang: bogus\r\n", c.Call("EVAL", "#!lua flags=bogus\nreturn 1", "0"));
        Assert.Equal("-ERR Unknown lua shebang option: name=x\r\n", c.Call("EVAL", "#!lua name=x\nreturn 1", "0"));
        Assert.Equal("-ERR Unexpected engine in script shebang: #!python\r\n", c.Call("EVAL", "#!python\nreturn 1", "0"));
        Assert.Equal("-ERR Invalid script shebang\r\n", c.Call("EVAL", "#!lua", "0"));
        Assert.Equal(":1\r\n", c.Call("EVAL", "#!lua\nreturn 1", "0"));
        const string lines = "#!lua\nlocal a = 1\nreturn x";
        Assert.Equal($"-ERR user_script:3: Script attempted to access nonexistent global variable 'x' script: {Sha(lines)}, on @user_script:3.\r\n", c.Call("EVAL", lines, "0"));
        const string cross = "#!lua flags=allow-cross-slot-keys\nreturn redis.call('GET', 'elsewhere')";
        Assert.Equal($"-ERR Script attempted to access a key outside its slot: 'allow-cross-slot-keys' cannot be honoured because a script is atomic only inside its slot's shard grain script: {Sha(cross)}, on @user_script:2.\r\n",
            c.Call("EVAL", cross, "1", k));
        Assert.Equal("-ERR Unexpected flag in script shebang: bogus\r\n", c.Call("SCRIPT", "LOAD", "#!lua flags=bogus\nreturn 1"));
    }

    [Theory]
    [InlineData(false, "return true", ":1\r\n")]
    [InlineData(false, "return false", "$-1\r\n")]
    [InlineData(false, "redis.setresp(3) return true", ":1\r\n")]
    [InlineData(false, "redis.setresp(3) return false", ":0\r\n")]
    [InlineData(true, "redis.setresp(3) return true", "#t\r\n")]
    [InlineData(true, "redis.setresp(3) return false", "#f\r\n")]
    [InlineData(true, "return false", "_\r\n")]
    [InlineData(false, "return {double=1.5}", "$3\r\n1.5\r\n")]
    [InlineData(true, "return {double=1.5}", ",1.5\r\n")]
    [InlineData(false, "return {map={a=1}}", "*2\r\n$1\r\na\r\n:1\r\n")]
    [InlineData(true, "return {map={a=1}}", "%1\r\n$1\r\na\r\n:1\r\n")]
    [InlineData(false, "return {set={a=true}}", "*1\r\n$1\r\na\r\n")]
    [InlineData(true, "return {set={a=true}}", "~1\r\n$1\r\na\r\n")]
    [InlineData(false, "return {big_number='123'}", "$3\r\n123\r\n")]
    [InlineData(true, "return {big_number='123'}", "(123\r\n")]
    [InlineData(true, "return {verbatim_string={format='txt', string='hi'}}", "=6\r\ntxt:hi\r\n")]
    [InlineData(false, "redis.setresp(3) return tostring(redis.call('GET', KEYS[1]))", "$3\r\nnil\r\n")]
    [InlineData(false, "return tostring(redis.call('GET', KEYS[1]))", "$5\r\nfalse\r\n")]
    [InlineData(false, "redis.setresp(3) return type(redis.call('TIME'))", "$5\r\ntable\r\n")]
    public void Resp3_conversions_inside_scripts(bool resp3Connection, string script, string expected)
    {
        using var c = new RawRespClient(fixture.Port);
        if (resp3Connection) c.Call("HELLO", "3");
        Assert.Equal(expected, c.Call("EVAL", script, "1", Tag() + "missing"));
    }

    [Fact]
    public void Setresp_refuses_other_versions()
    {
        using var c = new RawRespClient(fixture.Port);
        const string script = "redis.setresp(4)";
        Assert.Equal($"-ERR RESP version must be 2 or 3. script: {Sha(script)}, on @user_script:1.\r\n", c.Call("EVAL", script, "0"));
    }

    [Fact]
    public void Config_knobs()
    {
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("*2\r\n$14\r\nlua-time-limit\r\n$4\r\n5000\r\n", c.Call("CONFIG", "GET", "lua-time-limit"));
        Assert.Equal("*2\r\n$19\r\nscript-memory-limit\r\n$8\r\n67108864\r\n", c.Call("CONFIG", "GET", "script-memory-limit"));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'busy-reply-threshold') - argument couldn't be parsed into an integer\r\n",
            c.Call("CONFIG", "SET", "busy-reply-threshold", "soon"));
        Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config\r\n", c.Call("CONFIG", "SET", "port", "1"));
        Assert.Equal("-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n", c.Call("CONFIG", "SET", "nosuch", "1"));
        using (new Config(fixture.Port, "lua-time-limit", "1234"))
        {
            Assert.Equal("*2\r\n$20\r\nbusy-reply-threshold\r\n$4\r\n1234\r\n", c.Call("CONFIG", "GET", "busy-reply-threshold"));
            using var second = new RawRespClient(fixture.Ports[1]);
            Assert.Equal("*2\r\n$20\r\nbusy-reply-threshold\r\n$4\r\n1234\r\n", second.Call("CONFIG", "GET", "busy-reply-threshold"));
        }
        Assert.Equal("*2\r\n$20\r\nbusy-reply-threshold\r\n$4\r\n5000\r\n", c.Call("CONFIG", "GET", "busy-reply-threshold"));
    }

    [Fact]
    public void Eval_scripts_are_evicted_least_recently_used_script_loaded_ones_stay()
    {
        var cache = new OrleansLua.Grains.Scripting.ScriptCache();
        var loaded = OrleansLua.Grains.Scripting.ScriptInfo.Parse("return 'loaded'"u8.ToArray());
        cache.AddLoaded(loaded);
        var first = OrleansLua.Grains.Scripting.ScriptInfo.Parse("return 0"u8.ToArray());
        cache.AddEvaluated(first);
        for (int i = 1; i < 600; i++)
        {
            cache.AddEvaluated(OrleansLua.Grains.Scripting.ScriptInfo.Parse(System.Text.Encoding.UTF8.GetBytes($"return {i}")));
            if (i % 100 == 0) Assert.True(cache.TryGet(first.Sha, out _)); // recently used: kept
        }
        Assert.Equal(500, cache.EvaluatedCount);
        Assert.True(cache.TryGet(first.Sha, out _));
        Assert.False(cache.TryGet(OrleansLua.Grains.Scripting.ScriptInfo.Parse("return 1"u8.ToArray()).Sha, out _));
        Assert.True(cache.TryGet(loaded.Sha, out _));
    }

    /// <summary>Scripts running on the silos now, keyed and keyless (0 once every run has ended).</summary>
    private void WaitUntilNoScriptRuns(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        int running;
        while ((running = fixture.SiloServices<OrleansLua.Grains.Scripting.ScriptHost>().Sum(h => h.RunningScripts)) > 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        Assert.Equal(0, running);
    }

    [Theory]
    [InlineData("while true do end")]
    [InlineData("local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end")]
    public void A_keyless_script_past_the_threshold_is_stopped_by_SCRIPT_KILL_from_any_gateway(string script)
    {
        using var config = new Config(fixture.Port, "busy-reply-threshold", "200");
        using var runner = new RawRespClient(fixture.Port);
        using var killer = new RawRespClient(fixture.Ports[1]);
        runner.SendRaw(RawRespClient.Encode("EVAL", script, "0"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string reply;
        do reply = killer.Call("SCRIPT", "KILL"); while (reply != "+OK\r\n" && DateTime.UtcNow < deadline);
        Assert.Equal("+OK\r\n", reply);
        Assert.Equal($"-ERR Script killed by user with SCRIPT KILL... script: {Sha(script)}, on @user_script:1.\r\n", runner.ReadReply());
        WaitUntilNoScriptRuns(TimeSpan.FromSeconds(5));
        Assert.Equal("-NOTBUSY No scripts in execution right now.\r\n", killer.Call("SCRIPT", "KILL"));
        Assert.Equal("+PONG\r\n", runner.Call("PING"));
    }

    [Fact]
    public void A_script_whose_client_disconnects_stops_once_past_the_threshold_and_rolls_back()
    {
        using var config = new Config(fixture.Port, "busy-reply-threshold", "300");
        var k = Tag() + "k";
        using var other = new RawRespClient(fixture.Port);
        Assert.Equal("+OK\r\n", other.Call("SET", k, "before"));
        string[][] runs =
        [
            ["EVAL", "while true do end", "0"],
            ["EVAL", "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end", "0"],
            ["EVAL", "redis.call('SET', KEYS[1], 'during') while true do end", "1", k],
        ];
        foreach (var run in runs)
        {
            var runner = new RawRespClient(fixture.Ports[1]);
            runner.SendRaw(RawRespClient.Encode(run));
            Thread.Sleep(100);
            runner.Dispose();
            // noticed by the gateway's once-a-second sweep, then stopped at the script's next hook
            WaitUntilNoScriptRuns(TimeSpan.FromSeconds(10));
        }
        Assert.Equal("$6\r\nbefore\r\n", other.Call("GET", k));
        Assert.Equal("-NOTBUSY No scripts in execution right now.\r\n", other.Call("SCRIPT", "KILL"));
    }

    [Fact]
    public void The_hard_time_limit_defaults_to_five_minutes_below_the_grain_call_timeout()
    {
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("*2\r\n$22\r\nscript-hard-time-limit\r\n$6\r\n300000\r\n", c.Call("CONFIG", "GET", "script-hard-time-limit"));
    }
}
