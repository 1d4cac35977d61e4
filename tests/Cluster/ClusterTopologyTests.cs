using System.Text.RegularExpressions;
using OrleansLua.GrainInterfaces;
using OrleansLua.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Cluster;

/// <summary>
/// The two-silo test cluster as Redis Cluster clients see it: CLUSTER commands, INFO and HELLO agree with the
/// slot map, MOVED with cluster-redirects, redis-cli -c and --cluster check, and real cluster clients
/// (StackExchange.Redis, ioredis Cluster, node-redis createCluster) connect and run scripts and transactions.
/// </summary>
[Collection(ClusterCollection.Name)]
public partial class ClusterTopologyTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [GeneratedRegex(@"^([0-9a-f]{40}) 127\.0\.0\.1:(\d+)@(\d+) (myself,master|master) - 0 \d+ (\d+) connected( \d+(-\d+)?)+$")]
    private static partial Regex NodeLine();

    private static string Text(string verbatimReply) => verbatimReply.Split("\r\n", 2)[1].Replace("txt:", "");

    [Fact]
    public void CLUSTER_NODES_SLOTS_SHARDS_and_INFO_describe_two_masters_covering_every_slot()
    {
        using var a = new RawRespClient(fixture.Ports[0]);
        using var b = new RawRespClient(fixture.Ports[1]);
        var nodes = Text(a.Call("CLUSTER", "NODES")).Trim('\r', '\n').Split('\n');
        Assert.Equal(2, nodes.Length);
        var parsed = nodes.Select(l => NodeLine().Match(l)).ToList();
        Assert.All(parsed, m => Assert.True(m.Success, $"CLUSTER NODES line: {m.Value}"));
        var myself = parsed.Single(m => m.Groups[4].Value == "myself,master");
        Assert.Equal(fixture.Ports[0].ToString(), myself.Groups[2].Value);
        Assert.Equal($"${40}\r\n{myself.Groups[1].Value}\r\n", a.Call("CLUSTER", "MYID"));
        Assert.Equal(a.Call("CLUSTER", "MYID"), a.Call("CLUSTER", "MYSHARDID"));
        Assert.NotEqual(a.Call("CLUSTER", "MYID"), b.Call("CLUSTER", "MYID"));
        Assert.Equal(HashSet(fixture.Ports), parsed.Select(m => int.Parse(m.Groups[2].Value)).ToHashSet());

        // every slot exactly once, in CLUSTER SLOTS through both gateways
        foreach (var port in fixture.Ports)
        {
            using var redis = ConnectionMultiplexer.Connect($"127.0.0.1:{port},allowAdmin=true");
            var slots = (RedisResult[])redis.GetServer("127.0.0.1", port).Execute("CLUSTER", "SLOTS")!;
            var covered = new bool[HashSlot.Count];
            foreach (var range in slots.Select(r => (RedisResult[])r!))
            {
                int start = (int)range[0], end = (int)range[1];
                var node = (RedisResult[])range[2]!;
                Assert.Equal("127.0.0.1", (string)node[0]!);
                Assert.Contains((int)node[1], fixture.Ports);
                Assert.Matches("^[0-9a-f]{40}$", (string)node[2]!);
                for (int s = start; s <= end; s++)
                {
                    Assert.False(covered[s], $"slot {s} twice");
                    covered[s] = true;
                }
            }
            Assert.All(covered, Assert.True);
        }

        var info = Text(a.Call("CLUSTER", "INFO"));
        Assert.Contains("cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:0\r\ncluster_known_nodes:2\r\ncluster_size:2\r\n", info);
        Assert.Matches(@"cluster_current_epoch:[1-9]\d*\r\ncluster_my_epoch:[1-9]\d*\r\n", info);
        var shards = a.Call("CLUSTER", "SHARDS");
        Assert.StartsWith("*2\r\n*4\r\n$5\r\nslots\r\n", shards);
        Assert.Contains("$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n", shards);
    }

    private static HashSet<int> HashSet(int[] ports) => [.. ports];

    [Fact]
    public void INFO_HELLO_and_CONFIG_say_cluster_as_CLUSTER_INFO_does()
    {
        using var c = new RawRespClient(fixture.Port);
        var server = c.Call("INFO", "server");
        Assert.Contains("redis_mode:cluster\r\n", server);
        var cluster = c.Call("INFO", "cluster");
        Assert.Contains("cluster_enabled:1\r\n", cluster);
        Assert.Contains("cluster_redirects:no\r\n", cluster);
        Assert.Contains("$4\r\nmode\r\n$7\r\ncluster\r\n", c.Call("HELLO", "2"));
        Assert.Equal("*2\r\n$15\r\ncluster-enabled\r\n$3\r\nyes\r\n", c.Call("CONFIG", "GET", "cluster-enabled"));
        Assert.Equal("+OK\r\n", c.Call("ASKING"));
        Assert.Equal("+OK\r\n", c.Call("READONLY"));
    }

    [Fact]
    public void Keys_per_slot_and_slot_management_commands_answer_as_a_self_managing_cluster()
    {
        using var c = new RawRespClient(fixture.Port);
        var tag = TestValues.Tag();
        int slot = HashSlot.Of(System.Text.Encoding.UTF8.GetBytes(tag));
        // other tests' keys may share the slot: count what is there first
        long before = long.Parse(c.Call("CLUSTER", "COUNTKEYSINSLOT", slot.ToString())[1..^2]);
        foreach (var k in new[] { "a", "b", "c" }) Assert.Equal("+OK\r\n", c.Call("SET", tag + k, "1"));
        Assert.Equal($":{slot}\r\n", c.Call("CLUSTER", "KEYSLOT", tag + "a"));
        Assert.Equal($":{before + 3}\r\n", c.Call("CLUSTER", "COUNTKEYSINSLOT", slot.ToString()));
        var keys = c.Call("CLUSTER", "GETKEYSINSLOT", slot.ToString(), "2");
        Assert.StartsWith("*2\r\n", keys);
        Assert.Equal("*0\r\n", c.Call("CLUSTER", "GETKEYSINSLOT", slot.ToString(), "0"));
        Assert.Equal("-ERR Invalid slot\r\n", c.Call("CLUSTER", "COUNTKEYSINSLOT", "16384"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Call("CLUSTER", "COUNTKEYSINSLOT", "x"));
        Assert.Equal("-ERR Invalid slot or number of keys\r\n", c.Call("CLUSTER", "GETKEYSINSLOT", "1", "-1"));
        Assert.Equal("-ERR CLUSTER ADDSLOTS is not supported: OrleansLua assigns slots itself (a joining silo takes its share, a leaving or failed one's slots go to the others)\r\n",
            c.Call("CLUSTER", "ADDSLOTS", "1"));
        Assert.Equal("-ERR CLUSTER SETSLOT is not supported: OrleansLua assigns slots itself (a joining silo takes its share, a leaving or failed one's slots go to the others)\r\n",
            c.Call("CLUSTER", "SETSLOT", "1", "NODE", "x"));
        Assert.StartsWith("-ERR CLUSTER MEET is not supported", c.Call("CLUSTER", "MEET", "127.0.0.1", "7000"));
        Assert.StartsWith("-ERR CLUSTER RESET is not supported", c.Call("CLUSTER", "RESET"));
        Assert.Equal("+OK\r\n", c.Call("CLUSTER", "SAVECONFIG"));
        var myId = c.Call("CLUSTER", "MYID").Split("\r\n")[1];
        Assert.Equal("*0\r\n", c.Call("CLUSTER", "REPLICAS", myId));
        Assert.Equal("-ERR Unknown node 0000\r\n", c.Call("CLUSTER", "REPLICAS", "0000"));
        Assert.StartsWith("*2\r\n*12\r\n$9\r\ndirection\r\n$2\r\nto\r\n$4\r\nnode\r\n$40\r\n", c.Call("CLUSTER", "LINKS"));
        Assert.Equal(":3\r\n", c.Call("DEL", tag + "a", tag + "b", tag + "c"));
    }

    [Fact]
    public void With_cluster_redirects_a_request_for_the_other_nodes_slot_gets_MOVED_and_redis_cli_c_follows_it()
    {
        using var admin = new RawRespClient(fixture.Port);
        var map = Text(admin.Call("CLUSTER", "NODES"));
        var myId = admin.Call("CLUSTER", "MYID").Split("\r\n")[1];
        // a key whose slot the other node owns
        var ranges = map.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Single(l => l.Length > 0 && !l.StartsWith(myId)).Split(' ')[8..];
        int otherSlot = int.Parse(ranges[0].Split('-')[0]);
        var key = KeyInSlot(otherSlot);
        Assert.Equal("+OK\r\n", admin.Call("CONFIG", "SET", "cluster-redirects", "yes"));
        try
        {
            using var c = new RawRespClient(fixture.Ports[0]);
            Assert.Equal($"-MOVED {otherSlot} 127.0.0.1:{fixture.Ports[1]}\r\n", c.Call("SET", key, "v"));
            Assert.Equal($"-MOVED {otherSlot} 127.0.0.1:{fixture.Ports[1]}\r\n", c.Call("EVAL", "return 1", "1", key));
            Assert.Equal("+OK\r\n", c.Call("MULTI"));
            Assert.Equal($"-MOVED {otherSlot} 127.0.0.1:{fixture.Ports[1]}\r\n", c.Call("INCR", key));
            Assert.StartsWith("-EXECABORT", c.Call("EXEC"));
            var (set, code) = RedisCli.Run(fixture.Ports[0], ["-c", "SET", key, "followed"]);
            Assert.Equal(0, code);
            Assert.Contains("OK", set);
            Assert.Equal("followed", RedisCli.Exec(fixture.Ports[1], "GET", key).Trim());
            var (moved, _) = RedisCli.Run(fixture.Ports[0], ["-c", "GET", key]);
            Assert.Equal("followed", moved.Trim());
        }
        finally
        {
            Assert.Equal("+OK\r\n", admin.Call("CONFIG", "SET", "cluster-redirects", "no"));
        }
        // forwarded again, through either gateway
        Assert.Equal("$8\r\nfollowed\r\n", admin.Call("GET", key));
        Assert.Equal(":1\r\n", admin.Call("DEL", key));
    }

    private static string KeyInSlot(int slot)
    {
        for (int i = 0; ; i++)
        {
            var key = $"moved:{i}";
            if (HashSlot.Of(System.Text.Encoding.UTF8.GetBytes(key)) == slot) return key;
        }
    }

    [Fact]
    public void Redis_cli_cluster_check_and_info_report_every_slot_covered()
    {
        var (check, code) = RedisCli.Run(fixture.Port, ["--cluster", "check", $"127.0.0.1:{fixture.Port}"]);
        Assert.True(code == 0, check);
        Assert.Contains("[OK] All nodes agree about slots configuration.", check);
        Assert.Contains("[OK] All 16384 slots covered.", check);
        var (info, infoCode) = RedisCli.Run(fixture.Port, ["--cluster", "info", $"127.0.0.1:{fixture.Port}"]);
        Assert.Equal(0, infoCode);
        Assert.Equal(2, Regex.Matches(info, @"127\.0\.0\.1:\d+ \([0-9a-f]{8}\.\.\.\) -> \d+ keys \| \d+ slots \| 0 slaves\.").Count);
    }

    [Fact]
    public async Task StackExchange_Redis_connects_in_cluster_mode_and_runs_keys_scripts_and_transactions()
    {
        var config = new ConfigurationOptions { AbortOnConnectFail = true };
        foreach (var port in fixture.Ports) config.EndPoints.Add("127.0.0.1", port);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(config);
        Assert.Equal(ServerType.Cluster, redis.GetServer("127.0.0.1", fixture.Ports[0]).ServerType);
        Assert.Equal(2, redis.GetServers().Length);
        var db = redis.GetDatabase();
        var keys = Enumerable.Range(0, 500).Select(i => (RedisKey)$"se:cluster:{i}").ToArray();
        await Task.WhenAll(keys.Select((k, i) => db.StringSetAsync(k, i)));
        var values = await Task.WhenAll(keys.Select(k => db.StringGetAsync(k)));
        Assert.Equal(Enumerable.Range(0, 500).Select(i => i.ToString()), values.Select(v => v.ToString()));

        var tag = TestValues.Tag();
        var result = await db.ScriptEvaluateAsync("redis.call('SET', KEYS[1], ARGV[1]) return redis.call('INCR', KEYS[2])",
            [tag + "x", tag + "n"], ["1"]);
        Assert.Equal(1, (int)result);
        // StackExchange.Redis refuses a cross-slot script itself; sent raw, the server answers CROSSSLOT
        Assert.Throws<RedisCommandException>(() => db.ScriptEvaluate("return 1", ["{a}x", "{b}y"]));
        var cross = await Assert.ThrowsAsync<RedisServerException>(() => db.ExecuteAsync("EVAL", "return 1", "2", "{a}x", "{b}y"));
        Assert.Equal("CROSSSLOT Keys in request don't hash to the same slot", cross.Message);
        var transaction = db.CreateTransaction();
        var incr = transaction.StringIncrementAsync(tag + "n");
        var get = transaction.StringGetAsync(tag + "x");
        Assert.True(await transaction.ExecuteAsync());
        Assert.Equal(2, await incr);
        Assert.Equal("1", (string?)await get);
        await Task.WhenAll(keys.Select(k => db.KeyDeleteAsync(k)));
    }

    [Fact]
    public void IoRedis_Cluster_and_node_redis_createCluster_connect_and_run_scripts_pipelines_and_transactions()
    {
        var (json, exit) = Infrastructure.NodeClients.Run(output, "cluster-check.mjs", "basic", string.Join(",", fixture.Ports));
        Assert.True(exit == 0, json);
        Assert.Contains("\"ok\":true", json);
    }
}
