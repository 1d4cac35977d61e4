using static OrleansLua.GrainInterfaces.Commands.CommandRouting;
using static OrleansLua.GrainInterfaces.Commands.ResponsePolicy;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    private static CommandSpec[] Build() =>
    [
        // ---- strings
        Cmd("get", 2, "readonly fast", OneKey, Slot, "string", "1.0.0", "Returns the string value of a key."),
        Cmd("set", -3, "write denyoom", OneKey, Slot, "string", "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist."),
        Cmd("setnx", 3, "write denyoom fast", OneKey, Slot, "string", "1.0.0", "Set the string value of a key only when the key doesn't exist."),
        Cmd("setex", 4, "write denyoom", OneKey, Slot, "string", "2.0.0", "Sets the string value and expiration time of a key. Creates the key if it doesn't exist."),
        Cmd("psetex", 4, "write denyoom", OneKey, Slot, "string", "2.6.0", "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist."),
        Cmd("getset", 3, "write denyoom fast", OneKey, Slot, "string", "1.0.0", "Returns the previous string value of a key after setting it to a new value."),
        Cmd("getdel", 2, "write fast", OneKey, Slot, "string", "6.2.0", "Returns the string value of a key after deleting the key."),
        Cmd("getex", -2, "write fast", OneKey, Slot, "string", "6.2.0", "Returns the string value of a key after setting its expiration time."),
        Cmd("mget", -2, "readonly fast", Keys(1, -1, 1), SplitBySlot, "string", "1.0.0", "Atomically returns the string values of one or more keys.", Concat),
        Cmd("mset", -3, "write denyoom", Keys(1, -1, 2), Slot, "string", "1.0.1", "Atomically creates or modifies the string values of one or more keys."),
        Cmd("msetnx", -3, "write denyoom", Keys(1, -1, 2), Slot, "string", "1.0.1", "Atomically modifies the string values of one or more keys only when all keys don't exist."),
        Cmd("incr", 2, "write denyoom fast", OneKey, Slot, "string", "1.0.0", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."),
        Cmd("incrby", 3, "write denyoom fast", OneKey, Slot, "string", "1.0.0", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist."),
        Cmd("decr", 2, "write denyoom fast", OneKey, Slot, "string", "1.0.0", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."),
        Cmd("decrby", 3, "write denyoom fast", OneKey, Slot, "string", "1.0.0", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist."),
        Cmd("incrbyfloat", 3, "write denyoom fast", OneKey, Slot, "string", "2.6.0", "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist."),
        Cmd("append", 3, "write denyoom fast", OneKey, Slot, "string", "2.0.0", "Appends a string to the value of a key. Creates the key if it doesn't exist."),
        Cmd("strlen", 2, "readonly fast", OneKey, Slot, "string", "2.2.0", "Returns the length of a string value."),
        Cmd("getrange", 4, "readonly", OneKey, Slot, "string", "2.4.0", "Returns a substring of the string stored at a key."),
        Cmd("setrange", 4, "write denyoom", OneKey, Slot, "string", "2.2.0", "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist."),

        // ---- generic keyspace
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
        Cmd("dbsize", 1, "readonly fast", NoKeys, AllSlots, "server", "1.0.0", "Returns the number of keys in the database.", AggSum),
        Cmd("keys", 2, "readonly", NoKeys, AllSlots, "generic", "1.0.0", "Returns all key names that match a pattern.", Concat),
        Cmd("scan", -2, "readonly", NoKeys, AllSlots, "generic", "2.8.0", "Iterates over the key names in the database.", Special),
        Cmd("randomkey", 1, "readonly", NoKeys, AllSlots, "generic", "1.0.0", "Returns a random key name from the database.", Special),
        Cmd("flushall", -1, "write", NoKeys, AllSlots, "server", "1.0.0", "Removes all keys from all databases.", AllSucceeded),
        Cmd("flushdb", -1, "write", NoKeys, AllSlots, "server", "1.0.0", "Remove all keys from the current database.", AllSucceeded),

        // ---- scripting
        Cmd("eval", -3, "noscript skip_monitor may_replicate no_mandatory_keys stale", ScriptKeys, Slot, "scripting", "2.6.0", "Executes a server-side Lua script."),
        Cmd("evalsha", -3, "noscript skip_monitor may_replicate no_mandatory_keys stale", ScriptKeys, Slot, "scripting", "2.6.0", "Executes a server-side Lua script by SHA1 digest."),
        Cmd("eval_ro", -3, "readonly noscript skip_monitor no_mandatory_keys stale", ScriptKeys, Slot, "scripting", "7.0.0", "Executes a read-only server-side Lua script."),
        Cmd("evalsha_ro", -3, "readonly noscript skip_monitor no_mandatory_keys stale", ScriptKeys, Slot, "scripting", "7.0.0", "Executes a read-only server-side Lua script by SHA1 digest."),
        Cmd("script", -2, "", NoKeys, Connection, "scripting", "2.6.0", "A container for Lua scripts management commands.", subcommands:
        [
            Cmd("script|load", 3, "noscript stale", NoKeys, Connection, "scripting", "2.6.0", "Loads a server-side Lua script to the script cache."),
            Cmd("script|exists", -3, "noscript", NoKeys, Connection, "scripting", "2.6.0", "Determines whether server-side Lua scripts exist in the script cache."),
            Cmd("script|flush", -2, "noscript", NoKeys, Connection, "scripting", "2.6.0", "Removes all server-side Lua scripts from the script cache."),
            Cmd("script|kill", 2, "noscript allow_busy", NoKeys, Connection, "scripting", "2.6.0", "Terminates a server-side Lua script during execution."),
            Cmd("script|help", 2, "noscript loading stale", NoKeys, Connection, "scripting", "5.0.0", "Returns helpful text about the different subcommands."),
        ]),

        // ---- connection
        Cmd("ping", -1, "fast", NoKeys, Connection, "connection", "1.0.0", "Returns the server's liveliness response."),
        Cmd("echo", 2, "fast", NoKeys, Connection, "connection", "1.0.0", "Returns the given string."),
        Cmd("quit", -1, "noscript loading stale fast no_auth allow_busy", NoKeys, Connection, "connection", "1.0.0", "Closes the connection."),
        Cmd("hello", -1, "noscript loading stale fast no_auth allow_busy", NoKeys, Connection, "connection", "6.0.0", "Handshakes with the Redis server."),
        Cmd("select", 2, "loading stale fast", NoKeys, Connection, "connection", "1.0.0", "Changes the selected database."),
        Cmd("reset", 1, "noscript loading stale fast no_auth allow_busy", NoKeys, Connection, "connection", "6.2.0", "Resets the connection."),
        Cmd("client", -2, "", NoKeys, Connection, "connection", "2.4.0", "A container for client connection commands.", subcommands:
        [
            Cmd("client|setname", 3, "noscript loading stale", NoKeys, Connection, "connection", "2.6.9", "Sets the connection name."),
            Cmd("client|getname", 2, "noscript loading stale", NoKeys, Connection, "connection", "2.6.9", "Returns the name of the connection."),
            Cmd("client|id", 2, "noscript loading stale", NoKeys, Connection, "connection", "5.0.0", "Returns the unique client ID of the connection."),
            Cmd("client|info", 2, "noscript loading stale", NoKeys, Connection, "connection", "6.2.0", "Returns information about the connection."),
            Cmd("client|list", -2, "admin noscript loading stale", NoKeys, Connection, "connection", "2.4.0", "Lists open connections."),
            Cmd("client|setinfo", 4, "noscript loading stale", NoKeys, Connection, "connection", "7.2.0", "Sets information specific to the client or connection."),
            Cmd("client|no-evict", 3, "admin noscript loading stale", NoKeys, Connection, "connection", "7.0.0", "Sets the client eviction mode of the connection."),
            Cmd("client|help", 2, "loading stale", NoKeys, Connection, "connection", "5.0.0", "Returns helpful text about the different subcommands."),
        ]),

        // ---- server
        Cmd("info", -1, "loading stale", NoKeys, Connection, "server", "1.0.0", "Returns information and statistics about the server."),
        Cmd("time", 1, "loading stale fast", NoKeys, Connection, "server", "2.6.0", "Returns the server time."),
        Cmd("command", -1, "loading stale", NoKeys, Connection, "server", "2.8.13", "Returns detailed information about all commands.", subcommands:
        [
            Cmd("command|count", 2, "loading stale", NoKeys, Connection, "server", "2.8.13", "Returns a count of commands."),
            Cmd("command|info", -2, "loading stale", NoKeys, Connection, "server", "2.8.13", "Returns information about one, multiple or all commands."),
            Cmd("command|docs", -2, "loading stale", NoKeys, Connection, "server", "7.0.0", "Returns documentary information about one, multiple or all commands."),
            Cmd("command|list", -2, "loading stale", NoKeys, Connection, "server", "7.0.0", "Returns a list of command names."),
            Cmd("command|getkeys", -3, "loading stale", NoKeys, Connection, "server", "2.8.13", "Extracts the key names from an arbitrary command."),
            Cmd("command|help", 2, "loading stale", NoKeys, Connection, "server", "5.0.0", "Returns helpful text about the different subcommands."),
        ]),
        Cmd("config", -2, "", NoKeys, Connection, "server", "2.0.0", "A container for server configuration commands.", subcommands:
        [
            Cmd("config|get", -3, "admin noscript loading stale", NoKeys, Connection, "server", "2.0.0", "Returns the effective values of configuration parameters."),
            Cmd("config|set", -4, "admin noscript loading stale", NoKeys, Connection, "server", "2.0.0", "Sets configuration parameters in-flight."),
            Cmd("config|resetstat", 2, "admin noscript loading stale", NoKeys, Connection, "server", "2.0.0", "Resets the server's statistics."),
            Cmd("config|help", 2, "loading stale", NoKeys, Connection, "server", "5.0.0", "Returns helpful text about the different subcommands."),
        ]),

        // ---- cluster
        Cmd("cluster", -2, "", NoKeys, Connection, "cluster", "3.0.0", "A container for Redis Cluster commands.", subcommands:
        [
            Cmd("cluster|keyslot", 3, "stale", NoKeys, Connection, "cluster", "3.0.0", "Returns the hash slot for a key."),
            Cmd("cluster|info", 2, "stale", NoKeys, Connection, "cluster", "3.0.0", "Returns information about the state of a node."),
            Cmd("cluster|help", 2, "loading stale", NoKeys, Connection, "cluster", "5.0.0", "Returns helpful text about the different subcommands."),
        ]),
        Cmd("readonly", 1, "loading stale fast", NoKeys, Connection, "cluster", "3.0.0", "Enables read-only queries for a connection to a Redis Cluster replica node."),
        Cmd("readwrite", 1, "loading stale fast", NoKeys, Connection, "cluster", "3.0.0", "Enables read-write queries for a connection to a Reids Cluster replica node."),
    ];
}
