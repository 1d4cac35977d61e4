using System.Collections.Frozen;

namespace OrleansLua.GrainInterfaces.Commands;

/// <summary>
/// Every command OrleansLua knows, declared once. Arity checks, key extraction, routing,
/// CROSSSLOT checks, the gateway's dispatch, script permissions and COMMAND output all read this table.
/// </summary>
public static partial class CommandTable
{
    public static readonly IReadOnlyList<CommandSpec> All = Build();

    private static readonly FrozenDictionary<string, CommandSpec> ByName =
        All.ToFrozenDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, CommandSpec>.AlternateLookup<ReadOnlySpan<char>> ByNameSpan =
        ByName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>All commands and subcommands, indexed by <see cref="CommandSpec.Id"/>.</summary>
    public static readonly IReadOnlyList<CommandSpec> ById = BuildIds();

    /// <summary>
    /// Identifies this table's ids (FNV-1a of every name in id order, the same in every process): a batch resolved
    /// by a gateway of another version, mid rollout, is resolved again by the grain instead of trusting ids that
    /// may mean other commands.
    /// </summary>
    public static readonly int Version = VersionOf(ById);

    private static int VersionOf(IEnumerable<CommandSpec> specs)
    {
        uint hash = 2166136261;
        foreach (var spec in specs)
            foreach (char c in spec.Name + "\n") hash = (hash ^ c) * 16777619;
        return (int)hash;
    }

    public static CommandSpec? Find(string name) => ByName.GetValueOrDefault(name);

    private static readonly FrozenDictionary<string, CommandSpec> ByFullName =
        ById.ToFrozenDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>A command or a subcommand by its full name ("get", "config|get").</summary>
    public static CommandSpec? FindAny(string fullName) => ByFullName.GetValueOrDefault(fullName);

    public static CommandSpec? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length == 0 || name.Length > 64) return null;
        Span<char> chars = stackalloc char[name.Length];
        for (int i = 0; i < name.Length; i++) chars[i] = (char)name[i];
        return ByNameSpan.TryGetValue(chars, out var spec) ? spec : null;
    }

    /// <summary>The subcommand of a container command (CLIENT SETNAME → client|setname), or null.</summary>
    public static CommandSpec? FindSubcommand(CommandSpec container, ReadOnlySpan<byte> sub)
    {
        foreach (var s in container.Subcommands)
        {
            var subName = s.Name.AsSpan(container.Name.Length + 1);
            if (subName.Length != sub.Length) continue;
            bool equal = true;
            for (int i = 0; i < sub.Length && equal; i++)
                equal = char.ToLowerInvariant((char)sub[i]) == subName[i];
            if (equal) return s;
        }
        return null;
    }

    /// <summary>
    /// Resolves a request to the spec that governs it, with Redis's error text for unknown
    /// commands, unknown subcommands and wrong arity.
    /// </summary>
    public static CommandSpec? Resolve(byte[][] args, out string? error)
    {
        error = null;
        var spec = Find(args[0]);
        if (spec is null)
        {
            error = UnknownCommandError(args);
            return null;
        }
        if (!spec.ArityOk(args.Length))
        {
            error = spec.ArityError;
            return null;
        }
        if (spec.Subcommands.Count == 0 || args.Length == 1) return spec; // a bare COMMAND is the container itself
        var sub = FindSubcommand(spec, args[1]);
        if (sub is null)
        {
            error = $"ERR unknown subcommand '{Truncate(args[1])}'. Try {spec.Name.ToUpperInvariant()} HELP.";
            return null;
        }
        if (!sub.ArityOk(args.Length))
        {
            error = sub.ArityError;
            return null;
        }
        return sub;
    }

    public static string UnknownCommandError(byte[][] args)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("ERR unknown command '").Append(Truncate(args[0])).Append("', with args beginning with: ");
        for (int i = 1; i < args.Length && sb.Length < 1024; i++)
            sb.Append('\'').Append(Truncate(args[i])).Append("' ");
        return sb.ToString();
    }

    /// <summary>Redis quotes at most 128 bytes of a name in error messages.</summary>
    private static string Truncate(byte[] value) =>
        System.Text.Encoding.UTF8.GetString(value, 0, Math.Min(value.Length, 128));

    private static CommandSpec[] BuildIds()
    {
        var list = new List<CommandSpec>();
        foreach (var c in All)
        {
            list.Add(c);
            list.AddRange(c.Subcommands);
        }
        for (int i = 0; i < list.Count; i++) list[i].Id = i;
        return list.ToArray();
    }

    private static CommandSpec Cmd(string name, int arity, string flags, KeySpec keys, CommandRouting routing,
        string group, string since, string summary, ResponsePolicy response = ResponsePolicy.None,
        CommandSpec[]? subcommands = null, TimeoutArgument? timeout = null, ChannelArguments? channels = null,
        CommandExecution? execution = null, MultiBehavior? inMulti = null, bool whileSubscribed = false,
        SecretArgs secrets = SecretArgs.None)
    {
        var parsed = CommandFlagNames.Parse(flags) | (keys.IsMovable ? CommandFlags.MovableKeys : CommandFlags.None);
        return new()
        {
            Timeout = timeout,
            Channels = channels,
            Name = name,
            Arity = arity,
            Flags = parsed,
            CategoryAdjustments = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Contains('@')).ToArray(),
            Keys = keys,
            Routing = routing,
            Response = response,
            Group = group,
            Since = since,
            Summary = summary,
            Subcommands = subcommands ?? [],
            Execution = execution ?? DefaultExecution(routing, parsed),
            // keyed commands run in their slot at EXEC; the gateway's own commands cannot
            InMulti = inMulti ?? (routing is CommandRouting.Slot or CommandRouting.SplitBySlot ? MultiBehavior.Queued : MultiBehavior.Refused),
            AllowedWhileSubscribed = whileSubscribed,
            Secrets = secrets,
        };
    }

    /// <summary>The execution routing and flags imply; Pub/Sub and transaction commands name theirs.</summary>
    private static CommandExecution DefaultExecution(CommandRouting routing, CommandFlags flags) => routing switch
    {
        CommandRouting.Slot => (flags & CommandFlags.Blocking) != 0 ? CommandExecution.Blocking : CommandExecution.Slot,
        CommandRouting.SplitBySlot => CommandExecution.SplitBySlot,
        CommandRouting.AllSlots => CommandExecution.FanOut,
        _ => CommandExecution.Gateway,
    };

    private static KeySpec Keys(int first, int last, int step) => new RangeKeys(first, last, step);
    private static KeySpec NoKeys => KeySpec.None;
    private static KeySpec OneKey => new RangeKeys(1, 1, 1);
    private const string TooManyKeys = "ERR Number of keys can't be greater than number of args";
    private const string NumKeysNotPositive = "ERR numkeys should be greater than 0";

    /// <summary>EVAL script numkeys key… arg…</summary>
    private static KeySpec ScriptKeys => new CountedKeys(2, "ERR value is not an integer or out of range", 0,
        "ERR Number of keys can't be negative", TooManyKeys);

    /// <summary>FCALL function numkeys key… arg…: EVAL's layout, Redis 7.0's FCALL wording for a numkeys that is not a number.</summary>
    private static KeySpec FunctionKeys => new CountedKeys(2, "ERR Bad number of keys provided", 0,
        "ERR Number of keys can't be negative", TooManyKeys);

    /// <summary>numkeys key… [options] (SINTERCARD).</summary>
    private static KeySpec NumKeys(int countIndex) =>
        new CountedKeys(countIndex, NumKeysNotPositive, 1, NumKeysNotPositive, TooManyKeys);

    /// <summary>numkeys key… LEFT|RIGHT / MIN|MAX … (LMPOP, ZMPOP and their blocking forms): one argument must follow the keys.</summary>
    private static KeySpec NumKeysThenWhere(int countIndex) =>
        new CountedKeys(countIndex, NumKeysNotPositive, 1, NumKeysNotPositive, "ERR syntax error", argumentsAfterKeys: 1);
}
