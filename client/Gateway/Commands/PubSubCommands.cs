using OrleansLua.GrainInterfaces;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// PUBLISH / SPUBLISH and PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB. Channels are
/// counted by the Pub/Sub hub grain, shard channels by their slot's grain. (Subscriptions are the
/// connection's: RespConnection.PubSub.)
/// </summary>
public static class PubSubCommands
{
    public static void Register(GatewayHandlers handlers)
    {
        handlers.Add("publish", async c => c.Reply.WriteInteger(await c.Gateway.PubSub.PublishAsync(c.Args[1], c.Args[2])));
        handlers.Add("spublish", async c =>
        {
            if (ShardChannelsRefusal(c.Gateway.Router, c.Args[1..2]) is { } moved) c.Reply.WriteError(moved);
            else c.Reply.WriteInteger(await c.Gateway.PubSub.PublishShardAsync(c.Args[1], c.Args[2]));
        });
        handlers.Add("pubsub|channels", async c =>
        {
            var channels = await c.Gateway.PubSubHub.Channels(c.Args.Length > 2 ? c.Args[2] : null);
            c.Reply.WriteArrayHeader(channels.Length);
            foreach (var channel in channels) c.Reply.WriteBulk(channel);
        });
        handlers.Add("pubsub|numsub", async c =>
        {
            var channels = c.Args[2..];
            var counts = await c.Gateway.PubSubHub.NumSub(channels);
            c.Reply.WriteMapHeader(channels.Length);
            for (int i = 0; i < channels.Length; i++)
            {
                c.Reply.WriteBulk(channels[i]);
                c.Reply.WriteInteger(counts[i]);
            }
        });
        handlers.Add("pubsub|numpat", async c => c.Reply.WriteInteger(await c.Gateway.PubSubHub.NumPat()));
        handlers.Add("pubsub|shardchannels", ShardChannelsAsync);
        handlers.Add("pubsub|shardnumsub", ShardNumSubAsync);
    }

    private static async Task ShardChannelsAsync(GatewayCall c)
    {
        var router = c.Gateway.Router;
        var slots = await router.ActiveSlotsAsync();
        var counts = await Task.WhenAll(slots.Select(s => router.FanOutCall(s, "pubsub|shardchannels",
            router.Read(s, "PUBSUB SHARDCHANNELS", g => g.ShardChannels()))));
        var channels = counts.SelectMany(c => c).Select(c => c.Channel)
            .Where(channel => c.Args.Length < 3 || GlobPattern.IsMatch(c.Args[2], channel)).ToList();
        c.Reply.WriteArrayHeader(channels.Count);
        foreach (var channel in channels) c.Reply.WriteBulk(channel);
    }

    private static async Task ShardNumSubAsync(GatewayCall c)
    {
        var channels = c.Args[2..];
        c.Reply.WriteMapHeader(channels.Length);
        foreach (var channel in channels)
        {
            var counts = await c.Gateway.Router.Read(HashSlot.Of(channel), "PUBSUB SHARDNUMSUB", g => g.ShardChannels());
            c.Reply.WriteBulk(channel);
            c.Reply.WriteInteger(counts.FirstOrDefault(s => s.Channel.AsSpan().SequenceEqual(channel))?.Subscribers ?? 0);
        }
    }

    /// <summary>Shard channels of one command must share a slot (CROSSSLOT), and with cluster-redirects be this node's.</summary>
    public static string? ShardChannelsRefusal(SlotRouter router, byte[][] channels)
    {
        int slot = HashSlot.Of(channels[0]);
        if (channels.Any(c => HashSlot.Of(c) != slot)) return SlotRouter.CrossSlotError;
        return router.Redirect(slot);
    }
}
