using OrleansLua.Tests.Infrastructure;
using static OrleansLua.Tests.Infrastructure.TestValues;
using StackExchange.Redis;
using Xunit;

namespace OrleansLua.Tests.Transactions;

/// <summary>MULTI/EXEC/WATCH: one batch in the slot's grain, optimistic locking by key versions.</summary>
[Collection(ClusterCollection.Name)]
public class TransactionTests(ClusterFixture fixture)
{

    [Fact]
    public void Multi_exec_runs_queued_commands_as_one_reply()
    {
        using var c = new RawRespClient(fixture.Port);
        var t = Tag();
        Assert.Equal("+OK\r\n", c.Call("MULTI"));
        Assert.Equal("+QUEUED\r\n", c.Call("SET", t + "a", "1"));
        Assert.Equal("+QUEUED\r\n", c.Call("INCR", t + "a"));
        Assert.Equal("+QUEUED\r\n", c.Call("INCR", t + "b"));
        Assert.Equal("+QUEUED\r\n", c.Call("EVAL", "return redis.call('GET', KEYS[1])", "1", t + "a"));
        Assert.Equal("+QUEUED\r\n", c.Call("PING"));
        Assert.Equal("*5\r\n+OK\r\n:2\r\n:1\r\n$1\r\n2\r\n+PONG\r\n", c.Call("EXEC"));
        Assert.Equal("+OK\r\n", c.Call("MULTI"));
        Assert.Equal("*0\r\n", c.Call("EXEC"));
    }

    [Fact]
    public void Runtime_errors_do_not_stop_the_transaction()
    {
        using var c = new RawRespClient(fixture.Port);
        var t = Tag();
        c.Call("SET", t + "s", "text");
        c.Call("MULTI");
        c.Call("INCR", t + "s");
        c.Call("SET", t + "x", "after");
        Assert.Equal("*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n", c.Call("EXEC"));
    }

    [Theory]
    [InlineData(new[] { "NOSUCH" }, "-ERR unknown command 'NOSUCH', with args beginning with: \r\n")]
    [InlineData(new[] { "GET" }, "-ERR wrong number of arguments for 'get' command\r\n")]
    [InlineData(new[] { "SET", "other-slot-key", "1" }, "-CROSSSLOT Keys in request don't hash to the same slot\r\n")]
    [InlineData(new[] { "KEYS", "*" }, "-ERR 'keys' cannot be used inside MULTI in OrleansLua\r\n")]
    public void Queue_time_errors_abort_exec(string[] bad, string expectedError)
    {
        using var c = new RawRespClient(fixture.Port);
        var t = Tag();
        c.Call("MULTI");
        c.Call("SET", t + "a", "1");
        Assert.Equal(expectedError, c.Call(bad));
        Assert.Equal("-EXECABORT Transaction discarded because of previous errors.\r\n", c.Call("EXEC"));
        Assert.Equal("$-1\r\n", c.Call("GET", t + "a"));
    }

    [Fact]
    public void Control_command_errors()
    {
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("-ERR EXEC without MULTI\r\n", c.Call("EXEC"));
        Assert.Equal("-ERR DISCARD without MULTI\r\n", c.Call("DISCARD"));
        c.Call("MULTI");
        Assert.Equal("-ERR MULTI calls can not be nested\r\n", c.Call("MULTI"));
        Assert.Equal("-ERR WATCH inside MULTI is not allowed\r\n", c.Call("WATCH", "k"));
        Assert.Equal("+QUEUED\r\n", c.Call("PING"));
        Assert.Equal("*1\r\n+PONG\r\n", c.Call("EXEC"));
        c.Call("MULTI");
        c.Call("SET", Tag() + "d", "1");
        Assert.Equal("+OK\r\n", c.Call("DISCARD"));
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", c.Call("WATCH", "a", "b"));
    }

    [Fact]
    public void Watch_aborts_exec_when_another_client_writes_the_key()
    {
        using var c = new RawRespClient(fixture.Port);
        using var other = new RawRespClient(fixture.Ports[1]);
        var k = Tag() + "k";
        c.Call("SET", k, "1");
        Assert.Equal("+OK\r\n", c.Call("WATCH", k));
        other.Call("SET", k, "2");
        c.Call("MULTI");
        c.Call("SET", k, "3");
        Assert.Equal("*-1\r\n", c.Call("EXEC"));
        Assert.Equal("$1\r\n2\r\n", c.Call("GET", k));
        c.Call("WATCH", k);
        c.Call("MULTI");
        c.Call("SET", k, "3");
        Assert.Equal("*1\r\n+OK\r\n", c.Call("EXEC"));
        c.Call("WATCH", k);
        Assert.Equal("+OK\r\n", c.Call("UNWATCH"));
        other.Call("SET", k, "4");
        c.Call("MULTI");
        c.Call("GET", k);
        Assert.Equal("*1\r\n$1\r\n4\r\n", c.Call("EXEC"));
    }

    [Fact]
    public async Task A_watched_key_that_expires_before_exec_aborts_it_and_an_already_expired_one_does_not()
    {
        using var c = new RawRespClient(fixture.Port);
        var k = Tag() + "ttl";
        Assert.Equal("+OK\r\n", c.Call("SET", k, "v", "PX", "150"));
        Assert.Equal("+OK\r\n", c.Call("WATCH", k));
        await Task.Delay(400); // nobody touches the key: it only expires
        c.Call("MULTI");
        c.Call("PING");
        Assert.Equal("*-1\r\n", c.Call("EXEC"));

        Assert.Equal("+OK\r\n", c.Call("SET", k, "v", "PX", "100"));
        await Task.Delay(300);
        Assert.Equal("+OK\r\n", c.Call("WATCH", k)); // expired before WATCH: it is simply missing
        c.Call("MULTI");
        c.Call("PING");
        Assert.Equal("*1\r\n+PONG\r\n", c.Call("EXEC"));
    }

    [Fact]
    public async Task Optimistic_increments_from_many_connections_lose_nothing()
    {
        var k = Tag() + "counter";
        int conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Factory.StartNew(() =>
        {
            using var c = new RawRespClient(fixture.Ports[i % 2]);
            for (int n = 0; n < 50; n++)
            {
                while (true)
                {
                    c.Call("WATCH", k);
                    var raw = c.Call("GET", k);
                    long value = raw == "$-1\r\n" ? 0 : long.Parse(raw.Split("\r\n")[1]);
                    c.Call("MULTI");
                    c.Call("SET", k, (value + 1).ToString());
                    if (c.Call("EXEC") != "*-1\r\n") break;
                    Interlocked.Increment(ref conflicts);
                }
            }
        }, TaskCreationOptions.LongRunning)));
        using var check = new RawRespClient(fixture.Port);
        Assert.Equal("$4\r\n1000\r\n", check.Call("GET", k));
        Assert.True(conflicts > 0, "20 writers on one key should have collided at least once");
    }

    [Fact]
    public async Task StackExchange_redis_transactions_with_conditions_and_batches()
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Port}");
        var db = mux.GetDatabase();
        var t = Tag();
        await db.StringSetAsync(t + "balance", 100);
        var tx = db.CreateTransaction();
        tx.AddCondition(Condition.StringEqual(t + "balance", 100));
        var debit = tx.StringDecrementAsync(t + "balance", 30);
        var credit = tx.StringIncrementAsync(t + "other", 30);
        Assert.True(await tx.ExecuteAsync());
        Assert.Equal(70, await debit);
        Assert.Equal(30, await credit);

        var failing = db.CreateTransaction();
        failing.AddCondition(Condition.StringEqual(t + "balance", 100));
        _ = failing.StringDecrementAsync(t + "balance", 30);
        Assert.False(await failing.ExecuteAsync());
        Assert.Equal(70, (long)await db.StringGetAsync(t + "balance"));

        var batch = db.CreateBatch();
        var tasks = Enumerable.Range(0, 100).Select(i => batch.StringIncrementAsync(t + "batch:" + (i % 10))).ToArray();
        batch.Execute();
        await Task.WhenAll(tasks);
        Assert.Equal(10, (long)await db.StringGetAsync(t + "batch:3"));
    }
}
