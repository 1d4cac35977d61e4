using static OrleansLua.GrainInterfaces.Commands.CommandRouting;
using static OrleansLua.GrainInterfaces.Commands.ResponsePolicy;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // strings
    private static CommandSpec[] StringSpecs() =>
    [
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
        Cmd("lcs", -3, "readonly", Keys(1, 2, 1), Slot, "string", "7.0.0", "Finds the longest common substring."),
    ];

    // bitmaps (string values read bit by bit)
    private static CommandSpec[] BitmapSpecs() =>
    [
        Cmd("setbit", 4, "write denyoom", OneKey, Slot, "bitmap", "2.2.0", "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist."),
        Cmd("getbit", 3, "readonly fast", OneKey, Slot, "bitmap", "2.2.0", "Returns a bit value by offset."),
        Cmd("bitcount", -2, "readonly", OneKey, Slot, "bitmap", "2.6.0", "Counts the number of set bits (population counting) in a string."),
        Cmd("bitpos", -3, "readonly", OneKey, Slot, "bitmap", "2.8.7", "Finds the first set (1) or clear (0) bit in a string."),
        Cmd("bitfield", -2, "write denyoom", OneKey, Slot, "bitmap", "3.2.0", "Performs arbitrary bitfield integer operations on strings."),
        Cmd("bitfield_ro", -2, "readonly fast", OneKey, Slot, "bitmap", "6.0.0", "Performs arbitrary read-only bitfield integer operations on strings."),
        Cmd("bitop", -4, "write denyoom", Keys(2, -1, 1), Slot, "bitmap", "2.6.0", "Performs bitwise operations on multiple strings, and stores the result."),
    ];
}
