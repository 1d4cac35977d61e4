using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.Protocol;

namespace OrleansLua.GrainInterfaces.Diagnostics;

/// <summary>Which arguments carry credentials (the table's <see cref="CommandSpec.Secrets"/>), so the slow log and logs never show them.</summary>
public static class SecretArguments
{
    /// <summary>Whether argument <paramref name="index"/> of a request is a credential (the command resolved from its name).</summary>
    public static bool IsSecret(byte[][] args, int index)
    {
        if (index == 0 || args.Length == 0 || CommandTable.Find(args[0]) is not { } spec) return false;
        if (spec.Subcommands.Count > 0 && args.Length > 1) spec = CommandTable.FindSubcommand(spec, args[1]) ?? spec;
        return IsSecret(spec, args, index);
    }

    /// <summary>Whether argument <paramref name="index"/> of a request for <paramref name="spec"/> is a credential.</summary>
    public static bool IsSecret(CommandSpec spec, byte[][] args, int index)
    {
        if (index == 0) return false;
        int first = spec.IsSubcommand ? 2 : 1; // the first argument after the (sub)command's name
        return spec.Secrets switch
        {
            SecretArgs.All => true,
            SecretArgs.AuthOption => FollowsAuthOption(args, index),
            SecretArgs.AfterFirst => index > first,
            // parameter value pairs: a value is secret when its parameter is
            SecretArgs.ConfigValues => index > first && (index - first) % 2 == 1
                && ServerSettings.IsSecret(System.Text.Encoding.UTF8.GetString(args[index - 1])),
            _ => false,
        };
    }

    /// <summary>HELLO 3 AUTH user pass: the two words after AUTH.</summary>
    private static bool FollowsAuthOption(byte[][] args, int index)
    {
        for (int i = 1; i < args.Length && i < index; i++)
            if (args[i].Is("auth") && index - i is 1 or 2) return true;
        return false;
    }
}
