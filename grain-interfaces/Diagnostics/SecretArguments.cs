using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.Protocol;

namespace OrleansLua.GrainInterfaces.Diagnostics;

/// <summary>Which arguments carry credentials, so the slow log, MONITOR-like output and logs never show them.</summary>
public static class SecretArguments
{
    public static bool IsSecret(byte[][] args, int index)
    {
        if (index == 0 || args.Length == 0) return false;
        var name = args[0];
        if (name.Is("auth")) return true;
        // HELLO 3 AUTH <user> <pass>: the two words after AUTH
        if (name.Is("hello"))
            for (int i = 1; i < args.Length && i < index; i++)
                if (args[i].Is("auth") && index - i is 1 or 2) return true;
        // ACL SETUSER name rules…: rules may hold passwords
        if (name.Is("acl") && args.Length > 1 && args[1].Is("setuser")) return index >= 3;
        // CONFIG SET requirepass <value>
        if (name.Is("config") && args.Length > 1 && args[1].Is("set") && index >= 3 && index % 2 == 1)
            return ServerSettings.IsSecret(System.Text.Encoding.UTF8.GetString(args[index - 1]));
        return false;
    }
}
