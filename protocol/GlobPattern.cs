namespace OrleansLua.Protocol;

/// <summary>Redis glob matching (stringmatchlen): <c>* ? [abc] [^a] [a-z] \x</c>, binary-safe.</summary>
public static class GlobPattern
{
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool noCase = false)
    {
        while (pattern.Length > 0)
        {
            switch (pattern[0])
            {
                case (byte)'*':
                    while (pattern.Length > 1 && pattern[1] == (byte)'*') pattern = pattern[1..];
                    if (pattern.Length == 1) return true;
                    for (int i = 0; i <= text.Length; i++)
                        if (IsMatch(pattern[1..], text[i..], noCase)) return true;
                    return false;
                case (byte)'?':
                    if (text.Length == 0) return false;
                    text = text[1..];
                    break;
                case (byte)'[':
                {
                    if (text.Length == 0) return false;
                    pattern = pattern[1..];
                    bool not = pattern.Length > 0 && pattern[0] == (byte)'^';
                    if (not) pattern = pattern[1..];
                    bool match = false;
                    while (pattern.Length > 0 && pattern[0] != (byte)']')
                    {
                        if (pattern[0] == (byte)'\\' && pattern.Length >= 2)
                        {
                            pattern = pattern[1..];
                            if (Eq(pattern[0], text[0], noCase)) match = true;
                        }
                        else if (pattern.Length >= 3 && pattern[1] == (byte)'-')
                        {
                            int start = pattern[0], end = pattern[2], c = text[0];
                            if (start > end) (start, end) = (end, start);
                            if (noCase)
                            {
                                start = Lower((byte)start); end = Lower((byte)end); c = Lower((byte)c);
                            }
                            pattern = pattern[2..];
                            if (c >= start && c <= end) match = true;
                        }
                        else if (Eq(pattern[0], text[0], noCase)) match = true;
                        pattern = pattern[1..];
                    }
                    if (not) match = !match;
                    if (!match) return false;
                    text = text[1..];
                    if (pattern.Length == 0) return text.Length == 0; // unterminated class ends the pattern
                    break;
                }
                case (byte)'\\' when pattern.Length >= 2:
                    pattern = pattern[1..];
                    if (text.Length == 0 || !Eq(pattern[0], text[0], noCase)) return false;
                    text = text[1..];
                    break;
                default:
                    if (text.Length == 0 || !Eq(pattern[0], text[0], noCase)) return false;
                    text = text[1..];
                    break;
            }
            pattern = pattern[1..];
        }
        return text.Length == 0;
    }

    private static bool Eq(byte a, byte b, bool noCase) => a == b || (noCase && Lower(a) == Lower(b));
    private static byte Lower(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c | 0x20) : c;
}
