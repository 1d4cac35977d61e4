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
public sealed class AclCommands(GatewayContext gateway)
{
    public const string WrongPass = "WRONGPASS invalid username-password pair or user is disabled.";
    public const string NoAuth = "NOAUTH Authentication required.";

    private AccessControl Acl => gateway.Acl;

    /// <summary>Checks credentials; on success the connection runs as that user. Null, or the error reply.</summary>
    public string? Authenticate(ClientSession session, string userName, byte[] password)
    {
        // the version first: a change landing between it and Find makes the session look its user up again
        int version = Acl.Version;
        var user = Acl.Find(userName);
        if (user is null || !user.Accepts(password))
        {
            gateway.AclLog.Add(AclLogReason.Auth, "toplevel", "AUTH", userName, session);
            return WrongPass;
        }
        session.Authenticate(user, version);
        return null;
    }

    public void Auth(byte[][] args, ClientSession session, RespWriter w)
    {
        if (args.Length > 3)
        {
            w.WriteError("ERR syntax error");
            return;
        }
        if (args.Length == 2 && Acl.Default.NoPass)
        {
            w.WriteError("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
            return;
        }
        var user = args.Length == 2 ? AclUser.DefaultName : Encoding.UTF8.GetString(args[1]);
        if (Authenticate(session, user, args[^1]) is { } error) w.WriteError(error);
        else w.WriteOk();
    }

    public async Task ExecuteAsync(CommandSpec spec, byte[][] args, ClientSession session, RespWriter w)
    {
        switch (spec.Name)
        {
            case "acl|whoami":
                w.WriteBulkString(session.User.Name);
                break;
            case "acl|users":
                w.WriteArrayHeader(Acl.Users.Count());
                foreach (var user in Acl.Users) w.WriteBulkString(user.Name);
                break;
            case "acl|list":
            {
                var users = Acl.Users.ToList();
                w.WriteArrayHeader(users.Count);
                foreach (var user in users) w.WriteBulkString($"user {user.Name} {user.DescribeRules()}");
                break;
            }
            case "acl|getuser":
                GetUser(Encoding.UTF8.GetString(args[2]), w);
                break;
            case "acl|setuser":
                await SetUserAsync(args, w);
                break;
            case "acl|deluser":
                await DelUserAsync(args, w);
                break;
            case "acl|cat":
                Cat(args, w);
                break;
            case "acl|genpass":
                GenPass(args, w);
                break;
            case "acl|dryrun":
                DryRun(args, w);
                break;
            case "acl|log":
                gateway.AclLog.Execute(args, w);
                break;
            case "acl|load":
            case "acl|save":
                w.WriteError("ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.");
                break;
        }
    }

    private void GetUser(string name, RespWriter w)
    {
        var user = Acl.Find(name);
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
    private async Task SetUserAsync(byte[][] args, RespWriter w)
    {
        var name = Encoding.UTF8.GetString(args[2]);
        if (name.Contains(' '))
        {
            w.WriteError("ERR Usernames can't contain spaces or null characters");
            return;
        }
        var rules = args.Skip(3).Select(a => Encoding.UTF8.GetString(a)).ToArray();
        var copy = Acl.Find(name)?.Clone() ?? new AclUser(name);
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

    private async Task DelUserAsync(byte[][] args, RespWriter w)
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

    private void DryRun(byte[][] args, RespWriter w)
    {
        var name = Encoding.UTF8.GetString(args[2]);
        var user = Acl.Find(name);
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
