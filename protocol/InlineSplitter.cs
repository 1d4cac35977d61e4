namespace OrleansLua.Protocol;

/// <summary>Splits an inline command line the way Redis's sdssplitargs does (quotes and escapes).</summary>
public static class InlineSplitter
{
    /// <returns>The arguments, or null for unbalanced quotes.</returns>
    public static byte[][]? Split(ReadOnlySpan<byte> line)
    {
        var args = new List<byte[]>();
        var current = new List<byte>();
        int i = 0;
        while (true)
        {
            while (i < line.Length && IsSpace(line[i])) i++;
            if (i >= line.Length) return args.ToArray();
            bool inDouble = false, inSingle = false, done = false;
            current.Clear();
            while (!done)
            {
                if (inDouble)
                {
                    if (i >= line.Length) return null;
                    byte c = line[i];
                    if (c == '\\' && i + 3 < line.Length && line[i + 1] == 'x' && IsHex(line[i + 2]) && IsHex(line[i + 3]))
                    {
                        current.Add((byte)(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3])));
                        i += 3;
                    }
                    else if (c == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        current.Add(line[i] switch
                        {
                            (byte)'n' => (byte)'\n',
                            (byte)'r' => (byte)'\r',
                            (byte)'t' => (byte)'\t',
                            (byte)'b' => (byte)'\b',
                            (byte)'a' => (byte)'\a',
                            var other => other,
                        });
                    }
                    else if (c == '"')
                    {
                        // A closing quote must be followed by a space or the end.
                        if (i + 1 < line.Length && !IsSpace(line[i + 1])) return null;
                        done = true;
                    }
                    else current.Add(c);
                }
                else if (inSingle)
                {
                    if (i >= line.Length) return null;
                    byte c = line[i];
                    if (c == '\\' && i + 1 < line.Length && line[i + 1] == '\'')
                    {
                        i++;
                        current.Add((byte)'\'');
                    }
                    else if (c == '\'')
                    {
                        if (i + 1 < line.Length && !IsSpace(line[i + 1])) return null;
                        done = true;
                    }
                    else current.Add(c);
                }
                else
                {
                    if (i >= line.Length) { done = true; break; }
                    byte c = line[i];
                    if (IsSpace(c)) done = true;
                    else if (c == '"') inDouble = true;
                    else if (c == '\'') inSingle = true;
                    else current.Add(c);
                }
                if (i < line.Length) i++;
            }
            args.Add(current.ToArray());
        }
    }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\v' or (byte)'\f' or 0;
    private static bool IsHex(byte c) => c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
