using OrleansLua.GrainInterfaces.Commands;

namespace OrleansLua.Client.Gateway;

/// <summary>CLIENT HELP, ACL HELP…: the container's subcommands and their summaries, from the command table.</summary>
public static class SubcommandHelp
{
    /// <summary>Containers whose subcommands run in slots: only their HELP is the gateway's.</summary>
    public static void Register(GatewayHandlers handlers)
    {
        handlers.AddHelp("xgroup");
        handlers.AddHelp("xinfo");
    }

    public static void Write(GatewayCall call)
    {
        string container = call.Spec.Name.Split('|')[0];
        var parent = CommandTable.Find(container)!;
        var lines = new List<string> { $"{container.ToUpperInvariant()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:" };
        foreach (var sub in parent.Subcommands)
        {
            lines.Add(sub.Name.Split('|')[1].ToUpperInvariant());
            lines.Add("    " + sub.Summary);
        }
        var w = call.Reply;
        w.WriteArrayHeader(lines.Count);
        foreach (var line in lines) w.WriteSimpleString(line);
    }
}
