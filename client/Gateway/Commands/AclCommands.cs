using System.Security.Cryptography;
using System.Text;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.GrainInterfaces.Security;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// AUTH and ACL. Users are cluster configuration: ACL SETUSER/DELUSER on any gateway is stored by the
/// registry and reaches every node before it answers; a deleted user's connections are closed.
/// </summary>
public static class AclCommands
{
    public const string WrongPass = "WRONGPASS invalid username-password pair or user is disabled.";
    public const string NoAuth = "NOAUTH Authentication required.";

    /// <summary>Checks credentials; on success the connection runs as that user. Null, or the error reply.</summary>
    public static string? Authenticate(GatewayContext gateway, ClientSession session, string userName, byte[] password)
    {
        // the version first: a change landing between it and Find makes the session look its user up again
        int version = gateway.Acl.Version;
        var user = gateway.Acl.Find(userName);
        if (user is null || !user.Accepts(password))
        {
            gateway.AclLog.Add(AclLogReason.Auth, "toplevel", "AUTH", userName, session);
            return WrongPass;
        }
        session.Authenticate(user, version);
        return null;
    }

    private static void Auth(GatewayContext gateway, byte[][] args, ClientSession session, RespWriter w)
    {
        if (args.Length > 3)
        {
            w.WriteError("ERR syntax error");
            return;
        }
        if (args.Length == 2 && gateway.Acl.Default.NoPass)
        {
            w.WriteError("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
            return;
        }
        var user = args.Length == 2 ? AclUser.DefaultName : Encoding.UTF8.GetString(args[1]);
        if (Authenticate(gateway, session, user, args[^1]) is { } error) w.WriteError(error);
        else w.WriteOk();
    }

    public static void Register(GatewayHandlers handlers)
    {
        handlers.Add("auth", c => Auth(c.Gateway, c.Args, c.Session, c.Reply));
        handlers.Add("acl|whoami", c => c.Reply.WriteBulkString(c.Session.User.Name));
        handlers.Add("acl|users", c =>
        {
            var users = c.Gateway.Acl.Users.ToList();
            c.Reply.WriteArrayHeader(users.Count);
            foreach (var user in users) c.Reply.WriteBulkString(user.Name);
        });
        handlers.Add("acl|list", c =>
        {
            var users = c.Gateway.Acl.Users.ToList();
            c.Reply.WriteArrayHeader(users.Count);
            foreach (var user in users) c.Reply.WriteBulkString($"user {user.Name} {user.DescribeRules()}");
        });
        handlers.Add("acl|getuser", c => GetUser(c.Gateway.Acl, Encoding.UTF8.GetString(c.Args[2]), c.Reply));
        handlers.Add("acl|setuser", c => SetUserAsync(c.Gateway, c.Args, c.Reply));
        handlers.Add("acl|deluser", c => DelUserAsync(c.Gateway, c.Args, c.Reply));
        handlers.Add("acl|cat", c => Cat(c.Args, c.Reply));
        handlers.Add("acl|genpass", c => GenPass(c.Args, c.Reply));
        handlers.Add("acl|dryrun", c => DryRun(c.Gateway.Acl, c.Args, c.Reply));
        handlers.Add("acl|log", c => c.Gateway.AclLog.Execute(c.Args, c.Reply));
        handlers.Add("acl|load", NoAclFile);
        handlers.Add("acl|save", NoAclFile);
        handlers.AddHelp("acl");
    }

    private static void NoAclFile(GatewayCall c) =>
        c.Reply.WriteError("ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.");

    private static void GetUser(AccessControl acl, string name, RespWriter w)
    {
        var user = acl.Find(name);
        if (user is null)
        {
            w.WriteNull();
            return;
        }
        w.WriteMapHeader(6);
        w.WriteBulkString("flags");
        var flags = user.Flags().ToList();
        w.WriteArrayHeader(flags.Count);
        foreach (var flag in flags) w.WriteBulkString(flag);
        w.WriteBulkString("passwords");
        w.WriteArrayHeader(user.PasswordHashes.Count);
        foreach (var hash in user.PasswordHashes) w.WriteBulkString(hash);
        w.WriteBulkString("commands");
        w.WriteBulkString(user.DescribeCommands());
        w.WriteBulkString("keys");
        w.WriteBulkString(user.DescribeKeys());
        w.WriteBulkString("channels");
        w.WriteBulkString(user.ChannelPatterns());
        w.WriteBulkString("selectors");
        w.WriteArrayHeader(0);
    }

    /// <summary>
    /// Checked on a copy here for the immediate error, then applied by the cluster configuration grain
    /// to the stored user (so concurrent SETUSERs never overwrite each other); all or nothing.
    /// </summary>
    private static async Task SetUserAsync(GatewayContext gateway, byte[][] args, RespWriter w)
    {
        var name = Encoding.UTF8.GetString(args[2]);
        if (name.Contains(' '))
        {
            w.WriteError("ERR Usernames can't contain spaces or null characters");
            return;
        }
        var rules = args.Skip(3).Select(a => Encoding.UTF8.GetString(a)).ToArray();
        var copy = gateway.Acl.Find(name)?.Clone() ?? new AclUser(name);
        foreach (var rule in rules)
        {
            if (copy.Apply(rule) is { } reason)
            {
                w.WriteError($"ERR Error in ACL SETUSER modifier '{rule}': {reason}");
                return;
            }
        }
        if (await gateway.Cluster.SetUserAsync(name, rules) is { } error) w.WriteError(error);
        else w.WriteOk();
    }

    private static async Task DelUserAsync(GatewayContext gateway, byte[][] args, RespWriter w)
    {
        var names = args.Skip(2).Select(a => Encoding.UTF8.GetString(a)).ToArray();
        if (names.Contains(AclUser.DefaultName))
        {
            w.WriteError("ERR The 'default' user cannot be removed");
            return;
        }
        w.WriteInteger(await gateway.Cluster.DeleteUsersAsync(names));
    }

    private static void Cat(byte[][] args, RespWriter w)
    {
        if (args.Length > 3)
        {
            w.WriteError("ERR unknown subcommand or wrong number of arguments for 'cat'. Try ACL HELP.");
            return;
        }
        if (args.Length == 2)
        {
            w.WriteArrayHeader(AclCategories.Names.Length);
            foreach (var name in AclCategories.Names) w.WriteBulkString(name);
            return;
        }
        var category = Encoding.UTF8.GetString(args[2]);
        int index = AclCategories.IndexOf(category);
        if (index < 0)
        {
            w.WriteError($"ERR Unknown category '{category}'");
            return;
        }
        var commands = AclCategories.Commands(index).ToList();
        w.WriteArrayHeader(commands.Count);
        foreach (var command in commands) w.WriteBulkString(command.Name);
    }

    /// <summary>ACL GENPASS [bits]: that many random bits as hex (256 by default).</summary>
    private static void GenPass(byte[][] args, RespWriter w)
    {
        long bits = 256;
        if (args.Length > 3 || (args.Length == 3 && (!RespNumbers.TryParseInt64(args[2], out bits) || bits <= 0 || bits > 4096)))
        {
            w.WriteError("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096");
            return;
        }
        int chars = (int)((bits + 3) / 4);
        w.WriteBulkString(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((chars + 1) / 2))[..chars]);
    }

    private static void DryRun(AccessControl acl, byte[][] args, RespWriter w)
    {
        var name = Encoding.UTF8.GetString(args[2]);
        var user = acl.Find(name);
        if (user is null)
        {
            w.WriteError($"ERR User '{name}' not found");
            return;
        }
        var command = args[3..];
        var spec = CommandTable.Resolve(command, out var error);
        if (spec is null)
        {
            w.WriteError(CommandTable.Find(command[0]) is null ? $"ERR Command '{Encoding.UTF8.GetString(command[0])}' not found" : error!);
            return;
        }
        var denial = user.Check(spec, command, [], out int denied);
        if (denial == AclDenial.None) w.WriteOk();
        else w.WriteBulkString(denial switch
        {
            AclDenial.Command => $"This user has no permissions to run the '{spec.Name}' command",
            AclDenial.Key => $"This user has no permissions to access the '{Encoding.UTF8.GetString(command[denied])}' key",
            _ => $"This user has no permissions to access the '{Encoding.UTF8.GetString(command[denied])}' channel",
        });
    }

    /// <summary>The NOPERM reply for a denied command at top level.</summary>
    public static string Denied(CommandSpec spec, AclDenial denial) => denial switch
    {
        AclDenial.Command => $"NOPERM this user has no permissions to run the '{spec.Name}' command",
        AclDenial.Key => "NOPERM this user has no permissions to access one of the keys used as arguments",
        _ => "NOPERM this user has no permissions to access one of the channels used as arguments",
    };
}
