using static OrleansLua.GrainInterfaces.Commands.CommandRouting;
using static OrleansLua.GrainInterfaces.Commands.ResponsePolicy;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // generic keyspace commands and the whole-keyspace (fan-out) ones
    private static CommandSpec[] KeyspaceSpecs() =>
    [
        Cmd("del", -2, "write", Keys(1, -1, 1), SplitBySlot, "generic", "1.0.0", "Deletes one or more keys.", AggSum),
        Cmd("unlink", -2, "write fast", Keys(1, -1, 1), SplitBySlot, "generic", "4.0.0", "Asynchronously deletes one or more keys.", AggSum),
        Cmd("exists", -2, "readonly fast", Keys(1, -1, 1), SplitBySlot, "generic", "1.0.0", "Determines whether one or more keys exist.", AggSum),
        Cmd("touch", -2, "readonly fast", Keys(1, -1, 1), SplitBySlot, "generic", "3.2.1", "Returns the number of existing keys out of those specified after updating the time they were last accessed.", AggSum),
        Cmd("type", 2, "readonly fast", OneKey, Slot, "generic", "1.0.0", "Determines the type of value stored at a key."),
        Cmd("expire", -3, "write fast", OneKey, Slot, "generic", "1.0.0", "Sets the expiration time of a key in seconds."),
        Cmd("pexpire", -3, "write fast", OneKey, Slot, "generic", "2.6.0", "Sets the expiration time of a key in milliseconds."),
        Cmd("expireat", -3, "write fast", OneKey, Slot, "generic", "1.2.0", "Sets the expiration time of a key to a Unix timestamp."),
        Cmd("pexpireat", -3, "write fast", OneKey, Slot, "generic", "2.6.0", "Sets the expiration time of a key to a Unix milliseconds timestamp."),
        Cmd("ttl", 2, "readonly fast", OneKey, Slot, "generic", "1.0.0", "Returns the expiration time in seconds of a key."),
        Cmd("pttl", 2, "readonly fast", OneKey, Slot, "generic", "2.6.0", "Returns the expiration time in milliseconds of a key."),
        Cmd("expiretime", 2, "readonly fast", OneKey, Slot, "generic", "7.0.0", "Returns the expiration time of a key as a Unix timestamp."),
        Cmd("pexpiretime", 2, "readonly fast", OneKey, Slot, "generic", "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp."),
        Cmd("persist", 2, "write fast", OneKey, Slot, "generic", "2.2.0", "Removes the expiration time of a key."),
        Cmd("rename", 3, "write", Keys(1, 2, 1), Slot, "generic", "1.0.0", "Renames a key and overwrites the destination."),
        Cmd("renamenx", 3, "write fast", Keys(1, 2, 1), Slot, "generic", "1.0.0", "Renames a key only when the target key name doesn't exist."),
        Cmd("sort", -2, "write denyoom @set @sortedset @list @dangerous -@keyspace", new SortKeys(), Slot, "generic", "1.0.0",
            "Sorts the elements in a list, a set, or a sorted set, optionally storing the result."),
        Cmd("sort_ro", -2, "readonly @set @sortedset @list @dangerous -@keyspace", OneKey, Slot, "generic", "7.0.0",
            "Returns the sorted elements of a list, a set, or a sorted set."),
        Cmd("copy", -3, "write denyoom", Keys(1, 2, 1), Slot, "generic", "6.2.0", "Copies the value of a key to a new key."),
        Cmd("object", -2, "", NoKeys, Slot, "generic", "2.2.3", "A container for object introspection commands.", subcommands:
        [
            Cmd("object|encoding", 3, "readonly", Keys(2, 2, 1), Slot, "generic", "2.2.3", "Returns the internal encoding of a Redis object."),
            Cmd("object|refcount", 3, "readonly", Keys(2, 2, 1), Slot, "generic", "2.2.3", "Returns the reference count of a value of a key."),
            Cmd("object|idletime", 3, "readonly", Keys(2, 2, 1), Slot, "generic", "2.2.3", "Returns the time since the last access to a Redis object."),
            Cmd("object|freq", 3, "readonly", Keys(2, 2, 1), Slot, "generic", "4.0.0", "Returns the logarithmic access frequency counter of a Redis object."),
        ]),
        Cmd("dbsize", 1, "readonly fast @keyspace", NoKeys, AllSlots, "server", "1.0.0", "Returns the number of keys in the database.", AggSum),
        Cmd("keys", 2, "readonly @dangerous", NoKeys, AllSlots, "generic", "1.0.0", "Returns all key names that match a pattern.", Concat),
        Cmd("scan", -2, "readonly", NoKeys, AllSlots, "generic", "2.8.0", "Iterates over the key names in the database.", Special),
        Cmd("randomkey", 1, "readonly", NoKeys, AllSlots, "generic", "1.0.0", "Returns a random key name from the database.", Special),
        Cmd("flushall", -1, "write @keyspace @dangerous", NoKeys, AllSlots, "server", "1.0.0", "Removes all keys from all databases.", AllSucceeded),
        Cmd("flushdb", -1, "write @keyspace @dangerous", NoKeys, AllSlots, "server", "1.0.0", "Remove all keys from the current database.", AllSucceeded),
    ];
}
