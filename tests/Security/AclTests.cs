using System.Security.Cryptography;
using System.Text;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Security;

/// <summary>ACL users across the cluster. Every expected reply was recorded from redis-server 7.0.15.</summary>
[Collection(SecureClusterCollection.Name)]
public class AclTests(SecureClusterFixture fixture)
{
    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Sha1(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Bulk(string text) => $"${Encoding.UTF8.GetByteCount(text)}\r\n{text}\r\n";

    [Theory]
    [InlineData("+get +set", "user u off resetchannels -@all +get +set")]
    [InlineData("+set +get", "user u off resetchannels -@all +get +set")]
    [InlineData("+@read -get", "user u off resetchannels -@all +@read -get")]
    [InlineData("+@all -flushall", "user u off resetchannels +@all -flushall")]
    [InlineData("+@string +get", "user u off resetchannels -@all +@string")]
    [InlineData("allcommands nocommands +ping", "user u off resetchannels -@all +ping")]
    [InlineData("+config|get", "user u off resetchannels -@all +config|get")]
    [InlineData("+config +config|get -config|set", "user u off resetchannels -@all +config -config|set")]
    [InlineData("+client -client|kill", "user u off resetchannels -@all +client -client|kill")]
    [InlineData("-@all +@hash +@set", "user u off resetchannels -@all +@set +@hash")]
    [InlineData("~a* ~b* resetkeys ~c*", "user u off ~c* resetchannels -@all")]
    [InlineData("%R~r* %W~w* %RW~x*", "user u off %R~r* %W~w* ~x* resetchannels -@all")]
    [InlineData("&c1 &c2", "user u off resetchannels &c1 &c2 -@all")]
    [InlineData("allkeys allchannels", "user u off ~* &* -@all")]
    [InlineData("nopass", "user u off nopass resetchannels -@all")]
    [InlineData("reset", "user u off sanitize-payload resetchannels -@all")]
    [InlineData("on nopass +@all ~* &*", "user u on nopass ~* &* +@all")]
    public void Setuser_rules_are_described_as_redis_describes_them(string rules, string described)
    {
        using var c = fixture.Admin();
        c.Call("ACL", "DELUSER", "u");
        Assert.Equal("+OK\r\n", c.Call(["ACL", "SETUSER", "u", .. rules.Split(' ')]));
        Assert.Contains(Bulk(described), c.Call("ACL", "LIST"));
        Assert.Equal(":1\r\n", c.Call("ACL", "DELUSER", "u"));
    }

    [Fact]
    public void Passwords_are_kept_as_sha256_only()
    {
        using var c = fixture.Admin();
        Assert.Equal("+OK\r\n", c.Call("ACL", "SETUSER", "pw", ">p1", ">p2", "<p1"));
        Assert.Contains(Bulk($"user pw off #{Sha256("p2")} resetchannels -@all"), c.Call("ACL", "LIST"));
        Assert.Equal("-ERR Error in ACL SETUSER modifier '<p1': The password you are trying to remove from the user does not exist\r\n",
            c.Call("ACL", "SETUSER", "pw", "<p1"));
        Assert.Equal(":1\r\n", c.Call("ACL", "DELUSER", "pw"));
    }

    [Theory]
    [InlineData("+nosuch", "Unknown command or category name in ACL")]
    [InlineData("+@nosuch", "Unknown command or category name in ACL")]
    [InlineData("bogus", "Syntax error")]
    [InlineData("#abc", "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters")]
    public void Bad_rules_change_nothing_and_say_why(string rule, string reason)
    {
        using var c = fixture.Admin();
        Assert.Equal($"-ERR Error in ACL SETUSER modifier '{rule}': {reason}\r\n", c.Call("ACL", "SETUSER", "bad", "on", rule));
        Assert.Equal("$-1\r\n", c.Call("ACL", "GETUSER", "bad"));
        Assert.Equal("-ERR Error in ACL SETUSER modifier '~x': Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns\r\n",
            c.Call("ACL", "SETUSER", "bad", "allkeys", "~x"));
        Assert.Equal("-ERR Usernames can't contain spaces or null characters\r\n", c.Call("ACL", "SETUSER", "a b"));
    }

    [Fact]
    public void Getuser_users_cat_genpass_whoami_deluser()
    {
        using var c = fixture.Admin();
        Assert.Equal("+OK\r\n", c.Call("ACL", "SETUSER", "alice", "on", ">pw", "~a:*", "+get", "+set", "&chan*"));
        Assert.Equal("*12\r\n$5\r\nflags\r\n*1\r\n$2\r\non\r\n$9\r\npasswords\r\n*1\r\n" + Bulk(Sha256("pw")) +
                     "$8\r\ncommands\r\n$15\r\n-@all +get +set\r\n$4\r\nkeys\r\n$4\r\n~a:*\r\n$8\r\nchannels\r\n$6\r\n&chan*\r\n$9\r\nselectors\r\n*0\r\n",
            c.Call("ACL", "GETUSER", "alice"));
        Assert.Equal("*2\r\n$5\r\nalice\r\n$7\r\ndefault\r\n", c.Call("ACL", "USERS"));
        var categories = c.Call("ACL", "CAT");
        Assert.StartsWith("*21\r\n$8\r\nkeyspace\r\n$4\r\nread\r\n$5\r\nwrite\r\n", categories);
        Assert.Contains("$3\r\nget\r\n", c.Call("ACL", "CAT", "string"));
        Assert.DoesNotContain("$3\r\nget\r\n", c.Call("ACL", "CAT", "write"));
        Assert.Equal("-ERR Unknown category 'nosuch'\r\n", c.Call("ACL", "CAT", "nosuch"));
        Assert.Matches("^\\$64\\r\\n[0-9a-f]{64}\\r\\n$", c.Call("ACL", "GENPASS"));
        Assert.Matches("^\\$2\\r\\n[0-9a-f]{2}\\r\\n$", c.Call("ACL", "GENPASS", "5"));
        Assert.Equal("-ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096\r\n",
            c.Call("ACL", "GENPASS", "0"));
        Assert.Equal("-ERR The 'default' user cannot be removed\r\n", c.Call("ACL", "DELUSER", "default"));
        Assert.Equal(":1\r\n", c.Call("ACL", "DELUSER", "alice", "nosuch"));
        Assert.Equal(":0\r\n", c.Call("ACL", "DELUSER", "alice"));
    }

    [Fact]
    public void Dryrun_says_what_a_user_could_do()
    {
        using var c = fixture.Admin();
        Assert.Equal("+OK\r\n", c.Call("ACL", "SETUSER", "bob", "on", ">pw", "~a:*", "+get", "+set", "&ch", "+publish"));
        try
        {
            Assert.Equal("+OK\r\n", c.Call("ACL", "DRYRUN", "bob", "GET", "a:1"));
            Assert.Equal(Bulk("This user has no permissions to access the 'b:1' key"), c.Call("ACL", "DRYRUN", "bob", "GET", "b:1"));
            Assert.Equal(Bulk("This user has no permissions to run the 'del' command"), c.Call("ACL", "DRYRUN", "bob", "DEL", "a:1"));
            Assert.Equal(Bulk("This user has no permissions to access the 'zz' channel"), c.Call("ACL", "DRYRUN", "bob", "PUBLISH", "zz", "x"));
            Assert.Equal(Bulk("This user has no permissions to run the 'config|get' command"), c.Call("ACL", "DRYRUN", "bob", "CONFIG", "GET", "x"));
            Assert.Equal("-ERR Command 'nosuch' not found\r\n", c.Call("ACL", "DRYRUN", "bob", "nosuch"));
            Assert.Equal("-ERR User 'nobody' not found\r\n", c.Call("ACL", "DRYRUN", "nobody", "GET", "x"));
        }
        finally
        {
            c.Call("ACL", "DELUSER", "bob");
        }
    }

    [Fact]
    public void A_user_made_on_one_gateway_is_enforced_on_the_other_with_nopermission_errors()
    {
        using var admin = fixture.Admin(0);
        Assert.Equal("+OK\r\n", admin.Call("ACL", "SETUSER", "carol", "on", ">pw", "~{c}a:*", "+get", "+set", "+eval", "&news*", "+publish", "+multi", "+exec"));
        try
        {
            using var carol = new RawRespClient(fixture.Ports[1]);
            Assert.Equal("+OK\r\n", carol.Call("AUTH", "carol", "pw"));
            Assert.Equal("-NOPERM this user has no permissions to run the 'acl|whoami' command\r\n", carol.Call("ACL", "WHOAMI"));
            Assert.Equal("+OK\r\n", carol.Call("SET", "{c}a:1", "v"));
            Assert.Equal("$1\r\nv\r\n", carol.Call("GET", "{c}a:1"));
            Assert.Equal("-NOPERM this user has no permissions to access one of the keys used as arguments\r\n", carol.Call("GET", "{c}b:1"));
            Assert.Equal("-NOPERM this user has no permissions to run the 'del' command\r\n", carol.Call("DEL", "{c}a:1"));
            Assert.Equal("-NOPERM this user has no permissions to access one of the channels used as arguments\r\n", carol.Call("PUBLISH", "sports", "x"));
            Assert.Equal(":0\r\n", carol.Call("PUBLISH", "news.today", "x"));
            // scripts run as the user: each redis.call is checked inside the slot's grain
            const string del = "return redis.call('del', KEYS[1])", get = "return redis.call('get', '{c}b:1')";
            Assert.Equal($"-ERR The user executing the script can't run this command or subcommand script: {Sha1(del)}, on @user_script:1.\r\n",
                carol.Call("EVAL", del, "1", "{c}a:1"));
            Assert.Equal($"-ERR The user executing the script can't access at least one of the keys mentioned in the command arguments script: {Sha1(get)}, on @user_script:1.\r\n",
                carol.Call("EVAL", get, "1", "{c}a:1"));
            Assert.Equal("-NOPERM this user has no permissions to access one of the keys used as arguments\r\n",
                carol.Call("EVAL", "return 1", "1", "{c}b:1"));
            Assert.Equal("$1\r\nv\r\n", carol.Call("EVAL", "return redis.call('get', KEYS[1])", "1", "{c}a:1"));
            // inside MULTI a denied command makes EXEC abort
            Assert.Equal("+OK\r\n", carol.Call("MULTI"));
            Assert.Equal("-NOPERM this user has no permissions to run the 'del' command\r\n", carol.Call("DEL", "{c}a:1"));
            Assert.Equal("-EXECABORT Transaction discarded because of previous errors.\r\n", carol.Call("EXEC"));
            // denials are in ACL LOG of the gateway that saw them
            using var admin1 = fixture.Admin(1);
            var log = admin1.Call("ACL", "LOG");
            Assert.Contains("$6\r\nreason\r\n$7\r\ncommand\r\n$7\r\ncontext\r\n$5\r\nmulti\r\n$6\r\nobject\r\n$3\r\ndel\r\n$8\r\nusername\r\n$5\r\ncarol\r\n", log);
            Assert.Contains("$6\r\nreason\r\n$3\r\nkey\r\n$7\r\ncontext\r\n$8\r\ntoplevel\r\n$6\r\nobject\r\n$6\r\n{c}b:1\r\n", log);
            Assert.Equal("+OK\r\n", admin1.Call("ACL", "LOG", "RESET"));
            Assert.Equal("*0\r\n", admin1.Call("ACL", "LOG"));
        }
        finally
        {
            admin.Call("DEL", "{c}a:1");
            admin.Call("ACL", "DELUSER", "carol");
        }
    }

    [Fact]
    public void Deleting_a_user_closes_its_connections_on_every_gateway()
    {
        using var admin = fixture.Admin(0);
        Assert.Equal("+OK\r\n", admin.Call("ACL", "SETUSER", "dave", "on", ">pw", "allkeys", "+@all"));
        using var dave0 = new RawRespClient(fixture.Ports[0]);
        using var dave1 = new RawRespClient(fixture.Ports[1]);
        Assert.Equal("+OK\r\n", dave0.Call("AUTH", "dave", "pw"));
        Assert.Equal("+OK\r\n", dave1.Call("AUTH", "dave", "pw"));
        Assert.Equal(":1\r\n", admin.Call("ACL", "DELUSER", "dave"));
        Assert.True(dave0.IsClosedByServer());
        Assert.True(dave1.IsClosedByServer());
        using var again = new RawRespClient(fixture.Ports[1]);
        Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.\r\n", again.Call("AUTH", "dave", "pw"));
    }

    /// <summary>
    /// The claim: a permission change reaches every node before ACL SETUSER answers. Twenty
    /// connections on both gateways write as fast as they can while the user loses SET; after the
    /// OK, no connection's next SET may succeed, and every SET that succeeded is in the counter.
    /// </summary>
    [Fact]
    public async Task A_revoked_permission_holds_on_every_gateway_once_setuser_answers()
    {
        using var admin = fixture.Admin(0);
        Assert.Equal("+OK\r\n", admin.Call("ACL", "SETUSER", "erin", "on", ">pw", "~{e}*", "+incr", "+get"));
        try
        {
            var revoked = new TaskCompletionSource();
            long succeeded = 0;
            // dedicated threads: the clients block on their sockets, the in-process silos need the pool
            var workers = Enumerable.Range(0, 20).Select(i => Task.Factory.StartNew(() =>
            {
                using var c = new RawRespClient(fixture.Ports[i % 2]);
                Assert.Equal("+OK\r\n", c.Call("AUTH", "erin", "pw"));
                while (true)
                {
                    bool afterRevoke = revoked.Task.IsCompleted;
                    var reply = c.Call("INCR", "{e}n");
                    if (reply.StartsWith(':')) Interlocked.Increment(ref succeeded);
                    else
                    {
                        Assert.Equal("-NOPERM this user has no permissions to run the 'incr' command\r\n", reply);
                        return;
                    }
                    Assert.False(afterRevoke, "an INCR sent after ACL SETUSER answered was allowed");
                }
            }, TaskCreationOptions.LongRunning)).ToList();
            await Task.Delay(300);
            Assert.Equal("+OK\r\n", admin.Call("ACL", "SETUSER", "erin", "-incr"));
            revoked.SetResult();
            await Task.WhenAll(workers);
            Assert.Equal(Bulk(Interlocked.Read(ref succeeded).ToString()), admin.Call("GET", "{e}n"));
        }
        finally
        {
            admin.Call("DEL", "{e}n");
            admin.Call("ACL", "DELUSER", "erin");
        }
    }
}
