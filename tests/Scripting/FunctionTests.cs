using OrleansLua.Tests.Infrastructure;
using static OrleansLua.Tests.Infrastructure.TestValues;
using StackExchange.Redis;
using Xunit;

namespace OrleansLua.Tests.Scripting;

/// <summary>
/// Redis 7 Functions over RESP against the shared two-silo cluster: FUNCTION LOAD/LIST/DELETE/FLUSH and
/// FCALL/FCALL_RO with Redis 7.0's replies and error texts, atomicity, concurrency, and a library loaded
/// through one silo's gateway called through the other's. Libraries are cluster-wide, so every test uses
/// its own library and function names.
/// </summary>
[Collection(ClusterCollection.Name)]
public class FunctionTests(ClusterFixture fixture) : IAsyncLifetime
{
    private readonly RawRespClient _c = new(fixture.Port);
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Port},allowAdmin=true");

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private static string Lib(string name, string body) => $"#!lua name={name}\n{body}";

    private static string Bulk(string s) => $"${System.Text.Encoding.UTF8.GetByteCount(s)}\r\n{s}\r\n";

    [Fact]
    public void Load_answers_the_library_name_and_fcall_runs_the_function_with_keys_and_args()
    {
        var k = Tag() + "k";
        Assert.Equal(Bulk("fn_basic"), _c.Call("FUNCTION", "LOAD",
            Lib("fn_basic", "redis.register_function('fn_basic_set', function(keys, args) return redis.call('SET', keys[1], args[1]) end)")));
        Assert.Equal("+OK\r\n", _c.Call("FCALL", "fn_basic_set", "1", k, "v1"));
        Assert.Equal("$2\r\nv1\r\n", _c.Call("GET", k));
        Assert.Equal("+OK\r\n", _c.Call("FCALL", "FN_BASIC_SET", "1", k, "v2")); // function names are case-insensitive
        Assert.Equal("$2\r\nv2\r\n", _c.Call("GET", k));
        // the shebang is split like Redis's sdssplitargs: quotes join
        Assert.Equal(Bulk("fn_quoted"), _c.Call("FUNCTION", "LOAD", "REPLACE", "#!lua name=\"fn_quoted\"\nredis.register_function('fn_quoted_f', function() return 1 end)"));
    }

    [Fact]
    public void Load_errors_are_redis_70s()
    {
        const string f = "redis.register_function('fn_err_f', function() return 1 end)";
        Assert.Equal("-ERR Missing library metadata\r\n", _c.Call("FUNCTION", "LOAD", f));
        Assert.Equal("-ERR Engine 'js' not found\r\n", _c.Call("FUNCTION", "LOAD", "#!js name=fn_err\n" + f));
        Assert.Equal("-ERR Library name was not given\r\n", _c.Call("FUNCTION", "LOAD", "#!lua\n" + f));
        Assert.Equal("-ERR Invalid metadata value given: foo=bar\r\n", _c.Call("FUNCTION", "LOAD", "#!lua name=fn_err foo=bar\n" + f));
        Assert.Equal("-ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long\r\n",
            _c.Call("FUNCTION", "LOAD", Lib("bad-name", f)));
        Assert.Equal("-ERR No functions registered\r\n", _c.Call("FUNCTION", "LOAD", Lib("fn_err", "local x = 1")));
        Assert.Equal("-ERR Unknown option given: FOO\r\n", _c.Call("FUNCTION", "LOAD", "FOO", Lib("fn_err", f)));
        Assert.StartsWith("-ERR Error compiling function: ", _c.Call("FUNCTION", "LOAD", Lib("fn_err", "bad script")));
        // at load time only redis.register_function, redis.log and the constants exist
        Assert.Equal("-ERR Error registering functions: user_function:2: Script attempted to access nonexistent global variable 'call'\r\n",
            _c.Call("FUNCTION", "LOAD", Lib("fn_err", "redis.call('SET', 'x', '1')")));
        Assert.Equal("-ERR Error registering functions: user_function:2: Script attempted to access nonexistent global variable 'math'\r\n",
            _c.Call("FUNCTION", "LOAD", Lib("fn_err", "math.random()")));
        Assert.Equal("-ERR Error registering functions: user_function:2: wrong number of arguments to redis.register_function\r\n",
            _c.Call("FUNCTION", "LOAD", Lib("fn_err", "redis.register_function()")));
        Assert.Equal("-ERR Error registering functions: user_function:3: Function already exists in the library\r\n",
            _c.Call("FUNCTION", "LOAD", Lib("fn_err", f + "\n" + f)));
        Assert.Equal("-ERR Error registering functions: user_function:2: unknown flag given\r\n",
            _c.Call("FUNCTION", "LOAD", Lib("fn_err", "redis.register_function{function_name='fn_err_g', callback=function() end, flags={'bogus'}}")));
        Assert.Equal("-ERR Function not found\r\n", _c.Call("FCALL", "fn_err_f", "0")); // nothing was loaded
    }

    [Fact]
    public void A_library_whose_load_never_ends_is_stopped_by_the_load_time_limit()
    {
        Assert.Equal("-ERR Error registering functions: FUNCTION LOAD timeout\r\n",
            _c.Call("FUNCTION", "LOAD", Lib("fn_loop", "local a = 1 while true do a = a + 1 end")));
        // the Lua states that ran it are fine afterwards
        Assert.Equal(Bulk("fn_loop"), _c.Call("FUNCTION", "LOAD", Lib("fn_loop", "redis.register_function('fn_loop_ok', function() return 7 end)")));
        Assert.Equal(":7\r\n", _c.Call("FCALL", "fn_loop_ok", "0"));
    }

    [Fact]
    public void Reloading_a_library_more_often_than_a_lua_state_keeps_compiled_scripts_leaves_every_state_sound()
    {
        // Every load counts against a Lua state's 1,000 compiled scripts; starting over used to reset the
        // stack in the middle of the next compile (wrong values, then a crash in liblua).
        for (int i = 0; i < 1100; i++)
            Assert.Equal(Bulk("fn_reload"), _c.Call("FUNCTION", "LOAD", "REPLACE", Lib("fn_reload", $"redis.register_function('fn_reload_f', function() return {i} end)")));
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal($":{i}\r\n", _c.Call("EVAL", $"return {i} -- reload {Guid.NewGuid()}", "0"));
            Assert.Equal(":1099\r\n", _c.Call("FCALL", "fn_reload_f", "0"));
        }
    }

    [Fact]
    public void Replace_keeps_the_old_library_when_the_new_one_fails_and_names_must_not_collide()
    {
        Assert.Equal(Bulk("fn_rep"), _c.Call("FUNCTION", "LOAD", Lib("fn_rep", "redis.register_function('fn_rep_f', function() return 'one' end)")));
        Assert.Equal("-ERR Library 'fn_rep' already exists\r\n",
            _c.Call("FUNCTION", "LOAD", Lib("fn_rep", "redis.register_function('fn_rep_f', function() return 'two' end)")));
        Assert.Equal("-ERR Library 'FN_REP' already exists\r\n",
            _c.Call("FUNCTION", "LOAD", Lib("FN_REP", "redis.register_function('fn_rep_f', function() return 'two' end)")));
        Assert.StartsWith("-ERR Error compiling function", _c.Call("FUNCTION", "LOAD", "REPLACE", Lib("fn_rep", "bad script")));
        Assert.Equal("$3\r\none\r\n", _c.Call("FCALL", "fn_rep_f", "0"));
        Assert.Equal(Bulk("fn_rep"), _c.Call("FUNCTION", "LOAD", "REPLACE", Lib("fn_rep", "redis.register_function('fn_rep_f', function() return 'two' end)")));
        Assert.Equal("$3\r\ntwo\r\n", _c.Call("FCALL", "fn_rep_f", "0"));
        Assert.Equal("-ERR Function fn_rep_f already exists\r\n",
            _c.Call("FUNCTION", "LOAD", Lib("fn_rep2", "redis.register_function('fn_rep_f', function() return 'three' end)")));
    }

    [Fact]
    public void Fcall_argument_errors()
    {
        _c.Call("FUNCTION", "LOAD", "REPLACE", Lib("fn_args", "redis.register_function('fn_args_f', function(keys, args) return #keys end)"));
        Assert.Equal("-ERR Bad number of keys provided\r\n", _c.Call("FCALL", "fn_args_f", "bad"));
        Assert.Equal("-ERR Number of keys can't be greater than number of args\r\n", _c.Call("FCALL", "fn_args_f", "10", "k"));
        Assert.Equal("-ERR Number of keys can't be negative\r\n", _c.Call("FCALL", "fn_args_f", "-1", "k"));
        Assert.Equal("-ERR Function not found\r\n", _c.Call("FCALL", "fn_args_nope", "0"));
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", _c.Call("FCALL", "fn_args_f", "2", "a", "b"));
        Assert.Equal(":2\r\n", _c.Call("FCALL", "fn_args_f", "2", "{t}a", "{t}b"));
    }

    [Fact]
    public void Fcall_ro_runs_only_no_writes_functions_and_flags_are_honoured()
    {
        var k = Tag() + "k";
        _c.Call("SET", k, "v");
        _c.Call("FUNCTION", "LOAD", "REPLACE", Lib("fn_flags", """
            redis.register_function('fn_flags_w', function(keys) return redis.call('GET', keys[1]) end)
            redis.register_function{function_name='fn_flags_r', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}
            redis.register_function{function_name='fn_flags_rw', callback=function(keys) return redis.call('SET', keys[1], 'x') end, flags={'no-writes'}}
            redis.register_function{function_name='fn_flags_nc', callback=function() return 1 end, flags={'no-cluster'}}
            """));
        Assert.Equal("-ERR Can not execute a script with write flag using *_ro command.\r\n", _c.Call("FCALL_RO", "fn_flags_w", "1", k));
        Assert.Equal("$1\r\nv\r\n", _c.Call("FCALL_RO", "fn_flags_r", "1", k));
        Assert.Equal("$1\r\nv\r\n", _c.Call("FCALL", "fn_flags_w", "1", k));
        Assert.StartsWith("-ERR Write commands are not allowed from read-only scripts.", _c.Call("FCALL", "fn_flags_rw", "1", k));
        Assert.Equal("-ERR Can not run script on cluster, 'no-cluster' flag is set.\r\n", _c.Call("FCALL", "fn_flags_nc", "0"));
        Assert.Equal("$1\r\nv\r\n", _c.Call("GET", k));
    }

    [Fact]
    public void A_failing_function_leaves_no_partial_writes_and_reports_its_name_and_line()
    {
        var k = Tag() + "k";
        _c.Call("SET", k + "1", "before");
        _c.Call("FUNCTION", "LOAD", "REPLACE", Lib("fn_atomic", """
            redis.register_function('fn_atomic_f', function(keys)
              redis.call('SET', keys[1], 'changed')
              redis.call('SET', keys[2], 'created')
              local n = redis.call('INCR', keys[1])
              return n
            end)
            """));
        Assert.Equal("-ERR value is not an integer or out of range script: fn_atomic_f, on @user_function:5.\r\n",
            _c.Call("FCALL", "fn_atomic_f", "2", k + "1", k + "2"));
        Assert.Equal("$6\r\nbefore\r\n", _c.Call("GET", k + "1"));
        Assert.Equal(":0\r\n", _c.Call("EXISTS", k + "2"));
        // in tail position Lua 5.4 has dropped the function's frame: line 0, still of the function's chunk
        _c.Call("FUNCTION", "LOAD", "REPLACE", Lib("fn_atomic_tail", "redis.register_function('fn_atomic_tail_f', function(keys) return redis.call('INCR', keys[1]) end)"));
        Assert.Equal("-ERR value is not an integer or out of range script: fn_atomic_tail_f, on @user_function:0.\r\n",
            _c.Call("FCALL", "fn_atomic_tail_f", "1", k + "1"));
    }

    [Fact]
    public void List_delete_and_flush()
    {
        _c.Call("FUNCTION", "FLUSH");
        Assert.Equal("*0\r\n", _c.Call("FUNCTION", "LIST"));
        const string code = "#!lua name=fn_list\nredis.register_function{function_name='fn_list_f', callback=function() return 1 end, flags={'no-writes', 'allow-oom'}, description='one'}\nredis.register_function('fn_list_g', function() return 2 end)";
        _c.Call("FUNCTION", "LOAD", code);
        _c.Call("FUNCTION", "LOAD", Lib("fn_other", "redis.register_function('fn_other_f', function() return 3 end)"));
        const string listed = "*6\r\n$12\r\nlibrary_name\r\n$7\r\nfn_list\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*2\r\n"
            + "*6\r\n$4\r\nname\r\n$9\r\nfn_list_f\r\n$11\r\ndescription\r\n$3\r\none\r\n$5\r\nflags\r\n*2\r\n+no-writes\r\n+allow-oom\r\n"
            + "*6\r\n$4\r\nname\r\n$9\r\nfn_list_g\r\n$11\r\ndescription\r\n$-1\r\n$5\r\nflags\r\n*0\r\n";
        Assert.Equal("*1\r\n" + listed, _c.Call("FUNCTION", "LIST", "LIBRARYNAME", "fn_l*"));
        Assert.Equal("*1\r\n" + listed.Replace("*6\r\n$12", "*8\r\n$12") + "$12\r\nlibrary_code\r\n" + Bulk(code),
            _c.Call("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "fn_list"));
        Assert.StartsWith("*2\r\n", _c.Call("FUNCTION", "LIST"));
        Assert.Equal("-ERR library name argument was not given\r\n", _c.Call("FUNCTION", "LIST", "LIBRARYNAME"));
        Assert.Equal("-ERR Unknown argument foo\r\n", _c.Call("FUNCTION", "LIST", "foo"));
        Assert.Equal("*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:2\r\n$15\r\nfunctions_count\r\n:3\r\n",
            _c.Call("FUNCTION", "STATS"));

        Assert.Equal("+OK\r\n", _c.Call("FUNCTION", "DELETE", "FN_LIST"));
        Assert.Equal("-ERR Library not found\r\n", _c.Call("FUNCTION", "DELETE", "fn_list"));
        Assert.Equal("-ERR Function not found\r\n", _c.Call("FCALL", "fn_list_g", "0"));
        Assert.Equal(":3\r\n", _c.Call("FCALL", "fn_other_f", "0"));

        Assert.Equal("-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n", _c.Call("FUNCTION", "FLUSH", "bad"));
        Assert.Equal("+OK\r\n", _c.Call("FUNCTION", "FLUSH", "ASYNC"));
        Assert.Equal("*0\r\n", _c.Call("FUNCTION", "LIST"));
        Assert.Equal("-ERR Function not found\r\n", _c.Call("FCALL", "fn_other_f", "0"));
        Assert.Equal("-NOTBUSY No scripts in execution right now.\r\n", _c.Call("FUNCTION", "KILL"));
    }

    private static byte[] BulkPayload(byte[] reply)
    {
        int headerEnd = Array.IndexOf(reply, (byte)'\n') + 1;
        Assert.Equal((byte)'$', reply[0]);
        return reply[headerEnd..^2];
    }

    [Fact]
    public void Dump_and_restore_are_byte_compatible_with_redis_server_70_and_honour_the_policies()
    {
        using var redis = new RedisServerProcess();
        var reference = redis.Connect();
        _c.Call("FUNCTION", "FLUSH");
        const string code = "#!lua name=fn_dump\nredis.register_function('fn_dump_f', function() return 'dumped' end)";
        _c.Call("FUNCTION", "LOAD", code);
        reference.Call("FUNCTION", "LOAD", code);
        var ours = BulkPayload(_c.CallBytes("FUNCTION", "DUMP"));
        Assert.Equal(BulkPayload(reference.CallBytes("FUNCTION", "DUMP")), ours);

        // a library redis-server compresses (LZF) restores here
        var big = "#!lua name=fn_dump_big\n" + string.Concat(Enumerable.Range(1, 30).Select(i =>
            $"redis.register_function('fn_dump_big{i}', function() return 'some repeated text some repeated text {i}' end)\n"));
        reference.Call("FUNCTION", "FLUSH");
        reference.Call("FUNCTION", "LOAD", big);
        var compressed = BulkPayload(reference.CallBytes("FUNCTION", "DUMP"));
        Assert.True(compressed.Length < big.Length, "redis-server compressed the library");
        Assert.Equal("+OK\r\n", _c.Call("FUNCTION", "RESTORE", compressed));
        Assert.Equal(Bulk("some repeated text some repeated text 7"), _c.Call("FCALL", "fn_dump_big7", "0"));

        // policies: APPEND (default) refuses an existing library, REPLACE replaces, FLUSH drops the rest first
        Assert.Equal("-ERR Library fn_dump already exists\r\n", _c.Call("FUNCTION", "RESTORE", ours));
        Assert.Equal("+OK\r\n", _c.Call("FUNCTION", "RESTORE", ours, "REPLACE"));
        Assert.Equal("+OK\r\n", _c.Call("FUNCTION", "RESTORE", ours, "FLUSH"));
        Assert.Equal("-ERR Function not found\r\n", _c.Call("FCALL", "fn_dump_big7", "0"));
        Assert.Equal(Bulk("dumped"), _c.Call("FCALL", "fn_dump_f", "0"));
        Assert.Equal("-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.\r\n", _c.Call("FUNCTION", "RESTORE", ours, "BAD"));
        Assert.Equal("-ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.\r\n", _c.Call("FUNCTION", "RESTORE", ours, "a", "b"));
        ours[^1] ^= 1;
        Assert.Equal("-ERR DUMP payload version or checksum are wrong\r\n", _c.Call("FUNCTION", "RESTORE", ours));
        Assert.Equal(Bulk("dumped"), _c.Call("FCALL", "fn_dump_f", "0"));

        // and back: our dump restores on redis-server
        reference.Call("FUNCTION", "FLUSH");
        Assert.Equal("+OK\r\n", reference.Call("FUNCTION", "RESTORE", BulkPayload(_c.CallBytes("FUNCTION", "DUMP"))));
        Assert.Equal(Bulk("dumped"), reference.Call("FCALL", "fn_dump_f", "0"));

        // a library long enough to compress dumps to the same bytes too (the same LZF)
        _c.Call("FUNCTION", "FLUSH");
        reference.Call("FUNCTION", "FLUSH");
        _c.Call("FUNCTION", "LOAD", big);
        reference.Call("FUNCTION", "LOAD", big);
        Assert.Equal(BulkPayload(reference.CallBytes("FUNCTION", "DUMP")), BulkPayload(_c.CallBytes("FUNCTION", "DUMP")));
        _c.Call("FUNCTION", "FLUSH");
    }

    [Fact]
    public void A_library_loaded_through_one_silo_is_callable_through_the_other_at_once()
    {
        var other = new RawRespClient(fixture.Ports[1]);
        var k = Tag() + "k";
        for (int version = 1; version <= 3; version++)
        {
            Assert.Equal(Bulk("fn_vis"), _c.Call("FUNCTION", "LOAD", "REPLACE",
                Lib("fn_vis", $"redis.register_function('fn_vis_f', function(keys) if keys[1] then redis.call('SET', keys[1], '{version}') end return {version} end)")));
            // no silo runs an older version once LOAD has answered
            Assert.Equal($":{version}\r\n", other.Call("FCALL", "fn_vis_f", "1", k));
            Assert.Equal($":{version}\r\n", other.Call("FCALL", "fn_vis_f", "0"));
        }
        Assert.Equal("$1\r\n3\r\n", _c.Call("GET", k));
        Assert.Contains("fn_vis_f", other.Call("FUNCTION", "LIST", "LIBRARYNAME", "fn_vis"));
        Assert.Equal("+OK\r\n", other.Call("FUNCTION", "DELETE", "fn_vis"));
        Assert.Equal("-ERR Function not found\r\n", _c.Call("FCALL", "fn_vis_f", "0"));
    }

    [Fact]
    public async Task Concurrent_fcall_increments_from_many_connections_on_one_slot_count_exactly()
    {
        var db = _redis.GetDatabase();
        var k = Tag() + "counter";
        await db.ExecuteAsync("FUNCTION", "LOAD", "REPLACE",
            Lib("fn_count", "redis.register_function('fn_count_incr', function(keys) local v = tonumber(redis.call('GET', keys[1]) or '0') redis.call('SET', keys[1], v + 1) return v + 1 end)"));
        const int connections = 8, perConnection = 250;
        var tasks = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Ports[Random.Shared.Next(fixture.Ports.Length)]}");
            var connection = redis.GetDatabase();
            var replies = new List<Task<RedisResult>>();
            for (int i = 0; i < perConnection; i++) replies.Add(connection.ExecuteAsync("FCALL", "fn_count_incr", "1", k));
            return (await Task.WhenAll(replies)).Select(r => (long)r).ToArray();
        })).ToArray();
        var all = (await Task.WhenAll(tasks)).SelectMany(r => r).ToArray();
        Assert.Equal(connections * perConnection, (long)await db.StringGetAsync(k));
        // every increment saw a distinct value: none interleaved with another
        Assert.Equal(Enumerable.Range(1, connections * perConnection).Select(i => (long)i), all.Order());
    }
}
