namespace OrleansLua.Protocol;

/// <summary>
/// Walks already-encoded replies (e.g. from shard grains) so the gateway can merge the replies of a
/// command that was split over slots without decoding values.
/// </summary>
public static class RespReplyReader
{
    /// <summary>Returns the offset just past the value that starts at <paramref name="offset"/>.</summary>
    public static int Skip(ReadOnlySpan<byte> data, int offset)
    {
        byte type = data[offset];
        int lineEnd = LineEnd(data, offset);
        int next = lineEnd + 2;
        switch ((char)type)
        {
            case '+': case '-': case ':': case ',': case '#': case '_': case '(':
                return next;
            case '$': case '=': case '!':
            {
                long len = ParseLength(data[(offset + 1)..lineEnd]);
                return len < 0 ? next : next + (int)len + 2;
            }
            case '*': case '~': case '>': case '%': case '|':
            {
                long count = ParseLength(data[(offset + 1)..lineEnd]);
                if (type is (byte)'%' or (byte)'|') count *= 2;
                for (long i = 0; i < count; i++) next = Skip(data, next);
                return next;
            }
            default:
                throw new FormatException($"Not a RESP reply type: '{(char)type}'");
        }
    }

    /// <summary>Reads the count of an aggregate header or the value of an integer reply.</summary>
    public static long ReadHeaderNumber(ReadOnlySpan<byte> data, int offset, out int next)
    {
        int lineEnd = LineEnd(data, offset);
        next = lineEnd + 2;
        return ParseLength(data[(offset + 1)..lineEnd]);
    }

    private static int LineEnd(ReadOnlySpan<byte> data, int offset)
    {
        int found = data[offset..].IndexOf("\r\n"u8);
        return found < 0 ? throw new ArgumentOutOfRangeException(nameof(data), "Incomplete RESP reply: no line end") : found + offset;
    }

    public static bool IsError(ReadOnlySpan<byte> data, int offset) => data[offset] == (byte)'-';

    private static long ParseLength(ReadOnlySpan<byte> text) =>
        RespNumbers.TryParseInt64(text, out long v) ? v : throw new FormatException("Bad RESP length");
}
