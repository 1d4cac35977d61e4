using System.Text.RegularExpressions;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using static OrleansLua.Tests.Infrastructure.InfoText;

namespace OrleansLua.Tests.Security;

/// <summary>INFO totals over both gateways, SLOWLOG, CONFIG across the cluster, CLIENT LIST/KILL.</summary>
[Collection(SecureClusterCollection.Name)]
public class IntrospectionTests(SecureClusterFixture fixture)
{
    [Fact]
    public void Commandstats_and_errorstats_add_up_every_gateway_and_every_silo()
    {
        using var a = fixture.Admin(0);
        using var b = fixture.Admin(1);
        Assert.Equal("+OK\r\n", a.Call("CONFIG", "RESETSTAT"));
        for (int i = 0; i < 3; i++) Assert.Equal("+OK\r\n", a.Call("SET", $"{{stats{i}}}k", "v"));
        Assert.Equal("$1\r\nv\r\n", b.Call("GET", "{stats0}k"));
        Assert.Equal("$1\r\nv\r\n", b.Call("GET", "{stats1}k"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", b.Call("INCR", "{stats2}k"));
        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", a.Call("GET"));
        Assert.Equal("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", a.Call("LPUSH", "{stats0}k", "x"));
        var info = a.Call("INFO", "commandstats");
        Assert.Matches(@"cmdstat_set:calls=3,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n", info);
        Assert.Matches(@"cmdstat_get:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0\r\n", info);
        Assert.Matches(@"cmdstat_incr:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1\r\n", info);
        Assert.Matches(@"cmdstat_lpush:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1\r\n", info);
        var errors = b.Call("INFO", "errorstats");
        Assert.Contains("errorstat_ERR:count=2\r\n", errors);
        Assert.Contains("errorstat_WRONGTYPE:count=1\r\n", errors);
        Assert.Equal("3", Field(b.Call("INFO", "stats"), "total_error_replies"));
        Assert.Equal(":3\r\n", a.Call("DEL", "{stats0}k", "{stats1}k", "{stats2}k"));
    }

    [Fact]
    public void Info_clients_counts_the_connections_of_every_gateway()
    {
        using var a = fixture.Admin(0);
        int Connected() => int.Parse(Field(a.Call("INFO", "clients"), "connected_clients"));
        int before = LimitTests.SettledCount(Connected);
        var extra = Enumerable.Range(0, 6).Select(i => fixture.Admin(i % 2)).ToList();
        try
        {
            Assert.Equal(before + 6, Connected());
            var cluster = a.Call("INFO", "cluster");
            Assert.Equal("1", Field(cluster, "cluster_enabled"));
            Assert.Equal("2", Field(cluster, "orleans_silos"));
            Assert.Equal("2", Field(cluster, "orleans_gateways"));
            Assert.Equal("10000", Field(a.Call("INFO"), "maxclients"));
        }
        finally
        {
            extra.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public void Slowlog_gathers_every_node_redacts_secrets_and_resets_everywhere()
    {
        using var a = fixture.Admin(0);
        using var b = fixture.Admin(1);
        try
        {
            Assert.Equal("+OK\r\n", a.Call("CONFIG", "SET", "slowlog-log-slower-than", "0"));
            Assert.Equal("+OK\r\n", b.Call("SLOWLOG", "RESET"));
            Assert.Equal("+OK\r\n", b.Call("CLIENT", "SETNAME", "slow-b"));
            Assert.Equal("+OK\r\n", a.Call("SET", "{slow}k", "v"));
            Assert.Equal("-WRONGPASS invalid username-password pair or user is disabled.\r\n", b.Call("AUTH", "x", "y"));
            Assert.Equal("+OK\r\n", b.Call("AUTH", SecureClusterFixture.Password));
            // every place a command runs reports to the slow log: a keyless script's worker, a blocking attempt
            Assert.Equal(":1\r\n", b.Call("EVAL", "return 1", "0"));
            Assert.Equal(":1\r\n", b.Call("LPUSH", "{slow}list", "x"));
            Assert.Equal("*2\r\n$10\r\n{slow}list\r\n$1\r\nx\r\n", b.Call("BLPOP", "{slow}list", "1"));
            var entries = a.Call("SLOWLOG", "GET", "-1");
            Assert.Contains("*3\r\n$4\r\nEVAL\r\n$8\r\nreturn 1\r\n$1\r\n0\r\n", entries);
            Assert.Contains("*3\r\n$5\r\nBLPOP\r\n$10\r\n{slow}list\r\n$1\r\n1\r\n", entries);
            Assert.Matches(@"\*3\r\n\$3\r\nSET\r\n\$7\r\n\{slow\}k\r\n\$1\r\nv\r\n\$\d+\r\n127\.0\.0\.1:\d+\r\n\$0\r\n", entries);
            Assert.Matches(@"\*3\r\n\$6\r\nCLIENT\r\n\$7\r\nSETNAME\r\n\$6\r\nslow-b\r\n\$\d+\r\n127\.0\.0\.1:\d+\r\n\$6\r\nslow-b\r\n", entries);
            Assert.Contains("*3\r\n$4\r\nAUTH\r\n$10\r\n(redacted)\r\n$10\r\n(redacted)\r\n", entries);
            Assert.Contains("*2\r\n$4\r\nAUTH\r\n$10\r\n(redacted)\r\n", entries);
            Assert.DoesNotContain(SecureClusterFixture.Password, entries);
            Assert.Matches(@"^:\d+\r\n$", a.Call("SLOWLOG", "LEN"));
            Assert.Equal("-ERR count should be greater than or equal to -1\r\n", a.Call("SLOWLOG", "GET", "-2"));
            Assert.Equal("*1\r\n", a.Call("SLOWLOG", "GET", "1")[..4]);
            Assert.Equal("+OK\r\n", a.Call("CONFIG", "SET", "slowlog-log-slower-than", "-1"));
            Assert.Equal("+OK\r\n", b.Call("SLOWLOG", "RESET"));
            Assert.Equal(":0\r\n", a.Call("SLOWLOG", "LEN"));
            Assert.Equal("*0\r\n", b.Call("SLOWLOG", "GET"));
        }
        finally
        {
            Assert.Equal("+OK\r\n", a.Call("CONFIG", "SET", "slowlog-log-slower-than", "10000"));
            a.Call("DEL", "{slow}k");
        }
    }

    [Theory]
    [InlineData("maxclients", "abc", "argument couldn't be parsed into an integer")]
    [InlineData("maxclients", "0", "argument must be between 1 and 4294967295 inclusive")]
    [InlineData("timeout", "-1", "argument must be between 0 and 2147483647 inclusive")]
    [InlineData("proto-max-bulk-len", "1", "argument must be between 1048576 and 9223372036854775807 inclusive")]
    [InlineData("proto-max-bulk-len", "abc", "argument must be a memory value")]
    [InlineData("protected-mode", "maybe", "argument must be 'yes' or 'no'")]
    [InlineData("client-output-buffer-limit", "pubsub 1 2", "Wrong number of arguments in buffer limit configuration.")]
    [InlineData("client-output-buffer-limit", "foo 1 2 3", "Invalid client class specified in buffer limit configuration.")]
    [InlineData("client-output-buffer-limit", "pubsub x 2 3", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")]
    [InlineData("slowlog-log-slower-than", "-5", "argument must be between -1 and 9223372036854775807 inclusive")]
    [InlineData("client-query-buffer-limit", "1", "argument must be between 1048576 and 9223372036854775807 inclusive")]
    [InlineData("busy-reply-threshold", "1.5", "argument couldn't be parsed into an integer")]
    [InlineData("save", "100", "Invalid save parameters")]
    [InlineData("save", "0 10", "Invalid save parameters")]
    [InlineData("save", "100 -1", "Invalid save parameters")]
    [InlineData("set-max-intset-entries", "-1", "argument must be between 0 and 9223372036854775807 inclusive")]
    [InlineData("list-compress-depth", "-1", "argument must be between 0 and 2147483647 inclusive")]
    [InlineData("stream-node-max-bytes", "1x", "argument must be a memory value")]
    public void Config_set_refuses_bad_values_with_redis_wording(string name, string value, string reason)
    {
        using var c = fixture.Admin();
        Assert.Equal($"-ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}\r\n", c.Call("CONFIG", "SET", name, value));
    }

    [Fact]
    public void Parameters_without_effect_here_are_set_and_reported_as_in_redis_old_names_included()
    {
        using var a = fixture.Admin(0);
        using var b = fixture.Admin(1);
        try
        {
            Assert.Equal("+OK\r\n", a.Call("CONFIG", "SET", "save", "100  10 60 5", "list-max-ziplist-size", "-1", "zset-max-ziplist-value", "1k"));
            Assert.Equal("*2\r\n$4\r\nsave\r\n$11\r\n100 10 60 5\r\n", b.Call("CONFIG", "GET", "save"));
            Assert.Equal("*4\r\n$22\r\nlist-max-listpack-size\r\n$2\r\n-1\r\n$21\r\nlist-max-ziplist-size\r\n$2\r\n-1\r\n",
                b.Call("CONFIG", "GET", "list-max-*-size"));
            Assert.Equal("*2\r\n$23\r\nzset-max-listpack-value\r\n$4\r\n1000\r\n", b.Call("CONFIG", "GET", "zset-max-listpack-value"));
            Assert.Equal("*2\r\n$22\r\nset-max-intset-entries\r\n$3\r\n512\r\n", b.Call("CONFIG", "GET", "set-max-intset-entries"));
            Assert.Equal("-ERR syntax error\r\n", b.Call("CONFIG", "SET", "save", "", "list-compress-depth"));
        }
        finally
        {
            Assert.Equal("+OK\r\n", a.Call("CONFIG", "SET", "save", "", "list-max-listpack-size", "-2", "zset-max-listpack-value", "64"));
        }
        Assert.Equal("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", b.Call("CONFIG", "GET", "save"));
    }

    [Fact]
    public void Config_set_reaches_the_other_gateway_and_config_get_matches_globs()
    {
        using var a = fixture.Admin(0);
        using var b = fixture.Admin(1);
        try
        {
            Assert.Equal("+OK\r\n", a.Call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 64mb 16mb 60", "maxclients", "5000"));
            Assert.Equal("*2\r\n$26\r\nclient-output-buffer-limit\r\n$68\r\nnormal 0 0 0 slave 268435456 67108864 60 pubsub 67108864 16777216 60\r\n",
                b.Call("CONFIG", "GET", "client-output-buffer-limit"));
            Assert.Equal("*2\r\n$10\r\nmaxclients\r\n$4\r\n5000\r\n", b.Call("CONFIG", "GET", "maxc*"));
            Assert.Equal("*0\r\n", b.Call("CONFIG", "GET", "nosuch"));
            Assert.Equal("*2\r\n$18\r\nproto-max-bulk-len\r\n$9\r\n536870912\r\n", b.Call("CONFIG", "GET", "proto-max-bulk-len"));
            Assert.Equal("-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config\r\n",
                b.Call("CONFIG", "SET", "databases", "2"));
            Assert.Equal("-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n", b.Call("CONFIG", "SET", "nosuch", "1"));
        }
        finally
        {
            Assert.Equal("+OK\r\n", a.Call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60", "maxclients", "10000"));
        }
    }

    [Fact]
    public void Client_list_shows_flags_and_client_kill_filters_as_redis()
    {
        using var admin = fixture.Admin(0);
        using var sub = fixture.Admin(0);
        using var multi = fixture.Admin(0);
        Assert.StartsWith("*3\r\n", sub.Call("SUBSCRIBE", "introspection"));
        var multiId = multi.Call("CLIENT", "ID")[1..^2];
        Assert.Equal("+OK\r\n", multi.Call("MULTI"));
        Assert.Equal("+QUEUED\r\n", multi.Call("GET", "{i}k"));
        var list = admin.Call("CLIENT", "LIST");
        var lines = list.Split('\n');
        Assert.Contains(lines, l => l.Contains(" flags=P ") && l.Contains(" sub=1 psub=0 ") && l.Contains(" user=default "));
        Assert.Contains(lines, l => l.Contains(" flags=x ") && l.Contains(" multi=1 "));
        Assert.Equal("-ERR No such client\r\n", admin.Call("CLIENT", "KILL", "1.2.3.4:5"));
        Assert.Equal(":0\r\n", admin.Call("CLIENT", "KILL", "ID", "999999"));
        Assert.Equal("-ERR client-id should be greater than 0\r\n", admin.Call("CLIENT", "KILL", "ID", "abc"));
        Assert.Equal("-ERR Unknown client type 'foo'\r\n", admin.Call("CLIENT", "KILL", "TYPE", "foo"));
        Assert.Equal("-ERR syntax error\r\n", admin.Call("CLIENT", "KILL", "SKIPME", "maybe"));
        Assert.Equal(":1\r\n", admin.Call("CLIENT", "KILL", "TYPE", "pubsub"));
        Assert.True(sub.IsClosedByServer());
        Assert.Equal(":1\r\n", admin.Call("CLIENT", "KILL", "ID", multiId));
        Assert.True(multi.IsClosedByServer());
        Assert.Equal(":0\r\n", admin.Call("CLIENT", "KILL", "USER", "default", "ID", admin.Call("CLIENT", "ID")[1..^2]));
        Assert.Equal("+OK\r\n", admin.Call("CLIENT", "KILL", admin.Call("CLIENT", "INFO").Split(' ')[1]["addr=".Length..]));
        Assert.True(admin.IsClosedByServer());
    }
}
