using OrleansLua.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit;

namespace OrleansLua.Tests.EndToEnd;

/// <summary>The real StackExchange.Redis client against the gateway, RESP2 and RESP3.</summary>
[Collection(ClusterCollection.Name)]
public class StackExchangeRedisTests(ClusterFixture fixture) : IAsyncLifetime
{
    private ConnectionMultiplexer _resp2 = null!;
    private ConnectionMultiplexer _resp3 = null!;

    public async Task InitializeAsync()
    {
        _resp2 = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Port},allowAdmin=true");
        _resp3 = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Ports[1]},protocol=resp3");
    }

    public async Task DisposeAsync()
    {
        await _resp2.DisposeAsync();
        await _resp3.DisposeAsync();
    }

    [Fact]
    public void Connects_in_both_protocols()
    {
        Assert.True(_resp2.IsConnected);
        Assert.True(_resp3.IsConnected);
        Assert.Equal(RedisProtocol.Resp3, _resp3.GetServers()[0].Protocol);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task String_commands(bool resp3)
    {
        var db = (resp3 ? _resp3 : _resp2).GetDatabase();
        // the gateways say cluster, so StackExchange.Redis wants one slot per multi-key command, as with Redis Cluster
        var k = "{se:" + Guid.NewGuid().ToString("N") + "}";
        Assert.False((await db.StringGetAsync(k)).HasValue);
        Assert.True(await db.StringSetAsync(k, "v", TimeSpan.FromSeconds(100)));
        Assert.Equal("v", (string?)await db.StringGetAsync(k));
        var ttl = await db.KeyTimeToLiveAsync(k);
        Assert.InRange(ttl!.Value.TotalSeconds, 98, 100);
        Assert.False(await db.StringSetAsync(k, "w", when: When.NotExists));
        Assert.Equal(5, await db.StringIncrementAsync(k + "n", 5));
        Assert.Equal(2.5, await db.StringIncrementAsync(k + "f", 2.5));
        Assert.Equal(11, await db.StringAppendAsync(k + "s", "hello world"));
        Assert.Equal("world", (string?)await db.StringGetRangeAsync(k + "s", 6, -1));
        var values = await db.StringGetAsync([k, k + "missing", k + "n"]);
        Assert.Equal(["v", null, "5"], values.Select(v => (string?)v));
        Assert.True(await db.KeyExistsAsync(k));
        Assert.Equal(3, await db.KeyDeleteAsync([k, k + "n", k + "f"]));
        Assert.Equal(RedisType.String, await db.KeyTypeAsync(k + "s"));
        Assert.True(await db.KeyExpireAsync(k + "s", TimeSpan.FromSeconds(30)));
        Assert.True(await db.KeyPersistAsync(k + "s"));
        Assert.Equal("hello world", (string?)await db.StringGetDeleteAsync(k + "s"));
    }

    [Fact]
    public async Task Cross_slot_multi_key_write_is_refused()
    {
        var db = _resp2.GetDatabase();
        // StackExchange.Redis sees a cluster and refuses it itself; sent anyway, the server answers CROSSSLOT
        Assert.Throws<RedisCommandException>(() => db.StringSet([new("a:" + Guid.NewGuid(), "1"), new("b:" + Guid.NewGuid(), "2")]));
        var ex = await Assert.ThrowsAsync<RedisServerException>(() =>
            db.ExecuteAsync("MSET", "a:" + Guid.NewGuid(), "1", "b:" + Guid.NewGuid(), "2"));
        Assert.Equal("CROSSSLOT Keys in request don't hash to the same slot", ex.Message);
    }

    [Fact]
    public async Task Server_commands_through_the_client()
    {
        var server = _resp2.GetServers()[0];
        Assert.Equal(new Version(7, 2, 4), server.Version);
        var k = "se-keys:" + Guid.NewGuid().ToString("N");
        await _resp2.GetDatabase().StringSetAsync(k, "1");
        Assert.Equal([k], server.Keys(pattern: k + "*").Select(x => (string)x!).ToArray());
        Assert.True(await server.DatabaseSizeAsync() >= 1);
        Assert.True(await server.PingAsync() < TimeSpan.FromSeconds(5));
    }
}
