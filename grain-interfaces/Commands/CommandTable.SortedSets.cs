using static OrleansLua.GrainInterfaces.Commands.CommandRouting;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // sorted sets
    private static CommandSpec[] SortedSetSpecs() =>
    [
        Cmd("zadd", -4, "write denyoom fast", OneKey, Slot, "sorted-set", "1.2.0", "Add one or more members to a sorted set, or update its score if it already exists"),
        Cmd("zincrby", 4, "write denyoom fast", OneKey, Slot, "sorted-set", "1.2.0", "Increment the score of a member in a sorted set"),
        Cmd("zrem", -3, "write fast", OneKey, Slot, "sorted-set", "1.2.0", "Remove one or more members from a sorted set"),
        Cmd("zscore", 3, "readonly fast", OneKey, Slot, "sorted-set", "1.2.0", "Get the score associated with the given member in a sorted set"),
        Cmd("zmscore", -3, "readonly fast", OneKey, Slot, "sorted-set", "6.2.0", "Get the score associated with the given members in a sorted set"),
        Cmd("zcard", 2, "readonly fast", OneKey, Slot, "sorted-set", "1.2.0", "Get the number of members in a sorted set"),
        Cmd("zcount", 4, "readonly fast", OneKey, Slot, "sorted-set", "2.0.0", "Count the members in a sorted set with scores within the given values"),
        Cmd("zlexcount", 4, "readonly fast", OneKey, Slot, "sorted-set", "2.8.9", "Count the number of members in a sorted set between a given lexicographical range"),
        Cmd("zrank", 3, "readonly fast", OneKey, Slot, "sorted-set", "2.0.0", "Determine the index of a member in a sorted set"),
        Cmd("zrevrank", 3, "readonly fast", OneKey, Slot, "sorted-set", "2.0.0", "Determine the index of a member in a sorted set, with scores ordered from high to low"),
        Cmd("zrange", -4, "readonly", OneKey, Slot, "sorted-set", "1.2.0", "Return a range of members in a sorted set"),
        Cmd("zrangebyscore", -4, "readonly", OneKey, Slot, "sorted-set", "1.0.5", "Return a range of members in a sorted set, by score"),
        Cmd("zrevrangebyscore", -4, "readonly", OneKey, Slot, "sorted-set", "2.2.0", "Return a range of members in a sorted set, by score, with scores ordered from high to low"),
        Cmd("zrangebylex", -4, "readonly", OneKey, Slot, "sorted-set", "2.8.9", "Return a range of members in a sorted set, by lexicographical range"),
        Cmd("zrevrangebylex", -4, "readonly", OneKey, Slot, "sorted-set", "2.8.9", "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings."),
        Cmd("zrevrange", -4, "readonly", OneKey, Slot, "sorted-set", "1.2.0", "Return a range of members in a sorted set, by index, with scores ordered from high to low"),
        Cmd("zrangestore", -5, "write denyoom", Keys(1, 2, 1), Slot, "sorted-set", "6.2.0", "Store a range of members from sorted set into another key"),
        Cmd("zremrangebyscore", 4, "write", OneKey, Slot, "sorted-set", "1.2.0", "Remove all members in a sorted set within the given scores"),
        Cmd("zremrangebyrank", 4, "write", OneKey, Slot, "sorted-set", "2.0.0", "Remove all members in a sorted set within the given indexes"),
        Cmd("zremrangebylex", 4, "write", OneKey, Slot, "sorted-set", "2.8.9", "Remove all members in a sorted set between the given lexicographical range"),
        Cmd("zpopmin", -2, "write fast", OneKey, Slot, "sorted-set", "5.0.0", "Remove and return members with the lowest scores in a sorted set"),
        Cmd("zpopmax", -2, "write fast", OneKey, Slot, "sorted-set", "5.0.0", "Remove and return members with the highest scores in a sorted set"),
        Cmd("zmpop", -4, "write", NumKeysThenWhere(1), Slot, "sorted-set", "7.0.0", "Remove and return members with scores in a sorted set"),
        Cmd("zrandmember", -2, "readonly", OneKey, Slot, "sorted-set", "6.2.0", "Get one or multiple random elements from a sorted set"),
        Cmd("zunionstore", -4, "write denyoom", new InputKeysAfterCount(2, hasDestination: true), Slot, "sorted-set", "2.0.0", "Add multiple sorted sets and store the resulting sorted set in a new key"),
        Cmd("zinterstore", -4, "write denyoom", new InputKeysAfterCount(2, hasDestination: true), Slot, "sorted-set", "2.0.0", "Intersect multiple sorted sets and store the resulting sorted set in a new key"),
        Cmd("zdiffstore", -4, "write denyoom", new InputKeysAfterCount(2, hasDestination: true), Slot, "sorted-set", "6.2.0", "Subtract multiple sorted sets and store the resulting sorted set in a new key"),
        Cmd("zunion", -3, "readonly", new InputKeysAfterCount(1, hasDestination: false), Slot, "sorted-set", "6.2.0", "Add multiple sorted sets"),
        Cmd("zinter", -3, "readonly", new InputKeysAfterCount(1, hasDestination: false), Slot, "sorted-set", "6.2.0", "Intersect multiple sorted sets"),
        Cmd("zdiff", -3, "readonly", new InputKeysAfterCount(1, hasDestination: false), Slot, "sorted-set", "6.2.0", "Subtract multiple sorted sets"),
        Cmd("zintercard", -3, "readonly", new InputKeysAfterCount(1, hasDestination: false), Slot, "sorted-set", "7.0.0", "Intersect multiple sorted sets and return the cardinality of the result"),
        Cmd("zscan", -3, "readonly", OneKey, Slot, "sorted-set", "2.8.0", "Incrementally iterate sorted sets elements and associated scores"),
    ];
}
