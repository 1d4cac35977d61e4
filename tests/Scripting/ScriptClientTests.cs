using OrleansLua.Tests.Infrastructure;
using static OrleansLua.Tests.Infrastructure.TestValues;
using StackExchange.Redis;
using Xunit;

namespace OrleansLua.Tests.Scripting;

/// <summary>Scripts through real clients: StackExchange.Redis and redis-cli --eval.</summary>
[Collection(ClusterCollection.Name)]
public class ScriptClientTests(ClusterFixture fixture) : IAsyncLifetime
{
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() =>
        _redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Port},allowAdmin=true");

    public async Task DisposeAsync() => await _redis.DisposeAsync();


    [Fact]
    public async Task ScriptEvaluate_with_keys_and_values()
    {
        var db = _redis.GetDatabase();
        var k = Tag() + "k";
        var result = await db.ScriptEvaluateAsync("redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])", [k], ["hello"]);
        Assert.Equal("hello", (string?)result);
        var ex = await Assert.ThrowsAsync<RedisServerException>(() => db.ScriptEvaluateAsync("return redis.call('INCR', KEYS[1])", [k]));
        Assert.StartsWith("ERR value is not an integer or out of range script: ", ex.Message);
    }

    [Fact]
    public async Task LuaScript_with_named_parameters()
    {
        var db = _redis.GetDatabase();
        var prepared = LuaScript.Prepare("redis.call('SET', @key, @value) return redis.call('STRLEN', @key)");
        var result = await db.ScriptEvaluateAsync(prepared, new { key = (RedisKey)(Tag() + "k"), value = "12345" });
        Assert.Equal(5, (long)result);
    }

    [Fact]
    public async Task LoadedLuaScript_runs_by_sha()
    {
        var server = _redis.GetServers()[0];
        var db = _redis.GetDatabase();
        var loaded = await LuaScript.Prepare("return redis.call('INCRBY', @key, @by)").LoadAsync(server);
        var key = (RedisKey)(Tag() + "n");
        Assert.Equal(5, (long)await db.ScriptEvaluateAsync(loaded, new { key, by = 5 }));
        Assert.Equal(12, (long)await db.ScriptEvaluateAsync(loaded, new { key, by = 7 }));
        Assert.True(await server.ScriptExistsAsync(loaded.Hash));
    }

    [Fact]
    public async Task Evalsha_after_flush_is_reloaded_by_the_client()
    {
        var db = _redis.GetDatabase();
        var k = Tag() + "k";
        const string script = "return redis.call('INCR', KEYS[1])";
        Assert.Equal(1, (long)await db.ScriptEvaluateAsync(script, [k]));
        await _redis.GetServers()[0].ScriptFlushAsync();
        // StackExchange.Redis sends EVALSHA, gets NOSCRIPT and falls back to EVAL.
        Assert.Equal(2, (long)await db.ScriptEvaluateAsync(script, [k]));
    }

    [Fact]
    public async Task Scripts_over_resp3_with_stackexchange_redis()
    {
        await using var resp3 = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Ports[1]},protocol=resp3");
        var db = resp3.GetDatabase();
        var k = Tag() + "k";
        Assert.Equal("v", (string?)await db.ScriptEvaluateAsync("redis.call('SET', KEYS[1], 'v') return redis.call('GET', KEYS[1])", [k]));
        Assert.True((bool)await db.ScriptEvaluateAsync("redis.setresp(3) return true"));
        Assert.Equal(1.5, (double)await db.ScriptEvaluateAsync("return {double=1.5}"));
        var map = await db.ScriptEvaluateAsync("return {map={field='value'}}");
        Assert.Equal(ResultType.Map, map.Resp3Type);
        Assert.Equal("value", (string?)map.ToDictionary()["field"]);
        Assert.True((await db.ScriptEvaluateAsync("return false")).IsNull);
    }

    [Fact]
    public void Redis_cli_resp3_runs_scripts()
    {
        Assert.Equal("1# \"a\" => (integer) 1\n", RedisCli.Run(fixture.Port, ["-3", "--no-raw", "EVAL", "return {map={a=1}}", "0"]).Output);
        Assert.Equal("(true)\n", RedisCli.Run(fixture.Port, ["-3", "--no-raw", "EVAL", "redis.setresp(3) return true", "0"]).Output);
        Assert.Equal("(double) 1.5\n", RedisCli.Run(fixture.Port, ["-3", "--no-raw", "EVAL", "return {double=1.5}", "0"]).Output);
    }

    [Fact]
    public void Redis_cli_eval_with_keys_and_args()
    {
        var dir = Directory.CreateTempSubdirectory();
        var file = Path.Combine(dir.FullName, "script.lua");
        File.WriteAllText(file, "redis.call('SET', KEYS[1], ARGV[1])\nredis.call('SET', KEYS[2], ARGV[2])\nreturn {KEYS[1], ARGV[2]}\n");
        var t = Tag();
        var (output, exit) = RedisCli.Run(fixture.Port, ["--eval", file, t + "key1", t + "key2", ",", "arg1", "arg2"]);
        Assert.Equal(0, exit);
        Assert.Equal($"{t}key1\narg2\n", output);
        Assert.Equal("arg1\n", RedisCli.Exec(fixture.Port, "GET", t + "key1"));
        Assert.Equal("arg2\n", RedisCli.Exec(fixture.Port, "GET", t + "key2"));
        dir.Delete(recursive: true);
    }

    [Fact]
    public void Redis_cli_eval_one_shot()
    {
        var k = Tag() + "counter";
        RedisCli.Exec(fixture.Port, "SET", k, "5");
        Assert.Equal("6\n", RedisCli.Exec(fixture.Port, "EVAL", "return redis.call('incr', KEYS[1])", "1", k));
    }
}
