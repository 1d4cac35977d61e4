using System.Collections.Concurrent;
using System.Globalization;

namespace OrleansLua.GrainInterfaces;

/// <summary>
/// The CONFIG parameters OrleansLua honours at run time, with their current values. One instance per
/// process (shared by the co-hosted gateway and the grains); CONFIG SET changes it on every silo.
/// </summary>
public sealed class ServerSettings
{
    public const string BusyReplyThreshold = "busy-reply-threshold";
    public const string LuaTimeLimit = "lua-time-limit";
    public const string ScriptHardTimeLimit = "script-hard-time-limit";
    public const string ScriptMemoryLimit = "script-memory-limit";

    private static readonly Dictionary<string, string> Aliases = new() { [LuaTimeLimit] = BusyReplyThreshold };

    private static readonly Dictionary<string, (long Default, bool Memory)> Definitions = new()
    {
        // ms after which commands for a slot running a script answer BUSY
        [BusyReplyThreshold] = (5000, false),
        // ms after which a script is killed without being asked; 0 = never (Redis has no such limit)
        [ScriptHardTimeLimit] = (0, false),
        // bytes a script run may allocate in its Lua state; 0 = unlimited
        [ScriptMemoryLimit] = (64L * 1024 * 1024, true),
    };

    private readonly ConcurrentDictionary<string, long> _values = new();

    public ServerSettings()
    {
        foreach (var (name, (value, _)) in Definitions) _values[name] = value;
    }

    public long BusyReplyThresholdMs => _values[BusyReplyThreshold];
    public long ScriptHardTimeLimitMs => _values[ScriptHardTimeLimit];
    public long ScriptMemoryLimitBytes => _values[ScriptMemoryLimit];

    /// <summary>Settable names (aliases included), for CONFIG GET pattern matching.</summary>
    public IEnumerable<(string Name, string Value)> All =>
        Definitions.Keys.Concat(Aliases.Keys).Select(n => (n, Get(n)!)).OrderBy(p => p.Item1, StringComparer.Ordinal);

    public static bool IsKnown(string name) => Definitions.ContainsKey(Canonical(name));

    public string? Get(string name) =>
        _values.TryGetValue(Canonical(name), out long v) ? v.ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>Validates and applies a value; returns Redis's error text, or null.</summary>
    public string? TrySet(string name, string value)
    {
        name = Canonical(name);
        if (!Definitions.TryGetValue(name, out var definition))
            return $"ERR Unknown option or number of arguments for CONFIG SET - '{name}'";
        if (!TryParse(value, definition.Memory, out long parsed) || parsed < 0)
            return $"ERR CONFIG SET failed (possibly related to argument '{name}') - argument couldn't be parsed into an integer";
        _values[name] = parsed;
        return null;
    }

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_values);

    public void Apply(IReadOnlyDictionary<string, long> values)
    {
        foreach (var (name, value) in values)
            if (Definitions.ContainsKey(name)) _values[name] = value;
    }

    private static string Canonical(string name)
    {
        name = name.ToLowerInvariant();
        return Aliases.GetValueOrDefault(name, name);
    }

    /// <summary>Integers, with Redis's memory units (kb, mb, gb, k, m, g) for memory settings.</summary>
    private static bool TryParse(string text, bool memory, out long value)
    {
        text = text.Trim().ToLowerInvariant();
        long unit = 1;
        if (memory)
        {
            foreach (var (suffix, factor) in new[] { ("kb", 1024L), ("mb", 1L << 20), ("gb", 1L << 30), ("k", 1000L), ("m", 1_000_000L), ("g", 1_000_000_000L) })
            {
                if (text.EndsWith(suffix, StringComparison.Ordinal))
                {
                    unit = factor;
                    text = text[..^suffix.Length];
                    break;
                }
            }
        }
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value)) return false;
        value *= unit;
        return true;
    }
}

/// <summary>Cluster-wide state a silo must follow: the script-cache epoch and the CONFIG SET values.</summary>
[GenerateSerializer, Immutable]
public sealed class SiloState
{
    [Id(0)] public long ScriptEpoch { get; init; }
    [Id(1)] public long ConfigVersion { get; init; }
    [Id(2)] public Dictionary<string, long> Settings { get; init; } = [];
}
