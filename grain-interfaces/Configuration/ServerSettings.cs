using System.Collections.Concurrent;
using System.Globalization;

namespace OrleansLua.GrainInterfaces.Configuration;

/// <summary>
/// The CONFIG parameters OrleansLua accepts at run time, with their current values. One instance per
/// process (shared by the co-hosted gateway and the grains); CONFIG SET changes it on every silo and
/// gateway of the cluster. Values are kept as normalised text (what CONFIG GET prints); the hot-path
/// numbers are cached as fields. A few are accepted, validated and reported for the tools and tests that
/// set them but change nothing here (<see cref="WithoutEffect"/>; docs/operations.md says why).
/// </summary>
public sealed class ServerSettings
{
    public const string BusyReplyThreshold = "busy-reply-threshold";
    public const string LuaTimeLimit = "lua-time-limit";
    public const string ScriptHardTimeLimit = "script-hard-time-limit";
    public const string ScriptMemoryLimit = "script-memory-limit";
    public const string SlowlogLogSlowerThan = "slowlog-log-slower-than";
    public const string SlowlogMaxLen = "slowlog-max-len";
    public const string MaxClients = "maxclients";
    public const string Timeout = "timeout";
    public const string ProtoMaxBulkLen = "proto-max-bulk-len";
    public const string ClientQueryBufferLimit = "client-query-buffer-limit";
    public const string ClientOutputBufferLimit = "client-output-buffer-limit";
    public const string RequirePass = "requirepass";
    public const string ProtectedMode = "protected-mode";
    public const string ClusterRedirects = "cluster-redirects";
    public const string Save = "save";

    /// <summary>
    /// Accepted and reported, without effect: no RDB snapshots (storage follows --storage and appendfsync),
    /// and the compact encodings keep Redis 7's default thresholds.
    /// </summary>
    public static readonly IReadOnlySet<string> WithoutEffect = new HashSet<string>
    {
        Save, "list-max-listpack-size", "list-compress-depth", "set-max-intset-entries", "zset-max-listpack-entries",
        "zset-max-listpack-value", "hash-max-listpack-entries", "hash-max-listpack-value", "stream-node-max-bytes",
        "stream-node-max-entries",
    };

    private const long Mb = 1L << 20;

    private static readonly Dictionary<string, string> Aliases = new()
    {
        [LuaTimeLimit] = BusyReplyThreshold,
        // Redis 7 renamed ziplist to listpack and kept the old names
        ["list-max-ziplist-size"] = "list-max-listpack-size",
        ["zset-max-ziplist-entries"] = "zset-max-listpack-entries",
        ["zset-max-ziplist-value"] = "zset-max-listpack-value",
        ["hash-max-ziplist-entries"] = "hash-max-listpack-entries",
        ["hash-max-ziplist-value"] = "hash-max-listpack-value",
    };

    private static readonly Dictionary<string, SettingDefinition> Definitions = new SettingDefinition[]
    {
        // ms after which commands for a slot running a script answer BUSY
        new(BusyReplyThreshold, SettingKind.Integer, "5000"),
        // ms after which a script is killed without being asked; 0 = never (Redis has no such limit)
        new(ScriptHardTimeLimit, SettingKind.Integer, "300000"),
        // bytes a script run may allocate in its Lua state; 0 = unlimited
        new(ScriptMemoryLimit, SettingKind.Memory, (64 * Mb).ToString(CultureInfo.InvariantCulture)),
        new(SlowlogLogSlowerThan, SettingKind.Integer, "10000", Min: -1),
        new(SlowlogMaxLen, SettingKind.Integer, "128"),
        new(MaxClients, SettingKind.Integer, "10000", Min: 1, Max: uint.MaxValue),
        new(Timeout, SettingKind.Integer, "0", Max: int.MaxValue),
        new(ProtoMaxBulkLen, SettingKind.Memory, (512 * Mb).ToString(CultureInfo.InvariantCulture), Min: Mb),
        new(ClientQueryBufferLimit, SettingKind.Memory, (1024 * Mb).ToString(CultureInfo.InvariantCulture), Min: Mb),
        new(ClientOutputBufferLimit, SettingKind.OutputBufferLimit, OutputBufferLimits.Default),
        new(RequirePass, SettingKind.Text, ""),
        new(ProtectedMode, SettingKind.YesNo, "yes"),
        // OrleansLua's own: answer a request for another node's slot with -MOVED (Redis Cluster) instead of forwarding it
        new(ClusterRedirects, SettingKind.YesNo, "no"),
        // without effect (WithoutEffect); Redis 7.0's defaults and bounds
        new(Save, SettingKind.SavePoints, ""),
        new("list-max-listpack-size", SettingKind.Integer, "-2", Min: int.MinValue, Max: int.MaxValue),
        new("list-compress-depth", SettingKind.Integer, "0", Max: int.MaxValue),
        new("set-max-intset-entries", SettingKind.Integer, "512"),
        new("zset-max-listpack-entries", SettingKind.Integer, "128"),
        new("zset-max-listpack-value", SettingKind.Memory, "64"),
        new("hash-max-listpack-entries", SettingKind.Integer, "128"),
        new("hash-max-listpack-value", SettingKind.Memory, "64"),
        new("stream-node-max-bytes", SettingKind.Memory, "4096"),
        new("stream-node-max-entries", SettingKind.Integer, "100"),
    }.ToDictionary(d => d.Name);

    private readonly ConcurrentDictionary<string, string> _values = new();
    private readonly Lock _lock = new();
    private long _busyReplyThreshold, _scriptHardTimeLimit, _scriptMemoryLimit, _slowlogSlowerThan, _slowlogMaxLen,
        _maxClients, _timeout, _protoMaxBulkLen, _queryBufferLimit;
    private OutputBufferLimits _outputLimits = OutputBufferLimits.Parse(OutputBufferLimits.Default);
    private bool _protectedMode, _clusterRedirects;

    public ServerSettings()
    {
        foreach (var definition in Definitions.Values) Store(definition, definition.Default);
    }

    public long BusyReplyThresholdMs => Interlocked.Read(ref _busyReplyThreshold);
    public long ScriptHardTimeLimitMs => Interlocked.Read(ref _scriptHardTimeLimit);
    public long ScriptMemoryLimitBytes => Interlocked.Read(ref _scriptMemoryLimit);
    /// <summary>µs; negative disables the slow log, 0 logs every command.</summary>
    public long SlowlogLogSlowerThanMicros => Interlocked.Read(ref _slowlogSlowerThan);
    public long SlowlogMaxLength => Interlocked.Read(ref _slowlogMaxLen);
    public long MaxClientCount => Interlocked.Read(ref _maxClients);
    /// <summary>Seconds a normal client may stay idle; 0 = forever.</summary>
    public long IdleTimeoutSeconds => Interlocked.Read(ref _timeout);
    public long ProtoMaxBulkLength => Interlocked.Read(ref _protoMaxBulkLen);
    public long QueryBufferLimit => Interlocked.Read(ref _queryBufferLimit);
    public OutputBufferLimits OutputLimits => Volatile.Read(ref _outputLimits);
    public bool ProtectedModeEnabled => Volatile.Read(ref _protectedMode);
    public bool ClusterRedirectsEnabled => Volatile.Read(ref _clusterRedirects);

    /// <summary>Settable names (aliases included), for CONFIG GET pattern matching.</summary>
    public IEnumerable<(string Name, string Value)> All =>
        Definitions.Keys.Concat(Aliases.Keys).Select(n => (n, Get(n)!)).OrderBy(p => p.Item1, StringComparer.Ordinal);

    public static bool IsKnown(string name) => Definitions.ContainsKey(Canonical(name));

    /// <summary>Parameters whose values are secrets: kept out of logs and traces.</summary>
    public static bool IsSecret(string name) => Canonical(name) == RequirePass;

    public string? Get(string name) => _values.GetValueOrDefault(Canonical(name));

    /// <summary>Validates and applies a value; returns Redis's error text, or null.</summary>
    public string? TrySet(string name, string value)
    {
        name = Canonical(name);
        if (!Definitions.TryGetValue(name, out var definition))
            return $"ERR Unknown option or number of arguments for CONFIG SET - '{name}'";
        lock (_lock)
        {
            var error = definition.TryNormalize(value, _values[name], out var normalized, out _);
            if (error is not null) return error;
            Store(definition, normalized);
        }
        return null;
    }

    public IReadOnlyDictionary<string, string> Snapshot() => new Dictionary<string, string>(_values);

    /// <summary>Takes values from another node or from storage; values that do not parse are skipped.</summary>
    public void Apply(IReadOnlyDictionary<string, string> values)
    {
        lock (_lock)
        {
            foreach (var (name, value) in values)
            {
                if (!Definitions.TryGetValue(name, out var definition)) continue;
                if (definition.TryNormalize(value, _values[name], out var normalized, out _) is null) Store(definition, normalized);
            }
        }
    }

    private void Store(SettingDefinition definition, string normalized)
    {
        _values[definition.Name] = normalized;
        long number = definition.Kind is SettingKind.Integer or SettingKind.Memory
            ? long.Parse(normalized, CultureInfo.InvariantCulture) : 0;
        switch (definition.Name)
        {
            case BusyReplyThreshold: Interlocked.Exchange(ref _busyReplyThreshold, number); break;
            case ScriptHardTimeLimit: Interlocked.Exchange(ref _scriptHardTimeLimit, number); break;
            case ScriptMemoryLimit: Interlocked.Exchange(ref _scriptMemoryLimit, number); break;
            case SlowlogLogSlowerThan: Interlocked.Exchange(ref _slowlogSlowerThan, number); break;
            case SlowlogMaxLen: Interlocked.Exchange(ref _slowlogMaxLen, number); break;
            case MaxClients: Interlocked.Exchange(ref _maxClients, number); break;
            case Timeout: Interlocked.Exchange(ref _timeout, number); break;
            case ProtoMaxBulkLen: Interlocked.Exchange(ref _protoMaxBulkLen, number); break;
            case ClientQueryBufferLimit: Interlocked.Exchange(ref _queryBufferLimit, number); break;
            case ClientOutputBufferLimit: Volatile.Write(ref _outputLimits, OutputBufferLimits.Parse(normalized)); break;
            case ProtectedMode: Volatile.Write(ref _protectedMode, normalized == "yes"); break;
            case ClusterRedirects: Volatile.Write(ref _clusterRedirects, normalized == "yes"); break;
        }
    }

    private static string Canonical(string name)
    {
        name = name.ToLowerInvariant();
        return Aliases.GetValueOrDefault(name, name);
    }
}
