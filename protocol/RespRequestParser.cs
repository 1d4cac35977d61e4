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
    public static ParseStatus TryParse(ref SequenceReader<byte> reader, out byte[][] command, out string? error) =>
        TryParse(ref reader, RequestLimits.Default, out command, out error);

    public static ParseStatus TryParse(ref SequenceReader<byte> reader, in RequestLimits limits, out byte[][] command, out string? error)
    {
        command = [];
        error = null;
        if (!reader.TryPeek(out byte first)) return ParseStatus.Incomplete;
        return first == (byte)'*'
            ? TryParseMultibulk(ref reader, limits, out command, out error)
            : TryParseInline(ref reader, out command, out error);
    }

    private static ParseStatus TryParseMultibulk(ref SequenceReader<byte> reader, in RequestLimits limits, out byte[][] command, out string? error)
    {
        command = [];
        error = null;
        var start = reader;
        reader.Advance(1);
        if (!TryReadLine(ref reader, out var countLine))
        {
            if (reader.Remaining > MaxInlineLength)
                return Fail("Protocol error: too big mbulk count string", out error);
            reader = start;
            return ParseStatus.Incomplete;
        }
        if (!RespNumbers.TryParseInt64(countLine, out long count) || count > MaxMultibulkLength)
            return Fail("Protocol error: invalid multibulk length", out error);
        if (count > RequestLimits.UnauthenticatedMultibulk && limits.Unauthenticated)
            return Fail("Protocol error: unauthenticated multibulk length", out error);
        if (count <= 0) return ParseStatus.Command;

        var args = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            if (!reader.TryRead(out byte marker))
            {
                reader = start;
                return ParseStatus.Incomplete;
            }
            if (marker != (byte)'$')
                return Fail($"Protocol error: expected '$', got '{(char)marker}'", out error);
            if (!TryReadLine(ref reader, out var lenLine))
            {
                if (reader.Remaining > MaxInlineLength)
                    return Fail("Protocol error: too big bulk count string", out error);
                reader = start;
                return ParseStatus.Incomplete;
            }
            if (!RespNumbers.TryParseInt64(lenLine, out long len) || len < 0 || len > limits.MaxBulkLength)
                return Fail("Protocol error: invalid bulk length", out error);
            if (len > RequestLimits.UnauthenticatedBulk && limits.Unauthenticated)
                return Fail("Protocol error: unauthenticated bulk length", out error);
            if (reader.Remaining < len + 2)
            {
                reader = start;
                return ParseStatus.Incomplete;
            }
            var arg = new byte[len];
            reader.TryCopyTo(arg);
            reader.Advance(len + 2); // Redis skips the CRLF after the payload without looking at it.
            args[i] = arg;
        }
        command = args;
        return ParseStatus.Command;
    }

    private static ParseStatus TryParseInline(ref SequenceReader<byte> reader, out byte[][] command, out string? error)
    {
        command = [];
        error = null;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> lineSeq, (byte)'\n', advancePastDelimiter: true))
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

    private static bool TryReadLine(ref SequenceReader<byte> reader, out ReadOnlySpan<byte> line)
    {
        if (reader.UnreadSpan.IndexOf((byte)'\n') is int idx and >= 0)
        {
            line = reader.UnreadSpan[..idx];
            reader.Advance(idx + 1);
        }
        else if (reader.TryReadTo(out ReadOnlySequence<byte> seq, (byte)'\n'))
        {
            line = seq.ToArray();
        }
        else
        {
            line = default;
            return false;
        }
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        return true;
    }

    private static ParseStatus Fail(string message, out string? error)
    {
        error = message;
        return ParseStatus.Error;
    }
}
