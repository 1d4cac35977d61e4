using System.Text;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// The shebang of a FUNCTION LOAD payload ("#!lua name=mylib"), read as Redis 7.0's
/// functionExtractLibMetaData does, with its error texts.
/// </summary>
public sealed record LibraryMetadata(string Name, string Engine, byte[] Code)
{
    /// <summary>The code Lua runs: the payload with its shebang line blanked, so line numbers stay.</summary>
    public byte[] LuaCode => Code.AsSpan(Array.IndexOf(Code, (byte)'\n')).ToArray();

    /// <summary>The metadata, or Redis's error (with "ERR ").</summary>
    public static LibraryMetadata? Parse(byte[] code, out string? error)
    {
        error = null;
        if (code.Length < 2 || code[0] != '#' || code[1] != '!') return Fail("ERR Missing library metadata", out error);
        int end = Array.IndexOf(code, (byte)'\n');
        if (end < 0) return Fail("ERR Invalid library metadata", out error);
        var parts = SplitArgs(Encoding.UTF8.GetString(code, 0, end));
        if (parts is null || parts.Count == 0) return Fail("ERR Invalid library metadata", out error);
        string engine = parts[0][2..];
        string? name = null;
        foreach (var part in parts.Skip(1))
        {
            if (!part.StartsWith("name=", StringComparison.OrdinalIgnoreCase)) return Fail($"ERR Invalid metadata value given: {part}", out error);
            if (name is not null) return Fail("ERR Invalid metadata value, name argument was given multiple times", out error);
            name = part[5..];
        }
        if (name is null) return Fail("ERR Library name was not given", out error);
        if (!IsValidName(name))
            return Fail("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long", out error);
        if (!engine.Equals("lua", StringComparison.OrdinalIgnoreCase)) return Fail($"ERR Engine '{engine}' not found", out error);
        return new LibraryMetadata(name, "LUA", code);
    }

    /// <summary>
    /// Redis's sdssplitargs, as far as a shebang needs it: words split by white space, where "double" (with
    /// backslash escapes) and 'single' quotes may join text with spaces (name="foo" is name=foo). Null: unbalanced quotes.
    /// </summary>
    private static List<string>? SplitArgs(string line)
    {
        var parts = new List<string>();
        int i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i >= line.Length) return parts;
            var word = new StringBuilder();
            char quote = '\0';
            for (; i < line.Length; i++)
            {
                char ch = line[i];
                if (quote == '\0')
                {
                    if (char.IsWhiteSpace(ch)) break;
                    if (ch is '"' or '\'') quote = ch;
                    else word.Append(ch);
                }
                else if (ch == quote) quote = '\0';
                else if (quote == '"' && ch == '\\' && i + 1 < line.Length) word.Append(line[++i]);
                else word.Append(ch);
            }
            if (quote != '\0') return null;
            parts.Add(word.ToString());
        }
    }

    /// <summary>Redis's functionsVerifyName: letters, digits and underscores, at least one.</summary>
    public static bool IsValidName(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static LibraryMetadata? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }
}
