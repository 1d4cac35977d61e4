using static OrleansLua.GrainInterfaces.Commands.CommandRouting;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // Blocking pops: the gateway waits (BlockingTimeout), the slot's grain queues and serves the client
    private static CommandSpec[] BlockingSpecs() =>
    [
        Cmd("blpop", -3, "write noscript blocking", Keys(1, -2, 1), Slot, "list", "2.0.0", "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", timeout: TimeoutArgument.LastSeconds),
        Cmd("brpop", -3, "write noscript blocking", Keys(1, -2, 1), Slot, "list", "2.0.0", "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", timeout: TimeoutArgument.LastSeconds),
        Cmd("blmove", 6, "write denyoom noscript blocking", Keys(1, 2, 1), Slot, "list", "6.2.0", "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.", timeout: TimeoutArgument.LastSeconds),
        Cmd("brpoplpush", 4, "write denyoom noscript blocking", Keys(1, 2, 1), Slot, "list", "2.2.0", "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.", timeout: TimeoutArgument.LastSeconds),
        Cmd("blmpop", -5, "write blocking", NumKeysThenWhere(2), Slot, "list", "7.0.0", "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", timeout: new(1)),
        Cmd("bzpopmin", -3, "write noscript blocking fast", Keys(1, -2, 1), Slot, "sorted-set", "5.0.0", "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.", timeout: TimeoutArgument.LastSeconds),
        Cmd("bzpopmax", -3, "write noscript blocking fast", Keys(1, -2, 1), Slot, "sorted-set", "5.0.0", "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.", timeout: TimeoutArgument.LastSeconds),
        Cmd("bzmpop", -5, "write blocking", NumKeysThenWhere(2), Slot, "sorted-set", "7.0.0", "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.", timeout: new(1)),
    ];
}
