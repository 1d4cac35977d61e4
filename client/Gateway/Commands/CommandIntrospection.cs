using System.Text;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>COMMAND, COMMAND COUNT/INFO/DOCS/LIST/GETKEYS: all read from the command table.</summary>
public static class CommandIntrospection
{
    private static IEnumerable<CommandSpec> TopLevel => CommandTable.All;

    public static void Register(GatewayHandlers handlers)
    {
        handlers.Add("command", c => WriteAllInfo(c.Reply));
        handlers.Add("command|count", c => c.Reply.WriteInteger(CommandTable.All.Count));
        handlers.Add("command|list", c =>
        {
            if (c.Args.Length > 2)
            {
                c.Reply.WriteError("ERR syntax error");
                return;
            }
            c.Reply.WriteArrayHeader(CommandTable.All.Count);
            foreach (var spec in TopLevel) c.Reply.WriteBulkString(spec.Name);
        });
        handlers.Add("command|info", c => Info(c.Args, c.Reply));
        handlers.Add("command|docs", c => Docs(c.Args, c.Reply));
        handlers.Add("command|getkeys", c => GetKeys(c.Args, c.Reply));
        handlers.AddHelp("command");
    }

    private static void WriteAllInfo(RespWriter w)
    {
        w.WriteArrayHeader(CommandTable.All.Count);
        foreach (var c in TopLevel) WriteInfo(c, w);
    }

    private static void Info(byte[][] args, RespWriter w)
    {
        var names = args.Skip(2).ToArray();
        if (names.Length == 0)
        {
            WriteAllInfo(w);
            return;
        }
        w.WriteArrayHeader(names.Length);
        foreach (var name in names)
        {
            var c = FindByFullName(name);
            if (c is null) w.WriteNullArray();
            else WriteInfo(c, w);
        }
    }

    private static void Docs(byte[][] args, RespWriter w)
    {
        var specs = args.Length == 2
            ? TopLevel.ToList()
            : args.Skip(2).Select(FindByFullName).Where(c => c is not null).Select(c => c!).ToList();
        w.WriteMapHeader(specs.Count);
        foreach (var c in specs)
        {
            w.WriteBulkString(c.Name);
            WriteDocs(c, w);
        }
    }

    private static CommandSpec? FindByFullName(byte[] name)
    {
        var text = Encoding.UTF8.GetString(name).ToLowerInvariant();
        var parts = text.Split('|');
        var top = CommandTable.Find(parts[0]);
        if (top is null || parts.Length == 1) return top;
        return top.Subcommands.FirstOrDefault(s => s.Name == text);
    }

    /// <summary>The 10-element Redis 7 command info array.</summary>
    private static void WriteInfo(CommandSpec c, RespWriter w)
    {
        w.WriteArrayHeader(10);
        w.WriteBulkString(c.Name);
        w.WriteInteger(c.Arity);
        WriteStatusSet(c.FlagNames().ToList(), w);
        var (first, last, step) = c.Keys.Legacy;
        w.WriteInteger(first);
        w.WriteInteger(last);
        w.WriteInteger(step);
        WriteStatusSet(c.AclCategories().ToList(), w);
        WriteStatusSet(c.Tips().ToList(), w);
        WriteKeySpecs(c, w);
        w.WriteArrayHeader(c.Subcommands.Count);
        foreach (var sub in c.Subcommands) WriteInfo(sub, w);
    }

    private static void WriteStatusSet(List<string> items, RespWriter w)
    {
        w.WriteSetHeader(items.Count);
        foreach (var item in items) w.WriteSimpleString(item);
    }

    /// <summary>Redis 7 key specs: begin_search + find_keys, from the table's key spec.</summary>
    private static void WriteKeySpecs(CommandSpec c, RespWriter w)
    {
        if (c.Keys == KeySpec.None)
        {
            w.WriteArrayHeader(0);
            return;
        }
        w.WriteArrayHeader(1);
        w.WriteMapHeader(3);
        w.WriteBulkString("flags");
        WriteStatusSet([c.Has(CommandFlags.Write) ? "RW" : "RO", c.Has(CommandFlags.Write) ? "UPDATE" : "ACCESS"], w);
        switch (c.Keys)
        {
            case RangeKeys:
            {
                var (first, last, step) = c.Keys.Legacy;
                WriteSearch(w, "begin_search", "index", ("index", first));
                WriteSearch(w, "find_keys", "range", ("lastkey", last < 0 ? last : last - first), ("keystep", step), ("limit", 0));
                break;
            }
            case IKeyCountSpec counted:
                WriteSearch(w, "begin_search", "index", ("index", counted.CountIndex));
                WriteSearch(w, "find_keys", "keynum", ("keynumidx", 0), ("firstkey", 1), ("keystep", 1));
                break;
            default:
                WriteSearch(w, "begin_search", "unknown");
                WriteSearch(w, "find_keys", "unknown");
                break;
        }
    }

    private static void WriteSearch(RespWriter w, string name, string type, params (string Name, long Value)[] spec)
    {
        w.WriteBulkString(name);
        w.WriteMapHeader(2);
        w.WriteBulkString("type");
        w.WriteBulkString(type);
        w.WriteBulkString("spec");
        w.WriteMapHeader(spec.Length);
        foreach (var (field, value) in spec)
        {
            w.WriteBulkString(field);
            w.WriteInteger(value);
        }
    }

    private static void WriteDocs(CommandSpec c, RespWriter w)
    {
        bool hasSubs = c.Subcommands.Count > 0;
        w.WriteMapHeader(hasSubs ? 4 : 3);
        w.WriteBulkString("summary"); w.WriteBulkString(c.Summary);
        w.WriteBulkString("since"); w.WriteBulkString(c.Since);
        w.WriteBulkString("group"); w.WriteBulkString(c.Group);
        if (!hasSubs) return;
        w.WriteBulkString("subcommands");
        w.WriteMapHeader(c.Subcommands.Count);
        foreach (var sub in c.Subcommands)
        {
            w.WriteBulkString(sub.Name);
            WriteDocs(sub, w);
        }
    }

    private static void GetKeys(byte[][] args, RespWriter w)
    {
        var target = args[2..];
        if (CommandTable.Find(target[0]) is null)
        {
            w.WriteError("ERR Invalid command specified");
            return;
        }
        // Resolve descends into subcommands (XGROUP CREATE…) and checks arity.
        var spec = CommandTable.Resolve(target, out _);
        if (spec is null)
        {
            w.WriteError("ERR Invalid number of arguments specified for command");
            return;
        }
        var indexes = new List<int>();
        if (spec.Keys.Collect(target, indexes) is not null)
        {
            w.WriteError("ERR Invalid arguments specified for command");
            return;
        }
        if (indexes.Count == 0)
        {
            w.WriteError("ERR The command has no key arguments");
            return;
        }
        w.WriteArrayHeader(indexes.Count);
        foreach (int i in indexes) w.WriteBulk(target[i]);
    }
}
