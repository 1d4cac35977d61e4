using static OrleansLua.GrainInterfaces.Commands.CommandRouting;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // hashes (flags, arity, since and summaries as Redis 7.0's COMMAND INFO / DOCS report them)
    private static CommandSpec[] HashSpecs() =>
    [
        Cmd("hset", -4, "write denyoom fast", OneKey, Slot, "hash", "2.0.0", "Set the string value of a hash field"),
        Cmd("hsetnx", 4, "write denyoom fast", OneKey, Slot, "hash", "2.0.0", "Set the value of a hash field, only if the field does not exist"),
        Cmd("hmset", -4, "write denyoom fast", OneKey, Slot, "hash", "2.0.0", "Set multiple hash fields to multiple values"),
        Cmd("hget", 3, "readonly fast", OneKey, Slot, "hash", "2.0.0", "Get the value of a hash field"),
        Cmd("hmget", -3, "readonly fast", OneKey, Slot, "hash", "2.0.0", "Get the values of all the given hash fields"),
        Cmd("hgetall", 2, "readonly", OneKey, Slot, "hash", "2.0.0", "Get all the fields and values in a hash"),
        Cmd("hdel", -3, "write fast", OneKey, Slot, "hash", "2.0.0", "Delete one or more hash fields"),
        Cmd("hexists", 3, "readonly fast", OneKey, Slot, "hash", "2.0.0", "Determine if a hash field exists"),
        Cmd("hlen", 2, "readonly fast", OneKey, Slot, "hash", "2.0.0", "Get the number of fields in a hash"),
        Cmd("hkeys", 2, "readonly", OneKey, Slot, "hash", "2.0.0", "Get all the fields in a hash"),
        Cmd("hvals", 2, "readonly", OneKey, Slot, "hash", "2.0.0", "Get all the values in a hash"),
        Cmd("hincrby", 4, "write denyoom fast", OneKey, Slot, "hash", "2.0.0", "Increment the integer value of a hash field by the given number"),
        Cmd("hincrbyfloat", 4, "write denyoom fast", OneKey, Slot, "hash", "2.6.0", "Increment the float value of a hash field by the given amount"),
        Cmd("hstrlen", 3, "readonly fast", OneKey, Slot, "hash", "3.2.0", "Get the length of the value of a hash field"),
        Cmd("hrandfield", -2, "readonly", OneKey, Slot, "hash", "6.2.0", "Get one or multiple random fields from a hash"),
        Cmd("hscan", -3, "readonly", OneKey, Slot, "hash", "2.8.0", "Incrementally iterate hash fields and associated values"),
    ];
}
