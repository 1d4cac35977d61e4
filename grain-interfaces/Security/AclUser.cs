using System.Security.Cryptography;
using System.Text;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.GrainInterfaces.Security;

/// <summary>What a permission check found wrong.</summary>
public enum AclDenial
{
    None,
    Command,
    Key,
    Channel,
}

/// <summary>
/// One ACL user, as Redis 7.0 models it (without selectors): on/off, passwords (SHA-256), the
/// commands it may run (a bit per command and subcommand of the command table), key patterns with
/// read/write permissions and channel patterns. Changed only through <see cref="Apply"/> on a copy;
/// connections read the published instance.
/// </summary>
public sealed partial class AclUser
{
    public const string DefaultName = "default";

    private readonly bool[] _commands = new bool[CommandTable.ById.Count];
    private readonly List<string> _passwords = [];
    private readonly List<KeyPattern> _keys = [];
    private readonly List<string> _channels = [];
    /// <summary>The channel patterns as bytes (matched against every published or subscribed channel).</summary>
    private readonly List<byte[]> _channelBytes = [];

    public AclUser(string name) => Name = name;

    /// <summary>A user that may do nothing (a batch of a user deleted meanwhile).</summary>
    public static readonly AclUser Nobody = new("");

    public string Name { get; }
    public bool Enabled { get; private set; }
    public bool NoPass { get; private set; }
    public bool AllKeys { get; private set; }
    public bool AllChannels { get; private set; }
    /// <summary>+@all was applied (and not revoked by -@all): commands added later are allowed too (ACL LIST then starts with +@all).</summary>
    public bool FutureCommands { get; private set; }
    private bool _sanitizePayload, _skipSanitizePayload;

    /// <summary>Every command, key and channel: permission checks can be skipped.</summary>
    public bool IsUnrestricted => _unrestricted ??= AllKeys && AllChannels && Array.TrueForAll(_commands, c => c);

    /// <summary>Computed once per published instance (rules change only copies before publication).</summary>
    private bool? _unrestricted;

    public IReadOnlyList<string> PasswordHashes => _passwords;

    /// <summary>The user Redis starts with: on, nopass, every key, channel and command.</summary>
    public static AclUser CreateDefault()
    {
        var user = new AclUser(DefaultName);
        foreach (var rule in new[] { "+@all", "~*", "&*", "on", "nopass" }) user.Apply(rule);
        return user;
    }

    public AclUser Clone(string? name = null)
    {
        var copy = new AclUser(name ?? Name)
        {
            Enabled = Enabled, NoPass = NoPass, AllKeys = AllKeys, AllChannels = AllChannels, FutureCommands = FutureCommands,
            _sanitizePayload = _sanitizePayload, _skipSanitizePayload = _skipSanitizePayload,
        };
        _commands.CopyTo(copy._commands, 0);
        copy._passwords.AddRange(_passwords);
        copy._keys.AddRange(_keys);
        copy._channels.AddRange(_channels);
        copy._channelBytes.AddRange(_channelBytes);
        return copy;
    }

    public static string HashPassword(ReadOnlySpan<byte> password) => Convert.ToHexStringLower(SHA256.HashData(password));

    /// <summary>AUTH: a disabled user never matches; a nopass user matches any password.</summary>
    public bool Accepts(ReadOnlySpan<byte> password)
    {
        if (!Enabled) return false;
        if (NoPass) return true;
        var hash = Encoding.ASCII.GetBytes(HashPassword(password));
        bool match = false;
        foreach (var stored in _passwords)
            match |= CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(stored));
        return match;
    }

    public bool CanRun(CommandSpec spec) => _commands[spec.Id];

    /// <summary>
    /// Checks a command with its arguments: the command itself, then its keys (a write command needs
    /// read and write permission on each key, a read command read permission), then its channels.
    /// </summary>
    public AclDenial Check(CommandSpec spec, byte[][] args, List<int> keyScratch) => Check(spec, args, keyScratch, out _);

    /// <param name="denied">The argument (key or channel) that was refused.</param>
    public AclDenial Check(CommandSpec spec, byte[][] args, List<int> keyScratch, out int denied)
    {
        denied = 0;
        if (!_commands[spec.Id]) return AclDenial.Command;
        if (!AllKeys)
        {
            keyScratch.Clear();
            if (spec.Keys.Collect(args, keyScratch) is null)
            {
                bool write = spec.Has(CommandFlags.Write);
                foreach (int index in keyScratch)
                {
                    if (CanAccessKey(args[index], read: true, write)) continue;
                    denied = index;
                    return AclDenial.Key;
                }
            }
        }
        if (!AllChannels && spec.Channels is { } channels)
        {
            var (start, end) = channels.Range(args.Length);
            for (int i = start; i <= end; i++)
            {
                if (CanAccessChannel(args[i], channels.Patterns)) continue;
                denied = i;
                return AclDenial.Channel;
            }
        }
        return AclDenial.None;
    }

    public bool CanAccessKey(ReadOnlySpan<byte> key, bool read, bool write)
    {
        if (AllKeys) return true;
        foreach (var pattern in _keys)
            if (pattern.Permits(key, read, write)) return true;
        return false;
    }

    /// <summary>Channels match the user's patterns as globs; a PSUBSCRIBE pattern must be one of them literally.</summary>
    public bool CanAccessChannel(byte[] channel, bool isPattern)
    {
        if (AllChannels) return true;
        foreach (var pattern in _channelBytes)
            if (isPattern ? pattern.AsSpan().SequenceEqual(channel) : GlobPattern.IsMatch(pattern, channel)) return true;
        return false;
    }
}
