namespace OrleansLua.GrainInterfaces.Commands;

/// <summary>
/// A blocking command's timeout: seconds (a float) at <paramref name="Index"/> (negative counts from
/// the end), or milliseconds after an optional BLOCK keyword (XREAD).
/// </summary>
public sealed record TimeoutArgument(int Index, bool BlockOption = false)
{
    public static readonly TimeoutArgument LastSeconds = new(-1);
    public static readonly TimeoutArgument BlockKeyword = new(0, BlockOption: true);
}

/// <summary>
/// Where a Pub/Sub command names channels ACL channel rules apply to: arguments First..Last
/// (negative Last counts from the end); Patterns when they are PSUBSCRIBE patterns.
/// </summary>
public sealed record ChannelArguments(int First, int Last, bool Patterns = false)
{
    public (int Start, int End) Range(int argCount) => (First, Math.Min(Last < 0 ? argCount + Last : Last, argCount - 1));
}

/// <summary>Redis command flags (COMMAND INFO spells them in lower case).</summary>
[Flags]
public enum CommandFlags
{
    None = 0,
    Write = 1 << 0,
    ReadOnly = 1 << 1,
    DenyOom = 1 << 2,
    Admin = 1 << 3,
    PubSub = 1 << 4,
    NoScript = 1 << 5,
    Blocking = 1 << 6,
    Loading = 1 << 7,
    Stale = 1 << 8,
    SkipMonitor = 1 << 9,
    SkipSlowlog = 1 << 10,
    Fast = 1 << 11,
    NoAuth = 1 << 12,
    MayReplicate = 1 << 13,
    NoMandatoryKeys = 1 << 14,
    NoMulti = 1 << 15,
    MovableKeys = 1 << 16,
    AllowBusy = 1 << 17,
}

/// <summary>Where the gateway sends a command.</summary>
public enum CommandRouting
{
    /// <summary>Answered by the gateway connection itself (PING, HELLO, CLIENT, INFO…).</summary>
    Connection,
    /// <summary>All keys must hash to one slot (else CROSSSLOT); runs in that slot's shard grain.</summary>
    Slot,
    /// <summary>Keys are grouped per slot, each group runs in its grain, replies are merged (MGET, DEL…).</summary>
    SplitBySlot,
    /// <summary>Runs in every slot that holds keys; replies are merged (DBSIZE, KEYS, FLUSHALL…).</summary>
    AllSlots,
}

/// <summary>Who runs a command a client sends, and so how the gateway dispatches it.</summary>
public enum CommandExecution
{
    /// <summary>The gateway answers it from the connection, its own state or the cluster's (PING, CLIENT …, ACL …, INFO…).</summary>
    Gateway,
    /// <summary>Pub/Sub: the connection's subscriptions and the gateway's broker (SUBSCRIBE…, PUBLISH, PUBSUB …).</summary>
    PubSub,
    /// <summary>The connection's transaction (MULTI, EXEC, DISCARD, WATCH, UNWATCH); ordered with the replies still pending.</summary>
    Transaction,
    /// <summary>Runs in every slot that holds keys; replies are merged (routing AllSlots).</summary>
    FanOut,
    /// <summary>Runs in its keys' slot, batched with the connection's next commands for that slot (routing Slot).</summary>
    Slot,
    /// <summary>Keys grouped per slot, replies merged (routing SplitBySlot).</summary>
    SplitBySlot,
    /// <summary>Runs in its keys' slot and may wait there for data (routing Slot, flag blocking).</summary>
    Blocking,
}

/// <summary>What a command does between MULTI and EXEC.</summary>
public enum MultiBehavior
{
    /// <summary>Refused, and EXEC then aborts: the gateway answers it, so it cannot run in the transaction's slot.</summary>
    Refused,
    /// <summary>Queued, and run by the transaction's slot at EXEC.</summary>
    Queued,
    /// <summary>Runs at once: it controls the transaction or the connection (MULTI, EXEC, DISCARD, WATCH, UNWATCH, QUIT, RESET).</summary>
    RunsAtOnce,
}

/// <summary>Which arguments carry credentials: the slow log and other diagnostics redact them.</summary>
public enum SecretArgs
{
    None,
    /// <summary>Every argument (AUTH [username] password).</summary>
    All,
    /// <summary>The two words after an AUTH option (HELLO 3 AUTH username password).</summary>
    AuthOption,
    /// <summary>Every argument after the first (ACL SETUSER username rules…: rules may hold passwords).</summary>
    AfterFirst,
    /// <summary>The values of parameters the configuration marks secret (CONFIG SET requirepass value).</summary>
    ConfigValues,
}

/// <summary>How replies of a split or fanned-out command are merged (Redis's response_policy tip).</summary>
public enum ResponsePolicy
{
    None,
    /// <summary>Integer replies are added up.</summary>
    AggSum,
    /// <summary>Array replies are concatenated (in key order for split commands).</summary>
    Concat,
    /// <summary>Every part must answer OK; the first error wins.</summary>
    AllSucceeded,
    /// <summary>The gateway has its own merge (SCAN, RANDOMKEY).</summary>
    Special,
}

/// <summary>
/// One command's shape and behaviour: the single source for arity checks, key extraction, routing,
/// the gateway's dispatch, MULTI and subscribed mode, redaction, script permissions and COMMAND output.
/// </summary>
public sealed class CommandSpec
{
    public required string Name { get; init; }
    /// <summary>Redis arity: positive = exact argument count (name included), negative = at least.</summary>
    public required int Arity { get; init; }
    public required CommandFlags Flags { get; init; }
    public required KeySpec Keys { get; init; }
    public required CommandRouting Routing { get; init; }
    public ResponsePolicy Response { get; init; }
    /// <summary>Redis command group (string, generic, connection, server, cluster, scripting…).</summary>
    public required string Group { get; init; }
    public required string Summary { get; init; }
    public required string Since { get; init; }
    public IReadOnlyList<CommandSpec> Subcommands { get; init; } = [];
    /// <summary>
    /// ACL categories Redis gives beyond (@cat) or against (-@cat) what the flags and group imply;
    /// written among the flags in the command table ("readonly @dangerous").
    /// </summary>
    public IReadOnlyList<string> CategoryAdjustments { get; init; } = [];
    /// <summary>The channels ACL checks (null: none; Redis checks PUBLISH, SUBSCRIBE and PSUBSCRIBE only).</summary>
    public ChannelArguments? Channels { get; init; }
    /// <summary>Where a blocking command's timeout is (null: the command never blocks).</summary>
    public TimeoutArgument? Timeout { get; init; }
    /// <summary>Who runs it when a client sends it (the gateway dispatches on this).</summary>
    public required CommandExecution Execution { get; init; }
    /// <summary>What it does inside MULTI.</summary>
    public MultiBehavior InMulti { get; init; }
    /// <summary>Allowed while a RESP2 connection is subscribed (Redis allows the (P|S)(UN)SUBSCRIBEs, PING, QUIT, RESET).</summary>
    public bool AllowedWhileSubscribed { get; init; }
    /// <summary>Which of its arguments are credentials.</summary>
    public SecretArgs Secrets { get; init; }
    /// <summary>Dense index, for handler tables.</summary>
    public int Id { get; internal set; }
    /// <summary>Lower-case full name; subcommands are "container|sub".</summary>
    public string FullName => Name;
    public bool IsSubcommand => Name.Contains('|');
    /// <summary>EVAL, EVALSHA and their _RO forms: run by the Lua engine in the slot of their keys.</summary>
    public bool RunsScript => Group == "scripting" && Routing == CommandRouting.Slot;

    public bool Has(CommandFlags flag) => (Flags & flag) != 0;

    public bool ArityOk(int argCount) => Arity >= 0 ? argCount == Arity : argCount >= -Arity;

    public string ArityError => $"ERR wrong number of arguments for '{Name}' command";

    public IEnumerable<string> FlagNames()
    {
        foreach (var (flag, name) in CommandFlagNames.All)
            if ((Flags & flag) != 0) yield return name;
    }

    /// <summary>ACL categories as Redis assigns them: derived from flags and group, then the table's adjustments.</summary>
    public IEnumerable<string> AclCategories()
    {
        var removed = CategoryAdjustments.Where(c => c.StartsWith('-')).Select(c => c[1..]).ToHashSet();
        return DerivedCategories().Where(c => !removed.Contains(c))
            .Concat(CategoryAdjustments.Where(c => c.StartsWith('@')))
            .Distinct();
    }

    private IEnumerable<string> DerivedCategories()
    {
        if (Subcommands.Count > 0)
        {
            // containers are @slow; their subcommands carry the categories
            yield return "@slow";
            yield break;
        }
        if (Has(CommandFlags.Write)) yield return "@write";
        if (Has(CommandFlags.ReadOnly)) yield return "@read";
        if (Has(CommandFlags.Admin)) { yield return "@admin"; yield return "@dangerous"; }
        if (Has(CommandFlags.PubSub)) yield return "@pubsub";
        if (Has(CommandFlags.Fast)) yield return "@fast"; else yield return "@slow";
        if (Has(CommandFlags.Blocking)) yield return "@blocking";
        string? groupCategory = Group switch
        {
            "string" => "@string",
            "bitmap" => "@bitmap",
            "generic" => "@keyspace",
            "connection" => "@connection",
            "scripting" => "@scripting",
            "hash" => "@hash",
            "list" => "@list",
            "set" => "@set",
            "sorted-set" => "@sortedset",
            "stream" => "@stream",
            "transactions" => "@transaction",
            _ => null,
        };
        if (groupCategory is not null) yield return groupCategory;
    }

    /// <summary>Redis command tips (request/response policy) for COMMAND INFO and DOCS.</summary>
    public IEnumerable<string> Tips()
    {
        if (Routing == CommandRouting.SplitBySlot) yield return "request_policy:multi_shard";
        if (Routing == CommandRouting.AllSlots) yield return "request_policy:all_shards";
        switch (Response)
        {
            case ResponsePolicy.AggSum: yield return "response_policy:agg_sum"; break;
            case ResponsePolicy.AllSucceeded: yield return "response_policy:all_succeeded"; break;
            case ResponsePolicy.Special: yield return "response_policy:special"; break;
        }
    }
}

internal static class CommandFlagNames
{
    public static readonly (CommandFlags Flag, string Name)[] All =
    [
        (CommandFlags.Write, "write"), (CommandFlags.ReadOnly, "readonly"), (CommandFlags.DenyOom, "denyoom"),
        (CommandFlags.Admin, "admin"), (CommandFlags.PubSub, "pubsub"), (CommandFlags.NoScript, "noscript"),
        (CommandFlags.Blocking, "blocking"), (CommandFlags.Loading, "loading"), (CommandFlags.Stale, "stale"),
        (CommandFlags.SkipMonitor, "skip_monitor"), (CommandFlags.SkipSlowlog, "skip_slowlog"),
        (CommandFlags.Fast, "fast"), (CommandFlags.NoAuth, "no_auth"), (CommandFlags.MayReplicate, "may_replicate"),
        (CommandFlags.NoMandatoryKeys, "no_mandatory_keys"), (CommandFlags.NoMulti, "no_multi"),
        (CommandFlags.MovableKeys, "movablekeys"), (CommandFlags.AllowBusy, "allow_busy"),
    ];

    public static CommandFlags Parse(string text)
    {
        var flags = CommandFlags.None;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Contains('@')) continue; // an ACL category adjustment, not a flag
            var match = Array.Find(All, f => f.Name == word);
            if (match.Name is null) throw new ArgumentException($"Unknown command flag '{word}'");
            flags |= match.Flag;
        }
        return flags;
    }
}
