using OrleansLua.Grains.Keyspace;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Commands;

/// <summary>Sorted set arguments read as Redis 7.0 reads them: scores, score bounds, lex bounds.</summary>
internal static class SortedSetArgs
{
    /// <summary>
    /// A score, increment or weight (Redis's string2d): the whole text is a float, no spaces, no
    /// NaN, and no overflow to ±inf or underflow to 0 (spelled-out "inf" is fine).
    /// </summary>
    public static bool TryParseScore(byte[] text, out double value)
    {
        if (!RespNumbers.TryParseDouble(text, out value)) return false;
        if (double.IsInfinity(value)) return text.AsSpan().IndexOfAny((byte)'i', (byte)'I') >= 0;
        return value != 0 || !HasNonZeroMantissa(text);
    }

    /// <summary>
    /// A ZRANGEBYSCORE bound (zslParseRange uses plain strtod): "(" makes it exclusive, leading
    /// spaces pass, nothing at all reads as 0, overflow reads as ±inf; NaN and trailing junk fail.
    /// </summary>
    private static bool TryParseScoreBound(byte[] arg, out double value, out bool exclusive)
    {
        ReadOnlySpan<byte> text = arg;
        exclusive = text.Length > 0 && text[0] == (byte)'(';
        if (exclusive) text = text[1..];
        value = 0;
        if (text.IsEmpty) return true;
        int spaces = 0;
        while (spaces < text.Length && IsSpace(text[spaces])) spaces++;
        return RespNumbers.TryParseDouble(text[spaces..], out value);
    }

    public static bool TryParseScoreRange(byte[] min, byte[] max, out ScoreRange range)
    {
        range = default;
        if (!TryParseScoreBound(min, out double lo, out bool loEx) || !TryParseScoreBound(max, out double hi, out bool hiEx))
            return false;
        range = new ScoreRange(lo, loEx, hi, hiEx);
        return true;
    }

    /// <summary>A ZRANGEBYLEX bound: "-", "+", "[member" or "(member".</summary>
    private static bool TryParseLexBound(byte[] arg, out LexBound bound)
    {
        bound = default;
        if (arg.Length == 0) return false;
        switch (arg[0])
        {
            case (byte)'-' when arg.Length == 1:
                bound = LexBound.Minus;
                return true;
            case (byte)'+' when arg.Length == 1:
                bound = LexBound.Plus;
                return true;
            case (byte)'(' or (byte)'[':
                bound = new LexBound(arg[1..], arg[0] == (byte)'(', 0);
                return true;
            default:
                return false;
        }
    }

    public static bool TryParseLexRange(byte[] min, byte[] max, out LexRange range)
    {
        range = default;
        if (!TryParseLexBound(min, out var lo) || !TryParseLexBound(max, out var hi)) return false;
        range = new LexRange(lo, hi);
        return true;
    }

    /// <summary>Redis's getPositiveLong: a non-negative integer, else "value is out of range, must be positive".</summary>
    public static bool TryParseNonNegative(CommandContext c, byte[] arg, out long value)
    {
        if (arg.TryInt64(out value) && value >= 0) return true;
        c.Reply.WriteError("ERR value is out of range, must be positive");
        return false;
    }

    private static bool HasNonZeroMantissa(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
        {
            if (b is (byte)'e' or (byte)'E') return false;
            if (b is >= (byte)'1' and <= (byte)'9') return true;
        }
        return false;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';
}
