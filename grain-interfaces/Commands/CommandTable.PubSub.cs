using static OrleansLua.GrainInterfaces.Commands.CommandRouting;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // Pub/Sub: connection state in the gateway, delivery across the cluster through the hub grain
    private static CommandSpec[] PubSubSpecs() =>
    [
        Cmd("subscribe", -2, "pubsub noscript loading stale", NoKeys, Connection, "pubsub", "2.0.0", "Listens for messages published to channels.", execution: CommandExecution.PubSub, whileSubscribed: true,
            channels: new ChannelArguments(1, -1)),
        Cmd("unsubscribe", -1, "pubsub noscript loading stale", NoKeys, Connection, "pubsub", "2.0.0", "Stops listening to messages posted to channels.", execution: CommandExecution.PubSub, whileSubscribed: true),
        Cmd("psubscribe", -2, "pubsub noscript loading stale", NoKeys, Connection, "pubsub", "2.0.0", "Listens for messages published to channels that match one or more patterns.", execution: CommandExecution.PubSub, whileSubscribed: true,
            channels: new ChannelArguments(1, -1, Patterns: true)),
        Cmd("punsubscribe", -1, "pubsub noscript loading stale", NoKeys, Connection, "pubsub", "2.0.0", "Stops listening to messages published to channels that match one or more patterns.", execution: CommandExecution.PubSub, whileSubscribed: true),
        Cmd("publish", 3, "pubsub loading stale fast may_replicate", NoKeys, Connection, "pubsub", "2.0.0", "Posts a message to a channel.", execution: CommandExecution.PubSub,
            channels: new ChannelArguments(1, 1)),
        // Sharded Pub/Sub (Redis 7): delivered through the channel's slot, so traffic spreads over the silos
        Cmd("ssubscribe", -2, "pubsub noscript loading stale", NoKeys, Connection, "pubsub", "7.0.0", "Listens for messages published to shard channels.", execution: CommandExecution.PubSub, whileSubscribed: true,
            channels: new ChannelArguments(1, -1)),
        Cmd("sunsubscribe", -1, "pubsub noscript loading stale", NoKeys, Connection, "pubsub", "7.0.0", "Stops listening to messages posted to shard channels.", execution: CommandExecution.PubSub, whileSubscribed: true),
        Cmd("spublish", 3, "pubsub loading stale fast may_replicate", NoKeys, Connection, "pubsub", "7.0.0", "Post a message to a shard channel", execution: CommandExecution.PubSub,
            channels: new ChannelArguments(1, 1)),
        Cmd("pubsub", -2, "", NoKeys, Connection, "pubsub", "2.8.0", "A container for Pub/Sub commands.", subcommands:
        [
            Cmd("pubsub|channels", -2, "pubsub loading stale", NoKeys, Connection, "pubsub", "2.8.0", "Returns the active channels.", execution: CommandExecution.PubSub),
            Cmd("pubsub|numsub", -2, "pubsub loading stale", NoKeys, Connection, "pubsub", "2.8.0", "Returns a count of subscribers to channels.", execution: CommandExecution.PubSub),
            Cmd("pubsub|numpat", 2, "pubsub loading stale", NoKeys, Connection, "pubsub", "2.8.0", "Returns a count of unique pattern subscriptions.", execution: CommandExecution.PubSub),
            Cmd("pubsub|shardchannels", -2, "pubsub loading stale", NoKeys, Connection, "pubsub", "7.0.0", "Returns the active shard channels.", execution: CommandExecution.PubSub),
            Cmd("pubsub|shardnumsub", -2, "pubsub loading stale", NoKeys, Connection, "pubsub", "7.0.0", "Returns the count of subscribers of shard channels.", execution: CommandExecution.PubSub),
        ]),
    ];
}
