using static OrleansLua.GrainInterfaces.Commands.CommandRouting;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // lists
    private static CommandSpec[] ListSpecs() =>
    [
        Cmd("lpush", -3, "write denyoom fast", OneKey, Slot, "list", "1.0.0", "Prepends one or more elements to a list. Creates the key if it doesn't exist."),
        Cmd("rpush", -3, "write denyoom fast", OneKey, Slot, "list", "1.0.0", "Appends one or more elements to a list. Creates the key if it doesn't exist."),
        Cmd("lpushx", -3, "write denyoom fast", OneKey, Slot, "list", "2.2.0", "Prepends one or more elements to a list only when the list exists."),
        Cmd("rpushx", -3, "write denyoom fast", OneKey, Slot, "list", "2.2.0", "Appends an element to a list only when the list exists."),
        Cmd("lpop", -2, "write fast", OneKey, Slot, "list", "1.0.0", "Returns the first elements in a list after removing it. Deletes the list if the last element was popped."),
        Cmd("rpop", -2, "write fast", OneKey, Slot, "list", "1.0.0", "Returns and removes the last elements of a list. Deletes the list if the last element was popped."),
        Cmd("llen", 2, "readonly fast", OneKey, Slot, "list", "1.0.0", "Returns the length of a list."),
        Cmd("lrange", 4, "readonly", OneKey, Slot, "list", "1.0.0", "Returns a range of elements from a list."),
        Cmd("lindex", 3, "readonly", OneKey, Slot, "list", "1.0.0", "Returns an element from a list by its index."),
        Cmd("lset", 4, "write denyoom", OneKey, Slot, "list", "1.0.0", "Sets the value of an element in a list by its index."),
        Cmd("linsert", 5, "write denyoom", OneKey, Slot, "list", "2.2.0", "Inserts an element before or after another element in a list."),
        Cmd("lrem", 4, "write", OneKey, Slot, "list", "1.0.0", "Removes elements from a list. Deletes the list if the last element was removed."),
        Cmd("ltrim", 4, "write", OneKey, Slot, "list", "1.0.0", "Removes elements from both ends a list. Deletes the list if all elements were trimmed."),
        Cmd("lpos", -3, "readonly", OneKey, Slot, "list", "6.0.6", "Returns the index of matching elements in a list."),
        Cmd("lmove", 5, "write denyoom", Keys(1, 2, 1), Slot, "list", "6.2.0", "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved."),
        Cmd("rpoplpush", 3, "write denyoom", Keys(1, 2, 1), Slot, "list", "1.2.0", "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped."),
        Cmd("lmpop", -4, "write", NumKeysThenWhere(1), Slot, "list", "7.0.0", "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped."),
    ];
}
