using System.Text;
using OrleansLua.GrainInterfaces.Commands;

namespace OrleansLua.GrainInterfaces.Security;

/// <summary>ACL SETUSER rules (Redis 7.0's modifiers, without selectors) and ACL LIST's description of a user.</summary>
public sealed partial class AclUser
{
    /// <summary>Applies one modifier; returns Redis's reason text when it is refused (the user may then be half-changed: apply to a copy).</summary>
    public string? Apply(string rule)
    {
        _unrestricted = null;
        if (rule.Length == 0) return null;
        switch (rule.ToLowerInvariant())
        {
            case "on": Enabled = true; return null;
            case "off": Enabled = false; return null;
            case "nopass":
                NoPass = true;
                _passwords.Clear();
                return null;
            case "resetpass":
                NoPass = false;
                _passwords.Clear();
                return null;
            case "sanitize-payload":
                _sanitizePayload = true;
                _skipSanitizePayload = false;
                return null;
            case "skip-sanitize-payload":
                _skipSanitizePayload = true;
                _sanitizePayload = false;
                return null;
            case "reset":
                foreach (var step in new[] { "resetpass", "resetkeys", "resetchannels", "off", "sanitize-payload", "-@all" }) Apply(step);
                return null;
            case "clearselectors":
                return null;
            case "allkeys" or "~*":
                AllKeys = true;
                _keys.Clear();
                return null;
            case "resetkeys":
                AllKeys = false;
                _keys.Clear();
                return null;
            case "allchannels" or "&*":
                AllChannels = true;
                _channels.Clear();
                _channelBytes.Clear();
                return null;
            case "resetchannels":
                AllChannels = false;
                _channels.Clear();
                _channelBytes.Clear();
                return null;
            case "allcommands" or "+@all":
                Array.Fill(_commands, true);
                FutureCommands = true;
                return null;
            case "nocommands" or "-@all":
                Array.Fill(_commands, false);
                FutureCommands = false;
                return null;
        }
        return rule[0] switch
        {
            '>' => AddPassword(HashPassword(Encoding.UTF8.GetBytes(rule[1..]))),
            '#' => IsHash(rule[1..]) ? AddPassword(rule[1..]) : BadHash,
            '<' => RemovePassword(HashPassword(Encoding.UTF8.GetBytes(rule[1..]))),
            '!' => IsHash(rule[1..]) ? RemovePassword(rule[1..]) : BadHash,
            '~' or '%' => AddKeyPattern(rule),
            '&' => AddChannelPattern(rule[1..]),
            '+' or '-' when rule.Length > 1 && rule[1] == '@' => SetCategory(rule[2..], rule[0] == '+'),
            '+' or '-' => SetCommand(rule[1..], rule[0] == '+'),
            '(' => "Selectors are not supported by OrleansLua",
            _ => SyntaxError,
        };
    }

    private const string SyntaxError = "Syntax error";
    private const string UnknownCommand = "Unknown command or category name in ACL";
    private const string BadHash = "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters";

    private string? AddPassword(string hash)
    {
        if (!_passwords.Contains(hash)) _passwords.Add(hash);
        NoPass = false;
        return null;
    }

    private string? RemovePassword(string hash) =>
        _passwords.Remove(hash) ? null : "The password you are trying to remove from the user does not exist";

    private static bool IsHash(string text) => text.Length == 64 && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private string? AddKeyPattern(string rule)
    {
        if (AllKeys)
            return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
        bool read = true, write = true;
        int offset = 1;
        if (rule[0] == '%')
        {
            read = write = false;
            for (; offset < rule.Length; offset++)
            {
                char c = char.ToUpperInvariant(rule[offset]);
                if (c == 'R' && !read) read = true;
                else if (c == 'W' && !write) write = true;
                else if (c == '~') break;
                else return SyntaxError;
            }
            if (offset >= rule.Length || (!read && !write)) return SyntaxError;
            offset++;
        }
        var text = rule[offset..];
        if (text.Contains(' ')) return SyntaxError;
        int existing = _keys.FindIndex(k => k.Text == text);
        if (existing < 0) _keys.Add(new KeyPattern(text, read, write));
        else _keys[existing] = _keys[existing] with { Read = _keys[existing].Read || read, Write = _keys[existing].Write || write };
        AllKeys = false;
        return null;
    }

    private string? AddChannelPattern(string pattern)
    {
        if (AllChannels)
            return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
        if (pattern.Contains(' ')) return SyntaxError;
        if (_channels.Contains(pattern)) return null;
        _channels.Add(pattern);
        _channelBytes.Add(Encoding.UTF8.GetBytes(pattern));
        return null;
    }

    private string? SetCategory(string name, bool allow)
    {
        int category = AclCategories.IndexOf(name);
        if (category < 0) return UnknownCommand;
        foreach (var spec in AclCategories.Commands(category)) Change(spec, allow);
        return null;
    }

    /// <summary>+cmd, -cmd, +cmd|sub, -cmd|sub. A container's rule covers its subcommands.</summary>
    private string? SetCommand(string name, bool allow)
    {
        var spec = CommandTable.FindAny(name.ToLowerInvariant());
        if (spec is null)
        {
            int bar = name.IndexOf('|');
            if (bar < 0 || CommandTable.Find(name[..bar]) is not { } parent) return UnknownCommand;
            if (bar == name.Length - 1) return SyntaxError;
            // Redis's "first-arg" rules (+select|0) for commands without subcommands are not kept
            return parent.Subcommands.Count > 0 || !allow ? UnknownCommand : "Allowing a first argument of a command is not supported by OrleansLua";
        }
        Change(spec, allow);
        return null;
    }

    private void Change(CommandSpec spec, bool allow)
    {
        _commands[spec.Id] = allow;
        foreach (var sub in spec.Subcommands) _commands[sub.Id] = allow;
    }

    /// <summary>The user as ACL LIST prints it, after "user &lt;name&gt; ".</summary>
    public string DescribeRules()
    {
        var parts = new List<string>(Flags());
        parts.AddRange(_passwords.Select(p => "#" + p));
        parts.Add(DescribeKeys());
        parts.Add(DescribeChannels());
        parts.Add(DescribeCommands());
        return string.Join(' ', parts.Where(p => p.Length > 0));
    }

    public IEnumerable<string> Flags()
    {
        yield return Enabled ? "on" : "off";
        if (NoPass) yield return "nopass";
        if (_skipSanitizePayload) yield return "skip-sanitize-payload";
        if (_sanitizePayload) yield return "sanitize-payload";
    }

    public string DescribeKeys() => AllKeys ? "~*" : string.Join(' ', _keys);

    public string DescribeChannels() => AllChannels ? "&*" : string.Join(' ', new[] { "resetchannels" }.Concat(_channels.Select(c => "&" + c)));

    /// <summary>ACL GETUSER's "channels": the patterns only.</summary>
    public string ChannelPatterns() => AllChannels ? "&*" : string.Join(' ', _channels.Select(c => "&" + c));

    /// <summary>
    /// Redis 7.0's description: +@all or -@all, then the best-fitting categories one after the other,
    /// then single commands (in command-table order) until the bits match exactly.
    /// </summary>
    public string DescribeCommands()
    {
        bool additive = !FutureCommands;
        var rules = new StringBuilder(additive ? "-@all" : "+@all");
        var fake = new AclUser("");
        fake.Apply(additive ? "-@all" : "+@all");
        var temp = Clone();
        var applied = new bool[AclCategories.Names.Length];
        while (true)
        {
            int best = -1;
            long minDiff = long.MaxValue, maxSame = 0;
            for (int c = 0; c < AclCategories.Names.Length; c++)
            {
                if (applied[c]) continue;
                long on = 0, off = 0;
                foreach (var spec in AclCategories.Commands(c))
                    if (temp._commands[spec.Id]) on++; else off++;
                long diff = additive ? off : on, same = additive ? on : off;
                if (same > diff && (diff < minDiff || (diff == minDiff && same > maxSame)))
                {
                    best = c;
                    minDiff = diff;
                    maxSame = same;
                }
            }
            if (best < 0) break;
            var name = AclCategories.Names[best];
            fake.SetCategory(name, additive);
            temp.SetCategory(name, !additive);
            rules.Append(additive ? " +@" : " -@").Append(name);
            applied[best] = true;
        }
        foreach (var spec in CommandTable.All)
        {
            AppendDifference(spec, fake, rules);
            foreach (var sub in spec.Subcommands) AppendDifference(sub, fake, rules);
        }
        return rules.ToString();
    }

    private void AppendDifference(CommandSpec spec, AclUser fake, StringBuilder rules)
    {
        bool mine = _commands[spec.Id];
        if (mine == fake._commands[spec.Id]) return;
        rules.Append(mine ? " +" : " -").Append(spec.Name);
        fake.Change(spec, mine);
    }
}
