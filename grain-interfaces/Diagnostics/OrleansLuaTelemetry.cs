using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansLua.GrainInterfaces.Diagnostics;

/// <summary>
/// Every OpenTelemetry instrument OrleansLua has, defined here once (names, units, tags: see
/// docs/operations.md). The meter comes from the process's <see cref="IMeterFactory"/>, so each service
/// provider (each silo, also two test silos in one process) has its own; recording costs nothing while
/// nobody listens. Counters that INFO already keeps (<see cref="CommandStats"/>) are observed, not counted
/// twice; gauges read what their owners hold, registered by the owner through the Observe* methods —
/// callbacks never call a grain.
/// </summary>
public sealed class OrleansLuaTelemetry
{
    public const string MeterName = "OrleansLua";
    public const string GatewaySourceName = "OrleansLua.Gateway";
    /// <summary>The name a gateway→grain span starts with (renamed to its command once sampled); root samplers key on it.</summary>
    public const string GatewaySpanName = "shard batch";

    /// <summary>Gateway→grain call spans. Static as every ActivitySource: listeners subscribe by name.</summary>
    public static readonly ActivitySource GatewaySource = new(GatewaySourceName);

    public static class Names
    {
        public const string Commands = "orleanslua.commands";
        public const string CommandsRejected = "orleanslua.commands.rejected";
        public const string CommandTime = "orleanslua.command.time";
        public const string CommandErrors = "orleanslua.command.errors";
        public const string ScriptDuration = "orleanslua.script.duration";
        public const string ScriptsRunning = "orleanslua.scripts.running";
        public const string ScriptsBusy = "orleanslua.scripts.busy";
        public const string ScriptsKilled = "orleanslua.scripts.killed";
        public const string Keys = "orleanslua.keys";
        public const string KeysExpiring = "orleanslua.keys.expiring";
        public const string Slots = "orleanslua.slots";
        public const string MemoryManaged = "orleanslua.memory.managed";
        public const string MemoryResident = "orleanslua.memory.resident";
        public const string Connections = "orleanslua.connections";
        public const string ClientsBlocked = "orleanslua.clients.blocked";
        public const string CommitDuration = "orleanslua.storage.commit.duration";
        public const string CommitWriteSets = "orleanslua.storage.commit.write_sets";
        public const string CommitFailures = "orleanslua.storage.commit.failures";
    }

    /// <summary>Tag names (OpenTelemetry semantic conventions where one exists).</summary>
    public static class Tags
    {
        public const string Command = "command";
        public const string ErrorType = "error.type";
        public const string Outcome = "outcome";
    }

    /// <summary>How a script run ended (the <c>outcome</c> tag of the script duration).</summary>
    public static class ScriptOutcome
    {
        public const string Ok = "ok";
        public const string Error = "error";
        public const string Killed = "killed";
    }

    public OrleansLuaTelemetry(IMeterFactory meters, CommandStats commands)
    {
        Meter = meters.Create(MeterName);
        Meter.CreateObservableCounter(Names.Commands, () => ObserveCommands(commands, static s => s.Calls), "{command}",
            "Commands executed, by command (the calls of INFO commandstats).");
        Meter.CreateObservableCounter(Names.CommandsRejected, () => ObserveCommands(commands, static s => s.RejectedCalls), "{command}",
            "Commands refused before they ran (arity, NOAUTH, NOPERM, CROSSSLOT…), by command.");
        Meter.CreateObservableCounter(Names.CommandTime, () => ObserveCommandTime(commands), "s",
            "Time spent executing commands, by command (usec of INFO commandstats).");
        Meter.CreateObservableCounter(Names.CommandErrors, () => ObserveErrors(commands), "{error}",
            "Error replies, by error code (the first word: ERR, WRONGTYPE, BUSY…; INFO errorstats).");
        Meter.CreateObservableGauge(Names.MemoryManaged, static () => GC.GetTotalMemory(false), "By",
            "Managed heap in use (used_memory of INFO memory).");
        Meter.CreateObservableGauge(Names.MemoryResident, static () => Environment.WorkingSet, "By",
            "Resident set size of the process (used_memory_rss).");
        ScriptDuration = Meter.CreateHistogram<double>(Names.ScriptDuration, "ms",
            "Run time of EVAL/EVALSHA scripts, by outcome (ok, error, killed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 5000, 10000] });
        ScriptsKilled = Meter.CreateCounter<long>(Names.ScriptsKilled, "{script}", "Scripts stopped by SCRIPT KILL.");
        CommitDuration = Meter.CreateHistogram<double>(Names.CommitDuration, "ms",
            "Duration of one successful group commit to storage.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000] });
        CommitWriteSets = Meter.CreateHistogram<int>(Names.CommitWriteSets, "{write_set}",
            "Write sets (one per command or script) in one successful group commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
    }

    public Meter Meter { get; }
    public Histogram<double> ScriptDuration { get; }
    public Counter<long> ScriptsKilled { get; }
    public Histogram<double> CommitDuration { get; }
    public Histogram<int> CommitWriteSets { get; }

    /// <summary>The silo's script host: scripts running now, and those past busy-reply-threshold.</summary>
    public void ObserveScripts(Func<int> running, Func<int> busy)
    {
        Meter.CreateObservableUpDownCounter(Names.ScriptsRunning, running, "{script}", "Scripts running now in this silo.");
        Meter.CreateObservableUpDownCounter(Names.ScriptsBusy, busy, "{script}",
            "Scripts running past busy-reply-threshold (their slots answer BUSY).");
    }

    /// <summary>The silo's active shard grains: keys held (expired ones not yet reclaimed included), keys with a TTL, slots.</summary>
    /// <summary>Hash slots whose shard grain is active in this silo (0 in a standalone gateway): INFO cluster shows it too.</summary>
    public Func<int> ActiveSlots { get; private set; } = static () => 0;

    public void ObserveKeyspaces(Func<long> keys, Func<long> expiring, Func<int> slots)
    {
        ActiveSlots = slots;
        Meter.CreateObservableUpDownCounter(Names.Keys, keys, "{key}", "Keys held by this silo's shard grains.");
        Meter.CreateObservableUpDownCounter(Names.KeysExpiring, expiring, "{key}", "Keys with a TTL held by this silo's shard grains.");
        Meter.CreateObservableUpDownCounter(Names.Slots, slots, "{slot}", "Hash slots whose shard grain is active in this silo.");
    }

    /// <summary>The gateway: open RESP connections and clients waiting in a blocking command.</summary>
    public void ObserveGateway(Func<int> connections, Func<int> blocked)
    {
        Meter.CreateObservableUpDownCounter(Names.Connections, connections, "{connection}", "Open RESP client connections.");
        Meter.CreateObservableUpDownCounter(Names.ClientsBlocked, blocked, "{client}", "Clients blocked in BLPOP, BZPOPMIN, XREAD BLOCK….");
    }

    /// <summary>Storage: failed group commits.</summary>
    public void ObserveStorage(Func<long> failures) =>
        Meter.CreateObservableCounter(Names.CommitFailures, failures, "{commit}", "Group commits that failed.");

    // Collection-time only (once per export or scrape): allocating here is fine. A command's series appears
    // once its count is above zero. CONFIG RESETSTAT zeroes INFO's counters and so these: backends read
    // that as a counter reset, as after a restart.
    private static IEnumerable<Measurement<long>> ObserveCommands(CommandStats stats, Func<CommandStat, long> value)
    {
        foreach (var stat in stats.Commands())
            if (value(stat) is > 0 and var count)
                yield return new Measurement<long>(count, new KeyValuePair<string, object?>(Tags.Command, stat.Name));
    }

    private static IEnumerable<Measurement<double>> ObserveCommandTime(CommandStats stats)
    {
        foreach (var stat in stats.Commands())
            if (stat.Calls > 0)
                yield return new Measurement<double>(stat.Microseconds / 1e6, new KeyValuePair<string, object?>(Tags.Command, stat.Name));
    }

    private static IEnumerable<Measurement<long>> ObserveErrors(CommandStats stats)
    {
        foreach (var error in stats.Errors())
            yield return new Measurement<long>(error.Count, new KeyValuePair<string, object?>(Tags.ErrorType, error.Code));
    }
}
