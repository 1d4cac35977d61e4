using OrleansLua.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit;

namespace OrleansLua.Tests.PubSub;

/// <summary>Pub/Sub across gateways of different silos, RESP2 subscribed mode and RESP3 pushes.</summary>
[Collection(ClusterCollection.Name)]
public class PubSubTests(ClusterFixture fixture)
{
    private static string Channel() => "ch:" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public void Publish_on_one_gateway_reaches_channel_and_pattern_subscribers_on_another()
    {
        var ch = Channel();
        using var subscriber = new RawRespClient(fixture.Ports[0]);
        using var publisher = new RawRespClient(fixture.Ports[1]);
        Assert.Equal($"*3\r\n$9\r\nsubscribe\r\n${ch.Length}\r\n{ch}\r\n:1\r\n", subscriber.Call("SUBSCRIBE", ch));
        Assert.Equal($"*3\r\n$10\r\npsubscribe\r\n${ch.Length - 2}\r\n{ch[..^3]}*\r\n:2\r\n", subscriber.Call("PSUBSCRIBE", ch[..^3] + "*"));
        Assert.Equal(":2\r\n", publisher.Call("PUBLISH", ch, "hello"));
        Assert.Equal($"*3\r\n$7\r\nmessage\r\n${ch.Length}\r\n{ch}\r\n$5\r\nhello\r\n", subscriber.ReadReply());
        Assert.Equal($"*4\r\n$8\r\npmessage\r\n${ch.Length - 2}\r\n{ch[..^3]}*\r\n${ch.Length}\r\n{ch}\r\n$5\r\nhello\r\n", subscriber.ReadReply());
        Assert.Equal(":0\r\n", publisher.Call("PUBLISH", "nobody:" + ch, "x"));
    }

    [Fact]
    public void Resp2_subscribed_mode_allows_only_pubsub_commands_ping_quit_reset()
    {
        var ch = Channel();
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", c.Call("UNSUBSCRIBE"));
        c.Call("SUBSCRIBE", ch);
        Assert.Equal("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", c.Call("GET", "x"));
        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", c.Call("PING"));
        Assert.Equal("*2\r\n$4\r\npong\r\n$2\r\nhi\r\n", c.Call("PING", "hi"));
        Assert.Equal($"*3\r\n$11\r\nunsubscribe\r\n${ch.Length}\r\n{ch}\r\n:0\r\n", c.Call("UNSUBSCRIBE", ch));
        Assert.Equal("$-1\r\n", c.Call("GET", "pubsub:none:" + Guid.NewGuid()));
        c.Call("SUBSCRIBE", ch);
        Assert.Equal("+RESET\r\n", c.Call("RESET"));
        Assert.Equal("+PONG\r\n", c.Call("PING"));
    }

    [Fact]
    public void Resp3_gets_push_frames_and_keeps_every_command()
    {
        var ch = Channel();
        using var c = new RawRespClient(fixture.Port);
        using var publisher = new RawRespClient(fixture.Ports[1]);
        c.Call("HELLO", "3");
        Assert.Equal($">3\r\n$9\r\nsubscribe\r\n${ch.Length}\r\n{ch}\r\n:1\r\n", c.Call("SUBSCRIBE", ch));
        Assert.Equal("_\r\n", c.Call("GET", "pubsub:none:" + Guid.NewGuid()));
        Assert.Equal("+PONG\r\n", c.Call("PING"));
        Assert.Equal(":1\r\n", publisher.Call("PUBLISH", ch, "m"));
        Assert.Equal($">3\r\n$7\r\nmessage\r\n${ch.Length}\r\n{ch}\r\n$1\r\nm\r\n", c.ReadReply());
    }

    [Fact]
    public void Pubsub_introspection_and_cleanup_on_disconnect()
    {
        var ch = Channel();
        using var other = new RawRespClient(fixture.Ports[1]);
        using (var a = new RawRespClient(fixture.Ports[0]))
        using (var b = new RawRespClient(fixture.Ports[1]))
        {
            a.Call("SUBSCRIBE", ch);
            b.Call("SUBSCRIBE", ch);
            Assert.Equal($"*2\r\n${ch.Length}\r\n{ch}\r\n:2\r\n", other.Call("PUBSUB", "NUMSUB", ch));
            Assert.Contains($"${ch.Length}\r\n{ch}\r\n", other.Call("PUBSUB", "CHANNELS", "ch:*"));
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string reply;
        do reply = other.Call("PUBSUB", "NUMSUB", ch); while (reply != $"*2\r\n${ch.Length}\r\n{ch}\r\n:0\r\n" && DateTime.UtcNow < deadline);
        Assert.Equal($"*2\r\n${ch.Length}\r\n{ch}\r\n:0\r\n", reply);
        Assert.Matches(@"^:\d+\r\n$", other.Call("PUBSUB", "NUMPAT"));
    }

    [Fact]
    public async Task StackExchange_redis_subscriber_receives_messages_published_on_another_silo()
    {
        var ch = RedisChannel.Literal(Channel());
        await using var subscriberMux = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Ports[0]}");
        await using var publisherMux = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{fixture.Ports[1]}");
        var received = new List<string>();
        var all = new TaskCompletionSource();
        // A ChannelMessageQueue hands messages over in order (plain handlers may run concurrently).
        var queue = await subscriberMux.GetSubscriber().SubscribeAsync(ch);
        queue.OnMessage(message =>
        {
            lock (received)
            {
                received.Add(message.Message!);
                if (received.Count == 100) all.TrySetResult();
            }
        });
        for (int i = 0; i < 100; i++) Assert.Equal(1, await publisherMux.GetSubscriber().PublishAsync(ch, i.ToString()));
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (received) Assert.Equal(Enumerable.Range(0, 100).Select(i => i.ToString()), received);
    }
}
