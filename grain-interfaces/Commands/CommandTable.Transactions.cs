using static OrleansLua.GrainInterfaces.Commands.CommandRouting;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // MULTI/EXEC/WATCH: queued by the connection, executed as one batch in the slot's grain
    private static CommandSpec[] TransactionSpecs() =>
    [
        Cmd("multi", 1, "noscript loading stale fast allow_busy", NoKeys, Connection, "transactions", "1.2.0", "Starts a transaction.", execution: CommandExecution.Transaction, inMulti: MultiBehavior.RunsAtOnce),
        Cmd("exec", 1, "noscript loading stale skip_slowlog", NoKeys, Connection, "transactions", "1.2.0", "Executes all commands in a transaction.", execution: CommandExecution.Transaction, inMulti: MultiBehavior.RunsAtOnce),
        Cmd("discard", 1, "noscript loading stale fast allow_busy", NoKeys, Connection, "transactions", "2.0.0", "Discards a transaction.", execution: CommandExecution.Transaction, inMulti: MultiBehavior.RunsAtOnce),
        Cmd("watch", -2, "noscript loading stale fast allow_busy", Keys(1, -1, 1), Connection, "transactions", "2.2.0", "Monitors changes to keys to determine the execution of a transaction.", execution: CommandExecution.Transaction, inMulti: MultiBehavior.RunsAtOnce),
        Cmd("unwatch", 1, "noscript loading stale fast allow_busy", NoKeys, Connection, "transactions", "2.2.0", "Forgets about watched keys of a transaction.", execution: CommandExecution.Transaction, inMulti: MultiBehavior.RunsAtOnce),
    ];
}
