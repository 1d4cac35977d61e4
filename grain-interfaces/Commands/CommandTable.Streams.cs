using static OrleansLua.GrainInterfaces.Commands.CommandRouting;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // streams
    private static CommandSpec[] StreamSpecs() =>
    [
        Cmd("xadd", -5, "write denyoom fast", OneKey, Slot, "stream", "5.0.0", "Appends a new message to a stream. Creates the key if it doesn't exist."),
        Cmd("xlen", 2, "readonly fast", OneKey, Slot, "stream", "5.0.0", "Return the number of messages in a stream."),
        Cmd("xrange", -4, "readonly", OneKey, Slot, "stream", "5.0.0", "Returns the messages from a stream within a range of IDs."),
        Cmd("xrevrange", -4, "readonly", OneKey, Slot, "stream", "5.0.0", "Returns the messages from a stream within a range of IDs in reverse order."),
        Cmd("xdel", -3, "write fast", OneKey, Slot, "stream", "5.0.0", "Returns the number of messages after removing them from a stream."),
        Cmd("xtrim", -4, "write", OneKey, Slot, "stream", "5.0.0", "Deletes messages from the beginning of a stream."),
        Cmd("xsetid", -3, "write denyoom fast", OneKey, Slot, "stream", "5.0.0", "An internal command for replicating stream values."),
        Cmd("xread", -4, "readonly blocking", new StreamReadKeys(), Slot, "stream", "5.0.0", "Returns messages from multiple streams with IDs greater than the ones requested. Blocks until a message is available otherwise.", timeout: TimeoutArgument.BlockKeyword),
        Cmd("xreadgroup", -7, "write blocking", new StreamReadKeys(), Slot, "stream", "5.0.0", "Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is available otherwise.", timeout: TimeoutArgument.BlockKeyword),
        Cmd("xack", -4, "write fast", OneKey, Slot, "stream", "5.0.0", "Returns the number of messages that were successfully acknowledged by the consumer group member of a stream."),
        Cmd("xpending", -3, "readonly", OneKey, Slot, "stream", "5.0.0", "Returns the information and entries from a stream consumer group's pending entries list."),
        Cmd("xclaim", -6, "write fast", OneKey, Slot, "stream", "5.0.0", "Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a consumer group member."),
        Cmd("xautoclaim", -6, "write fast", OneKey, Slot, "stream", "6.2.0", "Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to as consumer group member."),
        Cmd("xgroup", -2, "", NoKeys, Connection, "stream", "5.0.0", "A container for consumer groups commands.", subcommands:
        [
            Cmd("xgroup|create", -5, "write denyoom", SubcommandKey, Slot, "stream", "5.0.0", "Creates a consumer group."),
            Cmd("xgroup|setid", -5, "write", SubcommandKey, Slot, "stream", "5.0.0", "Sets the last-delivered ID of a consumer group."),
            Cmd("xgroup|destroy", 4, "write", SubcommandKey, Slot, "stream", "5.0.0", "Destroys a consumer group."),
            Cmd("xgroup|createconsumer", 5, "write denyoom", SubcommandKey, Slot, "stream", "6.2.0", "Creates a consumer in a consumer group."),
            Cmd("xgroup|delconsumer", 5, "write", SubcommandKey, Slot, "stream", "5.0.0", "Deletes a consumer from a consumer group."),
            Cmd("xgroup|help", 2, "loading stale", NoKeys, Connection, "stream", "5.0.0", "Returns helpful text about the different subcommands."),
        ]),
        Cmd("xinfo", -2, "", NoKeys, Connection, "stream", "5.0.0", "A container for stream introspection commands.", subcommands:
        [
            Cmd("xinfo|stream", -3, "readonly", SubcommandKey, Slot, "stream", "5.0.0", "Returns information about a stream."),
            Cmd("xinfo|groups", 3, "readonly", SubcommandKey, Slot, "stream", "5.0.0", "Returns a list of the consumer groups of a stream."),
            Cmd("xinfo|consumers", 4, "readonly", SubcommandKey, Slot, "stream", "5.0.0", "Returns a list of the consumers in a consumer group."),
            Cmd("xinfo|help", 2, "loading stale", NoKeys, Connection, "stream", "5.0.0", "Returns helpful text about the different subcommands."),
        ]),
    ];

    /// <summary>XGROUP / XINFO subcommands: the key follows the subcommand name.</summary>
    private static KeySpec SubcommandKey => new RangeKeys(2, 2, 1);
}
