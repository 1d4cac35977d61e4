using OrleansLua.GrainInterfaces.Commands;
using System.Text;
using OrleansLua.GrainInterfaces.Configuration;

namespace OrleansLua.GrainInterfaces.Diagnostics;

/// <summary>
/// This process's slow log: commands whose execution took at least slowlog-log-slower-than µs,
/// newest first, at most slowlog-max-len entries. Entries are recorded where the command ran
/// (<see cref="CommandMeter"/>); SLOWLOG GET merges every node's.
/// </summary>
public sealed class SlowLog(ServerSettings settings)
{
    private const int MaxArguments = 32;
    private const int MaxArgumentBytes = 128;
    private const string Redacted = "(redacted)";

    private readonly LinkedList<SlowLogEntry> _entries = new();
    private readonly Lock _lock = new();
    private long _nextId;

    /// <summary>Cheap pre-check for the hot path.</summary>
    public bool IsSlow(long micros)
    {
        long threshold = settings.SlowlogLogSlowerThanMicros;
        return threshold >= 0 && micros >= threshold;
    }

    public void Add(CommandSpec spec, byte[][] args, long micros, string clientAddress, string clientName)
    {
        long max = settings.SlowlogMaxLength;
        if (max <= 0) return;
        var entry = new SlowLogEntry(Interlocked.Increment(ref _nextId) - 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), micros,
            Describe(spec, args), clientAddress, clientName);
        lock (_lock)
        {
            _entries.AddFirst(entry);
            while (_entries.Count > max) _entries.RemoveLast();
        }
    }

    public int Length
    {
        get { lock (_lock) return _entries.Count; }
    }

    public SlowLogEntry[] Latest()
    {
        lock (_lock) return _entries.ToArray();
    }

    public void Reset()
    {
        lock (_lock) _entries.Clear();
    }

    /// <summary>Redis's shape: at most 32 arguments, each at most 128 bytes; secrets redacted.</summary>
    public static byte[][] Describe(CommandSpec spec, byte[][] args)
    {
        int shown = Math.Min(args.Length, MaxArguments);
        var described = new byte[shown][];
        for (int i = 0; i < shown; i++)
        {
            if (i == MaxArguments - 1 && args.Length > MaxArguments)
            {
                described[i] = Encoding.ASCII.GetBytes($"... ({args.Length - MaxArguments + 1} more arguments)");
                break;
            }
            var arg = args[i];
            if (SecretArguments.IsSecret(spec, args, i)) described[i] = Encoding.ASCII.GetBytes(Redacted);
            else if (arg.Length > MaxArgumentBytes)
                described[i] = [.. arg.AsSpan(0, MaxArgumentBytes), .. Encoding.ASCII.GetBytes($"... ({arg.Length - MaxArgumentBytes} more bytes)")];
            else described[i] = arg;
        }
        return described;
    }
}

[GenerateSerializer, Immutable]
public sealed record SlowLogEntry(
    [property: Id(0)] long Id,
    [property: Id(1)] long UnixTimeMilliseconds,
    [property: Id(2)] long Microseconds,
    [property: Id(3)] byte[][] Arguments,
    [property: Id(4)] string ClientAddress,
    [property: Id(5)] string ClientName);
