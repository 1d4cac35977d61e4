using OrleansLua.GrainInterfaces.Commands;

namespace OrleansLua.GrainInterfaces.Security;

/// <summary>Redis's ACL categories, in Redis's order (ACL CAT, and the order ACL LIST tries them in).</summary>
public static class AclCategories
{
    public static readonly string[] Names =
    [
        "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap", "hyperloglog", "geo",
        "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous", "connection", "transaction", "scripting",
    ];

    /// <summary>Membership by category index and command id (<see cref="CommandTable.ById"/>).</summary>
    private static readonly bool[][] Members = Names
        .Select(name => CommandTable.ById.Select(c => c.AclCategories().Contains("@" + name)).ToArray())
        .ToArray();

    public static int IndexOf(string name) => Array.IndexOf(Names, name.ToLowerInvariant());

    public static bool Contains(int category, CommandSpec spec) => Members[category][spec.Id];

    /// <summary>ACL CAT &lt;category&gt;: the commands and subcommands in it.</summary>
    public static IEnumerable<CommandSpec> Commands(int category) => CommandTable.ById.Where(c => Members[category][c.Id]);
}
