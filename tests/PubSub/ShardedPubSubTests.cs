using OrleansLua.GrainInterfaces;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.PubSub;

/// <summary>
/// Redis 7's sharded Pub/Sub: SSUBSCRIBE / SUNSUBSCRIBE / SPUBLISH / PUBSUB SHARDCHANNELS and SHARDNUMSUB, routed
/// by the channel's slot (its grain keeps the subscribers), with Redis 7.0.15's replies.
/// </summary>
[Collection(ClusterCollection.Name)]
public class ShardedPubSubTests(ClusterFixture fixture)
{
    private static string Channel() => "sch:" + Guid.NewGuid().ToString("N")[..10];

    private static string Bulk(string s) => $"${s.Length}\r\n{s}\r\n";

    [Fact]
    public void Spublish_on_one_gateway_reaches_shard_subscribers_on_another_and_not_plain_ones()
    {
        var ch = Channel();
        using var subscriber = new RawRespClient(fixture.Ports[0]);
        using var plain = new RawRespClient(fixture.Ports[0]);
        using var publisher = new RawRespClient(fixture.Ports[1]);
        Assert.Equal($"*3\r\n$10\r\nssubscribe\r\n{Bulk(ch)}:1\r\n", subscriber.Call("SSUBSCRIBE", ch));
        // channels and patterns are counted apart from shard channels, as in Redis
        Assert.Equal($"*3\r\n$9\r\nsubscribe\r\n{Bulk(ch)}:1\r\n", subscriber.Call("SUBSCRIBE", ch));
        Assert.Equal($"*3\r\n$9\r\nsubscribe\r\n{Bulk(ch)}:1\r\n", plain.Call("SUBSCRIBE", ch));
        Assert.Equal(":1\r\n", publisher.Call("SPUBLISH", ch, "sharded"));
        Assert.Equal($"*3\r\n$8\r\nsmessage\r\n{Bulk(ch)}$7\r\nsharded\r\n", subscriber.ReadReply());
        Assert.Equal(":2\r\n", publisher.Call("PUBLISH", ch, "global"));
        Assert.Equal($"*3\r\n$7\r\nmessage\r\n{Bulk(ch)}$6\r\nglobal\r\n", subscriber.ReadReply());
        Assert.Equal($"*3\r\n$7\r\nmessage\r\n{Bulk(ch)}$6\r\nglobal\r\n", plain.ReadReply());
        Assert.Equal(":0\r\n", publisher.Call("SPUBLISH", "nobody:" + ch, "x"));

        Assert.Contains(Bulk(ch), publisher.Call("PUBSUB", "SHARDCHANNELS"));
        Assert.Equal($"*1\r\n{Bulk(ch)}", publisher.Call("PUBSUB", "SHARDCHANNELS", ch));
        Assert.Equal($"*4\r\n{Bulk(ch)}:1\r\n$7\r\nnothere\r\n:0\r\n", publisher.Call("PUBSUB", "SHARDNUMSUB", ch, "nothere"));

        Assert.Equal($"*3\r\n$12\r\nsunsubscribe\r\n{Bulk(ch)}:0\r\n", subscriber.Call("SUNSUBSCRIBE", ch));
        Assert.Equal(":0\r\n", publisher.Call("SPUBLISH", ch, "after"));
        Assert.Equal($"*2\r\n{Bulk(ch)}:0\r\n", publisher.Call("PUBSUB", "SHARDNUMSUB", ch));
    }

    [Fact]
    public void Shard_channels_of_one_command_share_a_slot_and_resp2_subscribed_mode_allows_the_s_commands()
    {
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("-CROSSSLOT Keys in request don't hash to the same slot\r\n", c.Call("SSUBSCRIBE", "{a}x", "{b}y"));
        Assert.Equal("*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n", c.Call("SUNSUBSCRIBE"));
        var tag = "{" + Guid.NewGuid().ToString("N")[..8] + "}";
        c.SendRaw(RawRespClient.Encode("SSUBSCRIBE", tag + "1", tag + "2"));
        Assert.Equal($"*3\r\n$10\r\nssubscribe\r\n{Bulk(tag + "1")}:1\r\n", c.ReadReply());
        Assert.Equal($"*3\r\n$10\r\nssubscribe\r\n{Bulk(tag + "2")}:2\r\n", c.ReadReply());
        Assert.Equal("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", c.Call("GET", "x"));
        Assert.Contains($"ssub=2", new RawRespClient(fixture.Port).Call("CLIENT", "LIST"));
        c.SendRaw(RawRespClient.Encode("SUNSUBSCRIBE"));
        var first = c.ReadReply();
        var second = c.ReadReply();
        Assert.Equal(new[] { $"*3\r\n$12\r\nsunsubscribe\r\n{Bulk(tag + "1")}", $"*3\r\n$12\r\nsunsubscribe\r\n{Bulk(tag + "2")}" }.Order(),
            new[] { first[..^4], second[..^4] }.Order());
        Assert.Equal("$-1\r\n", c.Call("GET", "pubsub:none:" + Guid.NewGuid()));
    }

    [Fact]
    public void With_cluster_redirects_a_shard_channel_of_another_node_gets_MOVED()
    {
        using var admin = new RawRespClient(fixture.Port);
        var myId = admin.Call("CLUSTER", "MYID").Split("\r\n")[1];
        var nodes = admin.Call("CLUSTER", "NODES");
        var other = nodes.Split('\n').Single(l => l.Length > 40 && !l.Contains(myId) && l.Contains("master")).Split(' ')[8].Split('-')[0];
        int slot = int.Parse(other);
        string channel = Enumerable.Range(0, int.MaxValue).Select(i => $"moved-ch:{i}").First(c => HashSlot.Of(System.Text.Encoding.UTF8.GetBytes(c)) == slot);
        Assert.Equal("+OK\r\n", admin.Call("CONFIG", "SET", "cluster-redirects", "yes"));
        try
        {
            Assert.Equal($"-MOVED {slot} 127.0.0.1:{fixture.Ports[1]}\r\n", admin.Call("SSUBSCRIBE", channel));
            Assert.Equal($"-MOVED {slot} 127.0.0.1:{fixture.Ports[1]}\r\n", admin.Call("SPUBLISH", channel, "x"));
            using var owner = new RawRespClient(fixture.Ports[1]);
            Assert.Equal(":0\r\n", owner.Call("SPUBLISH", channel, "x"));
        }
        finally
        {
            Assert.Equal("+OK\r\n", admin.Call("CONFIG", "SET", "cluster-redirects", "no"));
        }
    }
}
