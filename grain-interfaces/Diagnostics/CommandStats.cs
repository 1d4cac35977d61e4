using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using OrleansLua.GrainInterfaces.Commands;

namespace OrleansLua.GrainInterfaces.Diagnostics;

/// <summary>
/// This process's command counters (INFO commandstats and errorstats, the commands and errors
/// metrics): a command is counted where it runs — in the shard grain for keyed commands, in the
/// gateway for connection, transaction, Pub/Sub and fan-out commands. Shared by the co-hosted gateway
/// and the grains; INFO adds up every node's.
/// </summary>
public sealed class CommandStats
{
    /// <summary>Redis tracks at most this many distinct error codes.</summary>
    public const int MaxErrorCodes = 128;

    private readonly long[] _calls = new long[CommandTable.ById.Count];
    private readonly long[] _ticks = new long[CommandTable.ById.Count];
    private readonly long[] _rejected = new long[CommandTable.ById.Count];
    private readonly long[] _failed = new long[CommandTable.ById.Count];
    private readonly ConcurrentDictionary<string, StrongBox<long>> _errors = new(StringComparer.Ordinal);
    private long _totalErrors;

    /// <summary>The command ran; <paramref name="failed"/> when it answered an error.</summary>
    public void Called(CommandSpec spec, long elapsedTicks, bool failed)
    {
        Interlocked.Increment(ref _calls[spec.Id]);
        Interlocked.Add(ref _ticks[spec.Id], elapsedTicks);
        if (failed) Interlocked.Increment(ref _failed[spec.Id]);
    }

    /// <summary>The command was refused before it ran (arity, NOAUTH, NOPERM, CROSSSLOT…).</summary>
    public void Rejected(CommandSpec spec) => Interlocked.Increment(ref _rejected[spec.Id]);

    /// <summary>An error reply went out: counted by its code (the text up to the first space).</summary>
    public void ErrorReplied(string message)
    {
        Interlocked.Increment(ref _totalErrors);
        int space = message.IndexOf(' ');
        var code = space < 0 ? message : message[..space];
        if (_errors.TryGetValue(code, out var count) || (_errors.Count < MaxErrorCodes && (count = _errors.GetOrAdd(code, _ => new StrongBox<long>())) is not null))
            Interlocked.Increment(ref count.Value);
    }

    public long TotalErrorReplies => Interlocked.Read(ref _totalErrors);

    public CommandStat[] Commands()
    {
        var list = new List<CommandStat>();
        foreach (var spec in CommandTable.ById)
        {
            long calls = Interlocked.Read(ref _calls[spec.Id]), rejected = Interlocked.Read(ref _rejected[spec.Id]);
            if (calls == 0 && rejected == 0) continue;
            long micros = Interlocked.Read(ref _ticks[spec.Id]) * 1_000_000 / Stopwatch.Frequency;
            list.Add(new CommandStat(spec.Name, calls, micros, rejected, Interlocked.Read(ref _failed[spec.Id])));
        }
        return list.ToArray();
    }

    public ErrorStat[] Errors() => _errors.Select(e => new ErrorStat(e.Key, Interlocked.Read(ref e.Value.Value))).ToArray();

    /// <summary>CONFIG RESETSTAT.</summary>
    public void Reset()
    {
        Array.Clear(_calls);
        Array.Clear(_ticks);
        Array.Clear(_rejected);
        Array.Clear(_failed);
        _errors.Clear();
        Interlocked.Exchange(ref _totalErrors, 0);
    }
}

[GenerateSerializer, Immutable]
public sealed record CommandStat(
    [property: Id(0)] string Name,
    [property: Id(1)] long Calls,
    [property: Id(2)] long Microseconds,
    [property: Id(3)] long RejectedCalls,
    [property: Id(4)] long FailedCalls);

[GenerateSerializer, Immutable]
public sealed record ErrorStat([property: Id(0)] string Code, [property: Id(1)] long Count);
