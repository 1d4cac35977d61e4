using static OrleansLua.GrainInterfaces.Commands.CommandRouting;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // sorted sets
    private static CommandSpec[] SortedSetSpecs() =>
    [
    ];
}
