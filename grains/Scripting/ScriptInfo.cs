using System.Text;

namespace OrleansLua.Grains.Scripting;

/// <summary>Script flags of Redis 7's <c>#!lua flags=…</c> shebang.</summary>
[Flags]
public enum ScriptFlags
{
    None = 0,
    NoWrites = 1,
    AllowOom = 2,
    AllowStale = 4,
    NoCluster = 8,
    AllowCrossSlotKeys = 16,
    /// <summary>The script has a shebang (Redis: not in EVAL compatibility mode).</summary>
    Shebang = 32,
}

/// <summary>A script body as the cache keeps it: its SHA1, its shebang flags and the code Lua compiles.</summary>
public sealed class ScriptInfo
{
    private static readonly (string Name, ScriptFlags Flag)[] FlagNames =
    [
        ("no-writes", ScriptFlags.NoWrites), ("allow-oom", ScriptFlags.AllowOom), ("allow-stale", ScriptFlags.AllowStale),
        ("no-cluster", ScriptFlags.NoCluster), ("allow-cross-slot-keys", ScriptFlags.AllowCrossSlotKeys),
    ];

    private ScriptInfo(string sha, byte[] body, byte[] code, ScriptFlags flags, string? error)
    {
        Sha = sha;
        Body = body;
        Code = code;
        Flags = flags;
        ShebangError = error;
    }

    public string Sha { get; }
    public byte[] Body { get; }
    /// <summary>What Lua compiles: the body with its shebang line blanked (line numbers stay).</summary>
    public byte[] Code { get; }
    public ScriptFlags Flags { get; }
    /// <summary>Redis's error for a malformed shebang, or null.</summary>
    public string? ShebangError { get; }

    /// <summary>
    /// A registered function seen as a script: <paramref name="key"/> names its compiled callback, <see cref="Name"/>
    /// is what errors call it, and its flags are the ones it registered with.
    /// </summary>
    public static ScriptInfo ForFunction(string key, string name, IEnumerable<string> flagNames)
    {
        var flags = ScriptFlags.Shebang;
        foreach (var flagName in flagNames)
        {
            var match = Array.Find(FlagNames, f => f.Name == flagName);
            if (match.Name is not null) flags |= match.Flag;
        }
        return new ScriptInfo(key, [], [], flags, null) { Name = name, Source = "@user_function" };
    }

    /// <summary>What Redis's errors call the script: its SHA1, or a function's name.</summary>
    public string Name { get => _name ?? Sha; private init => _name = value; }
    private readonly string? _name;

    /// <summary>The Lua chunk name its errors point into.</summary>
    public string Source { get; private init; } = "@user_script";

    /// <summary>Whether this is a registered function (FCALL) rather than a script body.</summary>
    public bool IsFunction => _name is not null;

    public static ScriptInfo Parse(byte[] body) => Parse(ScriptHost.Sha1Of(body), body);

    /// <summary>Reads the shebang as Redis 7.0's evalExtractShebangFlags does, with its error texts.</summary>
    public static ScriptInfo Parse(string sha, byte[] body)
    {
        if (body.Length < 2 || body[0] != '#' || body[1] != '!') return new ScriptInfo(sha, body, body, ScriptFlags.None, null);
        int end = Array.IndexOf(body, (byte)'\n');
        if (end < 0) return new ScriptInfo(sha, body, body, ScriptFlags.None, "ERR Invalid script shebang");
        var parts = Encoding.UTF8.GetString(body, 0, end).Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        var code = body[end..];
        if (parts.Length == 0) return Fail("ERR Invalid engine in script shebang");
        if (parts[0] != "#!lua") return Fail($"ERR Unexpected engine in script shebang: {parts[0]}");
        var flags = ScriptFlags.Shebang;
        foreach (var part in parts.Skip(1))
        {
            if (!part.StartsWith("flags=", StringComparison.Ordinal)) return Fail($"ERR Unknown lua shebang option: {part}");
            foreach (var name in part[6..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var match = Array.Find(FlagNames, f => f.Name == name);
                if (match.Name is null) return Fail($"ERR Unexpected flag in script shebang: {name}");
                flags |= match.Flag;
            }
        }
        return new ScriptInfo(sha, body, code, flags, null);

        ScriptInfo Fail(string error) => new(sha, body, body, ScriptFlags.None, error);
    }
}
