using System.Buffers;

namespace OrleansLua.Protocol;

public enum ParseStatus
{
    /// <summary>A whole command was read (it may have no arguments: an empty inline line or <c>*0</c>).</summary>
    Command,
    /// <summary>More bytes are needed.</summary>
    Incomplete,
    /// <summary>The input is not RESP; the connection must reply with the error and close.</summary>
    Error,
}

/// <summary>What a connection may send: Redis's proto-max-bulk-len, and its tighter limits before AUTH.</summary>
public readonly record struct RequestLimits(long MaxBulkLength, bool Unauthenticated)
{
    public static readonly RequestLimits Default = new(512L * 1024 * 1024, false);

    /// <summary>Before AUTH (when a password is required) Redis accepts at most 10 arguments of at most 16 KiB.</summary>
    public const int UnauthenticatedMultibulk = 10;
    public const int UnauthenticatedBulk = 16384;
}

/// <summary>
/// Reads client requests: RESP multibulk (<c>*N $len …</c>) and inline commands, with Redis's
/// limits and its exact protocol error texts.
/// </summary>
public static class RespRequestParser
{
    public const int MaxInlineLength = 64 * 1024;
    public const int MaxMultibulkLength = 1024 * 1024;
    /// <summary>Parses one command with the default limits; on <see cref="ParseStatus.Incomplete"/> nothing is consumed.</summary>
    public static ParseStatus TryParse(ref SequenceReader<byte> reader, out byte[][] command, out string? error)
    {
        var start = reader;
        PartialCommand? partial = null;
        var status = TryParse(ref reader, RequestLimits.Default, ref partial, out command, out error);
        if (status == ParseStatus.Incomplete) reader = start;
        return status;
    }

    /// <summary>
    /// Parses one command, resuming <paramref name="partial"/> when it is set. On
    /// <see cref="ParseStatus.Incomplete"/> inside a multibulk the reader stays after the last whole
    /// argument and <paramref name="partial"/> keeps the arguments so far, so the caller can release
    /// their bytes: a command arriving a byte at a time is then parsed once, not once per read.
    /// </summary>
    public static ParseStatus TryParse(ref SequenceReader<byte> reader, in RequestLimits limits, ref PartialCommand? partial,
        out byte[][] command, out string? error)
    {
        command = [];
        error = null;
        if (partial is not null) return TryParseMultibulk(ref reader, limits, ref partial, out command, out error);
        if (!reader.TryPeek(out byte first)) return ParseStatus.Incomplete;
        return first == (byte)'*'
            ? TryParseMultibulk(ref reader, limits, ref partial, out command, out error)
            : TryParseInline(ref reader, out command, out error);
    }

    private static ParseStatus TryParseMultibulk(ref SequenceReader<byte> reader, in RequestLimits limits, ref PartialCommand? partial,
        out byte[][] command, out string? error)
    {
        command = [];
        error = null;
        byte[][] args;
        int parsed, count;
        if (partial is { } resumed)
        {
            (args, parsed, count) = (resumed.Args, resumed.Parsed, resumed.Count);
            partial = null;
        }
        else
        {
            var start = reader;
            reader.Advance(1);
            if (!TryReadLine(ref reader, out var countLine))
            {
                if (reader.Remaining > MaxInlineLength)
                    return Fail("Protocol error: too big mbulk count string", out error);
                reader = start;
                return ParseStatus.Incomplete;
            }
            if (!RespNumbers.TryParseInt64(countLine, out long header) || header > MaxMultibulkLength)
                return Fail("Protocol error: invalid multibulk length", out error);
            if (header > RequestLimits.UnauthenticatedMultibulk && limits.Unauthenticated)
                return Fail("Protocol error: unauthenticated multibulk length", out error);
            if (header <= 0) return ParseStatus.Command;
            count = (int)header;
            // The array grows as arguments arrive: a bare "*1048576" header must not cost 8 MB (Redis
            // also allocates at most 1024 argument slots up front).
            args = new byte[Math.Min(count, 1024)][];
            parsed = 0;
        }

        while (parsed < count)
        {
            var element = reader;
            // as Redis: the whole line first, then its '$' ("*1\r\nx" waits for the line's end)
            if (!TryReadLine(ref reader, out var lenLine))
            {
                if (reader.Remaining > MaxInlineLength)
                    return Fail("Protocol error: too big bulk count string", out error);
                return Suspend(ref reader, element, ref partial, args, parsed, count);
            }
            if (lenLine.Length == 0 || lenLine[0] != (byte)'$')
                return Fail($"Protocol error: expected '$', got '{(char)(lenLine.Length == 0 ? (byte)'\r' : lenLine[0])}'", out error);
            if (!RespNumbers.TryParseInt64(lenLine[1..], out long len) || len < 0 || len > limits.MaxBulkLength)
                return Fail("Protocol error: invalid bulk length", out error);
            if (len > RequestLimits.UnauthenticatedBulk && limits.Unauthenticated)
                return Fail("Protocol error: unauthenticated bulk length", out error);
            if (reader.Remaining < len + 2)
                return Suspend(ref reader, element, ref partial, args, parsed, count);
            var arg = new byte[len];
            reader.TryCopyTo(arg);
            reader.Advance(len + 2); // Redis skips the CRLF after the payload without looking at it.
            if (parsed == args.Length) Array.Resize(ref args, (int)Math.Min(2L * args.Length, count));
            args[parsed++] = arg;
        }
        command = args;
        return ParseStatus.Command;
    }

    /// <summary>Stops before the unfinished argument and keeps the finished ones for the next read.</summary>
    private static ParseStatus Suspend(ref SequenceReader<byte> reader, SequenceReader<byte> element, ref PartialCommand? partial,
        byte[][] args, int parsed, int count)
    {
        reader = element;
        partial = new PartialCommand(args, parsed, count);
        return ParseStatus.Incomplete;
    }

    private static ParseStatus TryParseInline(ref SequenceReader<byte> reader, out byte[][] command, out string? error)
    {
        command = [];
        error = null;
        // Redis looks for the '\n' with strchr: a NUL before it means no line yet
        var probe = reader;
        if (!probe.TryAdvanceToAny([(byte)'\n', 0], advancePastDelimiter: false) || probe.TryPeek(out byte found) && found == 0
            || !reader.TryReadTo(out ReadOnlySequence<byte> lineSeq, (byte)'\n', advancePastDelimiter: true))
        {
            if (reader.Remaining > MaxInlineLength)
                return Fail("Protocol error: too big inline request", out error);
            return ParseStatus.Incomplete;
        }
        if (lineSeq.Length > MaxInlineLength)
            return Fail("Protocol error: too big inline request", out error);
        var line = lineSeq.IsSingleSegment ? lineSeq.FirstSpan : lineSeq.ToArray();
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        var args = InlineSplitter.Split(line);
        if (args is null) return Fail("Protocol error: unbalanced quotes in request", out error);
        command = args;
        return ParseStatus.Command;
    }

    /// <summary>
    /// A multibulk header line as Redis reads one: up to the first '\r' (found with strchr, so a NUL
    /// before it means no line yet), and the byte after the '\r' is skipped unseen — Redis takes it
    /// for the '\n'. Valid requests never tell the difference; malformed ones get Redis's answer.
    /// </summary>
    private static bool TryReadLine(ref SequenceReader<byte> reader, out ReadOnlySpan<byte> line)
    {
        line = default;
        var span = reader.UnreadSpan;
        int end = span.IndexOfAny((byte)'\r', (byte)0);
        if (end >= 0 && end + 1 < span.Length)
        {
            if (span[end] == 0) return false;
            line = span[..end];
            reader.Advance(end + 2);
            return true;
        }
        var probe = reader;
        if (!probe.TryAdvanceToAny([(byte)'\r', 0], advancePastDelimiter: false) || !probe.TryPeek(out byte found) || found == 0
            || probe.Remaining < 2)
            return false;
        long length = probe.Consumed - reader.Consumed;
        line = reader.UnreadSequence.Slice(0, length).ToArray();
        reader.Advance(length + 2);
        return true;
    }

    private static ParseStatus Fail(string message, out string? error)
    {
        error = message;
        return ParseStatus.Error;
    }
}

/// <summary>A multibulk command cut off by the end of the input: its header and first arguments are already read.</summary>
public sealed class PartialCommand(byte[][] args, int parsed, int count)
{
    internal byte[][] Args { get; } = args;
    internal int Parsed { get; } = parsed;
    internal int Count { get; } = count;
}
