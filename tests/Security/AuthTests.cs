using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Security;

/// <summary>requirepass, AUTH (both forms), HELLO AUTH and the unauthenticated limits. Replies recorded from redis-server 7.0.15.</summary>
[Collection(SecureClusterCollection.Name)]
public class AuthTests(SecureClusterFixture fixture)
{
    private const string NoAuth = "-NOAUTH Authentication required.\r\n";
    private const string WrongPass = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

    [Fact]
    public void Nothing_but_auth_hello_quit_and_reset_runs_before_authentication()
    {
        using var c = new RawRespClient(fixture.Ports[0]);
        Assert.Equal(NoAuth, c.Call("GET", "k"));
        Assert.Equal(NoAuth, c.Call("PING"));
        Assert.Equal(NoAuth, c.Call("CONFIG", "GET", "requirepass"));
        Assert.Equal(NoAuth, c.Call("EVAL", "return 1", "0"));
        Assert.Equal("-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n",
            c.Call("HELLO", "3"));
        Assert.Equal("+RESET\r\n", c.Call("RESET"));
        Assert.Equal("-ERR unknown command 'NOSUCH', with args beginning with: \r\n", c.Call("NOSUCH"));
        Assert.Equal(NoAuth, c.Call("GET", "k")); // the connection stays open and unauthenticated
        Assert.Equal("+OK\r\n", c.Call("QUIT"));
        Assert.True(c.IsClosedByServer());
    }

    [Fact]
    public void Auth_with_a_password_or_user_and_password()
    {
        using var c = new RawRespClient(fixture.Ports[1]);
        Assert.Equal(WrongPass, c.Call("AUTH", "wrong"));
        Assert.Equal(WrongPass, c.Call("AUTH", "default", "wrong"));
        Assert.Equal(WrongPass, c.Call("AUTH", "nosuchuser", SecureClusterFixture.Password));
        Assert.Equal("-ERR syntax error\r\n", c.Call("AUTH", "a", "b", "c"));
        Assert.Equal(NoAuth, c.Call("GET", "k"));
        Assert.Equal("+OK\r\n", c.Call("AUTH", "default", SecureClusterFixture.Password));
        Assert.Equal("$-1\r\n", c.Call("GET", "{auth}k"));
        Assert.Equal("$7\r\ndefault\r\n", c.Call("ACL", "WHOAMI"));
        // RESET makes the connection unauthenticated again when the default user has a password
        Assert.Equal("+RESET\r\n", c.Call("RESET"));
        Assert.Equal(NoAuth, c.Call("GET", "k"));
        Assert.Equal("+OK\r\n", c.Call("AUTH", SecureClusterFixture.Password));
        Assert.Equal("+PONG\r\n", c.Call("PING"));
    }

    [Fact]
    public void Hello_authenticates_and_switches_protocol_at_once()
    {
        using var c = new RawRespClient(fixture.Ports[0]);
        Assert.Equal(WrongPass, c.Call("HELLO", "3", "AUTH", "default", "wrong"));
        Assert.Equal(NoAuth, c.Call("GET", "k"));
        var hello = c.Call("HELLO", "3", "AUTH", "default", SecureClusterFixture.Password, "SETNAME", "app");
        Assert.StartsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n", hello);
        Assert.Contains("$5\r\nproto\r\n:3\r\n", hello);
        Assert.Equal("_\r\n", c.Call("GET", "{auth}missing"));
        Assert.Equal("$3\r\napp\r\n", c.Call("CLIENT", "GETNAME"));
    }

    [Fact]
    public void Before_auth_requests_are_limited_to_10_arguments_of_16_KiB()
    {
        using (var c = new RawRespClient(fixture.Ports[0]))
        {
            c.SendRaw("*11\r\n");
            Assert.Equal("-ERR Protocol error: unauthenticated multibulk length\r\n", c.ReadReply());
            Assert.True(c.IsClosedByServer());
        }
        using (var c = new RawRespClient(fixture.Ports[0]))
        {
            c.SendRaw("*2\r\n$4\r\nAUTH\r\n$16385\r\n");
            Assert.Equal("-ERR Protocol error: unauthenticated bulk length\r\n", c.ReadReply());
            Assert.True(c.IsClosedByServer());
        }
        using var admin = fixture.Admin();
        // once authenticated, the usual limits apply
        Assert.Equal(":11\r\n", admin.Call("RPUSH", "{auth}list", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
        Assert.Equal("+OK\r\n", admin.Call("SET", "{auth}big", new string('x', 20000)));
        Assert.Equal(":2\r\n", admin.Call("DEL", "{auth}list", "{auth}big"));
    }

    [Fact]
    public void The_password_reaches_every_gateway_and_config_set_changes_it_cluster_wide()
    {
        using var admin0 = fixture.Admin(0);
        Assert.Equal($"*2\r\n$11\r\nrequirepass\r\n${SecureClusterFixture.Password.Length}\r\n{SecureClusterFixture.Password}\r\n",
            admin0.Call("CONFIG", "GET", "requirepass"));
        try
        {
            Assert.Equal("+OK\r\n", admin0.Call("CONFIG", "SET", "requirepass", "other-pass"));
            using var c = new RawRespClient(fixture.Ports[1]);
            Assert.Equal(WrongPass, c.Call("AUTH", SecureClusterFixture.Password));
            Assert.Equal("+OK\r\n", c.Call("AUTH", "other-pass"));
            Assert.Equal("*2\r\n$11\r\nrequirepass\r\n$10\r\nother-pass\r\n", c.Call("CONFIG", "GET", "requirepass"));
            Assert.Contains("user default on #", c.Call("ACL", "LIST"));
            // an already authenticated connection stays authenticated, as in Redis
            Assert.Equal("+PONG\r\n", admin0.Call("PING"));
        }
        finally
        {
            Assert.Equal("+OK\r\n", admin0.Call("CONFIG", "SET", "requirepass", SecureClusterFixture.Password));
        }
    }

    [Fact]
    public void Auth_without_a_password_configured_is_refused_with_redis_wording()
    {
        using var admin = fixture.Admin(1);
        try
        {
            Assert.Equal("+OK\r\n", admin.Call("CONFIG", "SET", "requirepass", ""));
            using var c = new RawRespClient(fixture.Ports[0]);
            Assert.Equal("+PONG\r\n", c.Call("PING")); // no password: authenticated as default from the start
            Assert.Equal("-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n",
                c.Call("AUTH", "anything"));
            Assert.Equal("+OK\r\n", c.Call("AUTH", "default", "anything")); // nopass: any password
            Assert.Contains("user default on nopass ~* &* +@all", c.Call("ACL", "LIST"));
        }
        finally
        {
            Assert.Equal("+OK\r\n", admin.Call("CONFIG", "SET", "requirepass", SecureClusterFixture.Password));
        }
    }

    [Fact]
    public async Task Many_connections_authenticating_at_once_all_get_exactly_their_answer()
    {
        const int connections = 40;
        var results = await Task.WhenAll(Enumerable.Range(0, connections).Select(i => Task.Factory.StartNew(() =>
        {
            using var c = new RawRespClient(fixture.Ports[i % 2]);
            bool right = i % 3 != 0;
            var auth = c.Call("AUTH", right ? SecureClusterFixture.Password : "nope");
            var get = c.Call("INCR", "{auth}counter");
            return (right, auth, get);
        }, TaskCreationOptions.LongRunning)));
        Assert.All(results.Where(r => r.right), r => Assert.Equal("+OK\r\n", r.auth));
        Assert.All(results.Where(r => !r.right), r => Assert.Equal((WrongPass, NoAuth), (r.auth, r.get)));
        using var admin = fixture.Admin();
        int incremented = results.Count(r => r.right);
        Assert.Equal($"${incremented.ToString().Length}\r\n{incremented}\r\n", admin.Call("GET", "{auth}counter"));
        Assert.Equal(":1\r\n", admin.Call("DEL", "{auth}counter"));
    }

    [Fact]
    public async Task A_silo_started_with_requirepass_demands_it_and_never_logs_a_secret()
    {
        const string configured = "configured-secret-1", userPassword = "user-secret-2", changed = "changed-secret-3";
        using var silo = await SiloProcess.StartAsync("requirepass", ["--requirepass", configured, "--storage", "memory",
            "--Logging:LogLevel:Default=Debug"]);
        using var c = new RawRespClient(silo.RespPort);
        Assert.Equal(NoAuth, c.Call("PING"));
        Assert.Equal("+OK\r\n", c.Call("AUTH", configured));
        Assert.Equal("+OK\r\n", c.Call("ACL", "SETUSER", "app", "on", ">" + userPassword, "~*", "+@all"));
        Assert.Equal("+OK\r\n", c.Call("CONFIG", "SET", "requirepass", changed));
        Assert.Equal(WrongPass, c.Call("AUTH", "app", "wrong"));
        Assert.Equal("+OK\r\n", c.Call("AUTH", "app", userPassword));
        var log = silo.LogTail(5000);
        Assert.DoesNotContain(configured, log.Replace("--requirepass " + configured, "")); // the launch line is the test's own
        Assert.DoesNotContain(userPassword, log);
        Assert.DoesNotContain(changed, log);
    }
}
