namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    /// <summary>Every group's declarations (one file each: CommandTable.&lt;Group&gt;.cs).</summary>
    private static CommandSpec[] Build() =>
    [
        .. StringSpecs(),
        .. BitmapSpecs(),
        .. KeyspaceSpecs(),
        .. HashSpecs(),
        .. ListSpecs(),
        .. SetSpecs(),
        .. SortedSetSpecs(),
        .. StreamSpecs(),
        .. ScriptingSpecs(),
        .. BlockingSpecs(),
        .. TransactionSpecs(),
        .. PubSubSpecs(),
        .. ServerSpecs(),
    ];
}
