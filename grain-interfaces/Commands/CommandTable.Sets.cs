using static OrleansLua.GrainInterfaces.Commands.CommandRouting;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // sets (flags, arity, since and summaries as Redis 7.0's COMMAND INFO / DOCS report them)
    private static CommandSpec[] SetSpecs() =>
    [
        Cmd("sadd", -3, "write denyoom fast", OneKey, Slot, "set", "1.0.0", "Add one or more members to a set"),
        Cmd("srem", -3, "write fast", OneKey, Slot, "set", "1.0.0", "Remove one or more members from a set"),
        Cmd("smembers", 2, "readonly", OneKey, Slot, "set", "1.0.0", "Get all the members in a set"),
        Cmd("sismember", 3, "readonly fast", OneKey, Slot, "set", "1.0.0", "Determine if a given value is a member of a set"),
        Cmd("smismember", -3, "readonly fast", OneKey, Slot, "set", "6.2.0", "Returns the membership associated with the given elements for a set"),
        Cmd("scard", 2, "readonly fast", OneKey, Slot, "set", "1.0.0", "Get the number of members in a set"),
        Cmd("spop", -2, "write fast", OneKey, Slot, "set", "1.0.0", "Remove and return one or multiple random members from a set"),
        Cmd("srandmember", -2, "readonly", OneKey, Slot, "set", "1.0.0", "Get one or multiple random members from a set"),
        Cmd("smove", 4, "write fast", Keys(1, 2, 1), Slot, "set", "1.0.0", "Move a member from one set to another"),
        Cmd("sinter", -2, "readonly", Keys(1, -1, 1), Slot, "set", "1.0.0", "Intersect multiple sets"),
        Cmd("sinterstore", -3, "write denyoom", Keys(1, -1, 1), Slot, "set", "1.0.0", "Intersect multiple sets and store the resulting set in a key"),
        Cmd("sunion", -2, "readonly", Keys(1, -1, 1), Slot, "set", "1.0.0", "Add multiple sets"),
        Cmd("sunionstore", -3, "write denyoom", Keys(1, -1, 1), Slot, "set", "1.0.0", "Add multiple sets and store the resulting set in a key"),
        Cmd("sdiff", -2, "readonly", Keys(1, -1, 1), Slot, "set", "1.0.0", "Subtract multiple sets"),
        Cmd("sdiffstore", -3, "write denyoom", Keys(1, -1, 1), Slot, "set", "1.0.0", "Subtract multiple sets and store the resulting set in a key"),
        Cmd("sintercard", -3, "readonly", NumKeys(1), Slot, "set", "7.0.0", "Intersect multiple sets and return the cardinality of the result"),
        Cmd("sscan", -3, "readonly", OneKey, Slot, "set", "2.8.0", "Incrementally iterate Set elements"),
    ];
}
