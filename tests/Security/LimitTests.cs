using System.Diagnostics;
using System.Text.RegularExpressions;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using static OrleansLua.Tests.Infrastructure.InfoText;

namespace OrleansLua.Tests.Security;

/// <summary>
/// maxclients, timeout, proto-max-bulk-len, client-query-buffer-limit and client-output-buffer-limit:
/// each exceed gets Redis's error or disconnect, and the other connections keep working.
/// </summary>
[Collection(SecureClusterCollection.Name)]
public class LimitTests(SecureClusterFixture fixture)
{
    /// <summary>A count once it holds still (connections earlier tests closed may still be going away).</summary>
    public static int SettledCount(Func<int> read)
    {
        int last = read();
        for (int i = 0; i < 50; i++)
        {
            Thread.Sleep(100);
            int now = read();
            if (now == last) return now;
            last = now;
        }
        return last;
    }

    private void WithConfig(string name, string value, string restore, Action<RawRespClient> body)
    {
        using var admin = fixture.Admin(0);
        Assert.Equal("+OK\r\n", admin.Call("CONFIG", "SET", name, value));
        try
        {
            body(admin);
        }
        finally
        {
            // a fresh connection: the test may have closed this one (an idle timeout, say)
            using var restorer = fixture.Admin(0);
            Assert.Equal("+OK\r\n", restorer.Call("CONFIG", "SET", name, restore));
        }
    }

    [Fact]
    public void Maxclients_refuses_the_connection_over_the_limit_with_redis_error()
    {
        using var probe = fixture.Admin(1);
        long rejectedBefore = long.Parse(Field(probe.Call("INFO", "stats"), "rejected_connections"));
        // maxclients counts per gateway, as per Redis node: gateway 1 gets two more, then it is full
        int onGateway1 = SettledCount(() => Regex.Matches(probe.Call("CLIENT", "LIST"), "(?m)^(\\$\\d+\r\n)?id=").Count);
        WithConfig("maxclients", (onGateway1 + 2).ToString(), "10000", admin =>
        {
            var extra = Enumerable.Range(0, 2).Select(_ => fixture.Admin(1)).ToList();
            try
            {
                using var refused = new RawRespClient(fixture.Ports[1]);
                Assert.Equal("-ERR max number of clients reached\r\n", refused.ReadReply());
                Assert.True(refused.IsClosedByServer());
                Assert.Equal("+PONG\r\n", probe.Call("PING"));
                Assert.Equal(rejectedBefore + 1, long.Parse(Field(admin.Call("INFO", "stats"), "rejected_connections")));
            }
            finally
            {
                extra.ForEach(c => c.Dispose());
            }
        });
    }

    [Fact]
    public void Idle_clients_are_closed_after_timeout_but_blocked_and_subscribed_ones_are_not()
    {
        WithConfig("timeout", "1", "0", admin =>
        {
            using var blocked = fixture.Admin(1);
            using var subscriber = fixture.Admin(1);
            Assert.StartsWith("*3\r\n", subscriber.Call("SUBSCRIBE", "idle-test"));
            blocked.SendRaw(RawRespClient.Encode("BLPOP", "{idle}list", "4"));
            // idle time counts from a client's last reply: the clock starts right after the idle client's (AUTH)
            using var idle = fixture.Admin(1);
            var clock = Stopwatch.StartNew();
            Assert.True(idle.IsClosedByServer());
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 3.5);
            Assert.Equal("*-1\r\n", blocked.ReadReply()); // its own timeout, not the idle one
            Assert.Equal("+OK\r\n", blocked.Call("SET", "{idle}k", "v"));
            subscriber.ReadTimeoutMs = 500;
            Assert.False(subscriber.IsClosedByServer());
            using var fresh = fixture.Admin(0);
            Assert.Equal(":1\r\n", fresh.Call("DEL", "{idle}k"));
        });
    }

    [Fact]
    public void A_bulk_over_proto_max_bulk_len_is_a_protocol_error_and_closes_only_that_connection()
    {
        WithConfig("proto-max-bulk-len", "1mb", "512mb", admin =>
        {
            using var c = fixture.Admin(1);
            c.SendRaw($"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n${1024 * 1024 + 1}\r\n");
            Assert.Equal("-ERR Protocol error: invalid bulk length\r\n", c.ReadReply());
            Assert.True(c.IsClosedByServer());
            Assert.Equal("+OK\r\n", admin.Call("SET", "{bulk}k", new string('x', 1024 * 1024)));
            Assert.Equal(":1\r\n", admin.Call("DEL", "{bulk}k"));
        });
    }

    [Fact]
    public void A_request_that_outgrows_client_query_buffer_limit_is_closed_without_reply()
    {
        WithConfig("client-query-buffer-limit", "1mb", "1gb", admin =>
        {
            using var c = fixture.Admin(1);
            // a 4 MB bulk announced, 2 MB sent: the unparsed request passes the 1 MB limit
            c.SendRaw($"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n${4 * 1024 * 1024}\r\n");
            try
            {
                c.SendRaw(new byte[2 * 1024 * 1024]);
            }
            catch (IOException)
            {
                // the server may close while we are still sending
            }
            Assert.True(c.IsClosedByServer());
            Assert.Equal("+PONG\r\n", admin.Call("PING"));
        });
    }

    [Fact]
    public void Replies_over_the_normal_output_limit_close_the_connection()
    {
        using var setup = fixture.Admin(0);
        Assert.Equal("+OK\r\n", setup.Call("SET", "{out}big", new string('x', 512 * 1024)));
        WithConfig("client-output-buffer-limit", "normal 1mb 0 0", "normal 0 0 0", admin =>
        {
            using var c = fixture.Admin(1);
            Assert.StartsWith("$524288\r\n", c.Call("GET", "{out}big")); // under the limit
            c.SendRaw([.. RawRespClient.Encode("GET", "{out}big"), .. RawRespClient.Encode("GET", "{out}big"), .. RawRespClient.Encode("GET", "{out}big")]);
            Assert.True(c.IsClosedByServer());
            Assert.Equal("+PONG\r\n", admin.Call("PING"));
        });
        Assert.Equal(":1\r\n", setup.Call("DEL", "{out}big"));
    }

    [Fact]
    public void A_subscriber_that_does_not_read_is_cut_off_at_the_pubsub_limit_and_publish_never_waits()
    {
        WithConfig("client-output-buffer-limit", "pubsub 1mb 0 0", "pubsub 32mb 8mb 60", admin =>
        {
            using var slow = fixture.Admin(1);
            using var fast = fixture.Admin(1);
            Assert.StartsWith("*3\r\n", slow.Call("SUBSCRIBE", "flood"));
            Assert.StartsWith("*3\r\n", fast.Call("SUBSCRIBE", "flood-fast"));
            var payload = new string('p', 64 * 1024);
            var clock = Stopwatch.StartNew();
            // the slow subscriber never reads: once its queue passes 1 MB it is disconnected
            long receivers = 0;
            // 32 MB in all: more than loopback socket buffers (a few MB each way) plus the 1 MB limit can hold
            for (int i = 0; i < 500; i++) receivers += long.Parse(admin.Call("PUBLISH", "flood", payload)[1..^2]);
            Assert.InRange(receivers, 1, 499);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20));
            Assert.Equal(":0\r\n", admin.Call("PUBLISH", "flood", "after"));
            Assert.Equal(":1\r\n", admin.Call("PUBLISH", "flood-fast", "still here"));
            Assert.Equal("*3\r\n$7\r\nmessage\r\n$10\r\nflood-fast\r\n$10\r\nstill here\r\n", fast.ReadReply());
        });
    }

    [Fact]
    public async Task Protected_mode_refuses_remote_clients_when_no_password_is_set()
    {
        var remoteAddress = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !System.Net.IPAddress.IsLoopback(a));
        Assert.True(remoteAddress is not null, "this test needs a non-loopback IPv4 address on the machine");
        using var silo = await SiloProcess.StartAsync("protected", ["--bind", "0.0.0.0", "--storage", "memory"]);
        Assert.Contains("Protected mode: no password is set for the default user", silo.LogTail(200));
        using (var remote = new RawRespClient(remoteAddress!.ToString(), silo.RespPort))
        {
            Assert.StartsWith("-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user.",
                remote.ReadReply());
            Assert.True(remote.IsClosedByServer());
        }
        using var local = new RawRespClient(silo.RespPort);
        Assert.Equal("+PONG\r\n", local.Call("PING"));
        Assert.Equal("+OK\r\n", local.Call("CONFIG", "SET", "requirepass", "now-set"));
        using (var remote = new RawRespClient(remoteAddress!.ToString(), silo.RespPort))
        {
            Assert.Equal("-NOAUTH Authentication required.\r\n", remote.Call("PING"));
            Assert.Equal("+OK\r\n", remote.Call("AUTH", "now-set"));
            Assert.Equal("+PONG\r\n", remote.Call("PING"));
        }
        Assert.DoesNotContain("now-set", silo.LogTail(500));
    }
}
