using Orleans.Core.Internal;
using OrleansLua.GrainInterfaces;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Security;

/// <summary>What happens to connected clients when ACL rules change, and to the rules when their grain moves.</summary>
[Collection(SecureClusterCollection.Name)]
public class AclChangeTests(SecureClusterFixture fixture)
{
    private const string ExecDenied = "-NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. " +
                                      "This command is no longer allowed for the following reason: ";

    private void WithUser(string name, string[] rules, Action<RawRespClient> body)
    {
        using var admin = fixture.Admin(0);
        Assert.Equal("+OK\r\n", admin.Call(["ACL", "SETUSER", name, "on", ">pw", .. rules]));
        try
        {
            body(admin);
        }
        finally
        {
            using var cleaner = fixture.Admin(0);
            cleaner.Call("ACL", "DELUSER", name);
        }
    }

    private RawRespClient As(string user, int gateway = 1)
    {
        var c = new RawRespClient(fixture.Ports[gateway]);
        Assert.Equal("+OK\r\n", c.Call("AUTH", user, "pw"));
        return c;
    }

    [Fact]
    public void Exec_checks_queued_commands_again_and_answers_nopermission_in_place() =>
        WithUser("tx", ["~{tx}*", "+@all"], admin =>
        {
            using var tx = As("tx");
            Assert.Equal("+OK\r\n", tx.Call("MULTI"));
            Assert.Equal("+QUEUED\r\n", tx.Call("SET", "{tx}a", "1"));
            Assert.Equal("+QUEUED\r\n", tx.Call("INCR", "{tx}n"));
            Assert.Equal("+QUEUED\r\n", tx.Call("GET", "{tx}a"));
            Assert.Equal("+OK\r\n", admin.Call("ACL", "SETUSER", "tx", "-set"));
            Assert.Equal($"*3\r\n{ExecDenied}no permission to execute the command or subcommand\r\n:1\r\n$-1\r\n", tx.Call("EXEC"));
            Assert.Equal("+OK\r\n", tx.Call("MULTI"));
            Assert.Equal("+QUEUED\r\n", tx.Call("GET", "{tx}a"));
            Assert.Equal("+QUEUED\r\n", tx.Call("INCR", "{tx}n"));
            Assert.Equal("+OK\r\n", admin.Call("ACL", "SETUSER", "tx", "resetkeys", "~{tx}n"));
            Assert.Equal($"*2\r\n{ExecDenied}no permission to touch the specified keys\r\n:2\r\n", tx.Call("EXEC"));
            Assert.Equal(":1\r\n", admin.Call("DEL", "{tx}n"));
        });

    [Fact]
    public void A_subscriber_whose_channels_are_taken_away_is_disconnected() =>
        WithUser("listener", ["&news.*", "+subscribe", "+ping"], admin =>
        {
            using var kept = As("listener", 0);
            using var lost = As("listener", 1);
            Assert.Equal("+PONG\r\n", kept.Call("PING"));
            Assert.StartsWith("*3\r\n", lost.Call("SUBSCRIBE", "news.sports"));
            Assert.Equal("+OK\r\n", admin.Call("ACL", "SETUSER", "listener", "resetchannels", "&other"));
            Assert.True(lost.IsClosedByServer());
            kept.ReadTimeoutMs = 500;
            Assert.False(kept.IsClosedByServer()); // not subscribed: not affected
        });

    [Fact]
    public void Auth_pipelined_with_a_large_request_is_parsed_with_the_authenticated_limits()
    {
        using var c = new RawRespClient(fixture.Ports[0]);
        c.SendRaw([.. RawRespClient.Encode("AUTH", SecureClusterFixture.Password), .. RawRespClient.Encode("SET", "{pipe}big", new string('x', 20_000))]);
        Assert.Equal("+OK\r\n", c.ReadReply());
        Assert.Equal("+OK\r\n", c.ReadReply());
        Assert.Equal(":1\r\n", c.Call("DEL", "{pipe}big"));
    }

    [Fact]
    public void Client_kill_user_refuses_an_unknown_user()
    {
        using var admin = fixture.Admin(1);
        Assert.Equal("-ERR No such user 'nosuch'\r\n", admin.Call("CLIENT", "KILL", "USER", "nosuch"));
    }

    /// <summary>
    /// Without storage the configuration grain's new activation knows nothing: the nodes hand their
    /// users and password back instead of falling back to a passwordless default user.
    /// </summary>
    [Fact]
    public async Task A_moved_configuration_grain_without_storage_gets_the_users_and_password_back()
    {
        using var admin = fixture.Admin(0);
        Assert.Equal("+OK\r\n", admin.Call("ACL", "SETUSER", "frank", "on", ">pw", "~*", "+@all"));
        try
        {
            var config = fixture.Cluster.Client.GetGrain<IClusterConfigGrain>(0);
            var before = await config.State();
            await config.Cast<IGrainManagementExtension>().DeactivateOnIdle();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                var now = await config.State();
                if (now.Generation != before.Generation && now.Users.ContainsKey("frank")) break;
                Assert.True(DateTime.UtcNow < deadline, "the new activation did not get the configuration back");
                await Task.Delay(200);
            }
            using (var anonymous = new RawRespClient(fixture.Ports[1]))
                Assert.Equal("-NOAUTH Authentication required.\r\n", anonymous.Call("PING"));
            using var frank = As("frank", 1);
            Assert.Equal("$-1\r\n", frank.Call("GET", "{moved}k"));
            // and the new generation takes changes
            Assert.Equal("+OK\r\n", admin.Call("ACL", "SETUSER", "frank", "-get"));
            Assert.Equal("-NOPERM this user has no permissions to run the 'get' command\r\n", frank.Call("GET", "{moved}k"));
        }
        finally
        {
            admin.Call("ACL", "DELUSER", "frank");
        }
    }
}
