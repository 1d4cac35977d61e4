using static OrleansLua.GrainInterfaces.Commands.CommandRouting;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // hashes
    private static CommandSpec[] HashSpecs() =>
    [
    ];
}
