namespace OrleansLua.Protocol;

/// <summary>
/// Redis glob matching (util.c stringmatchlen of 7.0.15): <c>* ? [abc] [^a] [a-z] \x</c>, binary-safe,
/// byte for byte the same answers, including its readings of malformed patterns. Bounded as Redis's:
/// once the rest of a pattern fails after a <c>*</c> at every position, no earlier <c>*</c> retries
/// a longer match (the fix for CVE-2022-36021), so the cost is at most pattern × text; and more than
/// <see cref="MaxNesting"/> nested stars do not match (as Redis 7.2 does), so no pattern can exhaust
/// the stack.
/// </summary>
public static class GlobPattern
{
    public const int MaxNesting = 1000;

    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool noCase = false)
    {
        bool skipLongerMatches = false;
        return Match(pattern, text, noCase, ref skipLongerMatches, 0);
    }

    /// <summary>
    /// Redis reads the byte after a pattern's end (its NUL terminator) in a few places; <see cref="At"/>
    /// answers 0 there, so those reads behave alike.
    /// </summary>
    private static bool Match(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool noCase, ref bool skipLongerMatches, int nesting)
    {
        if (nesting > MaxNesting) return false;
        int p = 0, t = 0;
        while (p < pattern.Length && t < text.Length)
        {
            switch (pattern[p])
            {
                case (byte)'*':
                    while (p < pattern.Length && At(pattern, p + 1) == '*') p++;
                    if (pattern.Length - p == 1) return true;
                    for (; t < text.Length; t++)
                    {
                        if (Match(pattern[(p + 1)..], text[t..], noCase, ref skipLongerMatches, nesting + 1)) return true;
                        if (skipLongerMatches) return false;
                    }
                    // The rest of the pattern matches nowhere in the rest of the text: a longer match
                    // for any earlier '*' would only start the rest later, so stop them all.
                    skipLongerMatches = true;
                    return false;
                case (byte)'?':
                    t++;
                    break;
                case (byte)'[':
                {
                    p++;
                    bool not = At(pattern, p) == '^';
                    if (not) p++;
                    bool match = false;
                    while (true)
                    {
                        if (At(pattern, p) == '\\' && pattern.Length - p >= 2)
                        {
                            p++;
                            if (pattern[p] == text[t]) match = true;
                        }
                        else if (At(pattern, p) == ']')
                        {
                            break;
                        }
                        else if (p == pattern.Length)
                        {
                            p--; // an unterminated class ends the pattern
                            break;
                        }
                        else if (pattern.Length - p >= 3 && pattern[p + 1] == '-')
                        {
                            int start = pattern[p], end = pattern[p + 2], c = text[t];
                            if (start > end) (start, end) = (end, start);
                            if (noCase)
                            {
                                start = Lower(start);
                                end = Lower(end);
                                c = Lower(c);
                            }
                            p += 2;
                            if (c >= start && c <= end) match = true;
                        }
                        else if (noCase ? Lower(pattern[p]) == Lower(text[t]) : pattern[p] == text[t])
                        {
                            match = true;
                        }
                        p++;
                    }
                    if (not) match = !match;
                    if (!match) return false;
                    t++;
                    break;
                }
                default:
                    if (pattern[p] == '\\' && pattern.Length - p >= 2) p++;
                    if (noCase ? Lower(pattern[p]) != Lower(text[t]) : pattern[p] != text[t]) return false;
                    t++;
                    break;
            }
            p++;
            if (t == text.Length)
            {
                while (At(pattern, p) == '*') p++;
                break;
            }
        }
        return p == pattern.Length && t == text.Length;
    }

    private static int At(ReadOnlySpan<byte> pattern, int index) => index < pattern.Length ? pattern[index] : 0;

    private static int Lower(int c) => c is >= 'A' and <= 'Z' ? c | 0x20 : c;
}
