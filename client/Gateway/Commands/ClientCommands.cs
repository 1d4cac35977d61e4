using System.Text;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>CLIENT …: this gateway's connections (names, ids, lists, kills).</summary>
public static class ClientCommands
{
    public static void Register(GatewayHandlers handlers)
    {
        handlers.Add("client|setname", c =>
        {
            var name = Encoding.UTF8.GetString(c.Args[2]);
            if (!ConnectionCommands.ValidClientName(name)) c.Reply.WriteError("ERR Client names cannot contain spaces, newlines or special characters.");
            else
            {
                c.Session.Name = name;
                c.Reply.WriteOk();
            }
        });
        handlers.Add("client|getname", c =>
        {
            if (c.Session.Name.Length == 0) c.Reply.WriteNull();
            else c.Reply.WriteBulkString(c.Session.Name);
        });
        handlers.Add("client|id", c => c.Reply.WriteInteger(c.Session.Id));
        handlers.Add("client|info", c => c.Reply.WriteVerbatim(c.Session.Describe() + "\n"));
        handlers.Add("client|list", c => ClientList(c.Gateway, c.Args, c.Reply));
        handlers.Add("client|setinfo", SetInfo);
        handlers.Add("client|kill", c => ClientKill(c.Gateway, c.Args, c.Session, c.Reply));
        handlers.Add("client|no-evict", c =>
        {
            if (c.Args[2].Is("on")) c.Session.NoEvict = true;
            else if (c.Args[2].Is("off")) c.Session.NoEvict = false;
            else
            {
                c.Reply.WriteError("ERR syntax error");
                return;
            }
            c.Reply.WriteOk();
        });
        handlers.AddHelp("client");
    }

    private static void SetInfo(GatewayCall c)
    {
        var (args, session, w) = (c.Args, c.Session, c.Reply);
        var value = Encoding.UTF8.GetString(args[3]);
        bool libName = args[2].Is("lib-name");
        if (!libName && !args[2].Is("lib-ver"))
        {
            w.WriteError($"ERR Unrecognized option '{Encoding.UTF8.GetString(args[2])}'");
            return;
        }
        if (!ConnectionCommands.ValidClientName(value))
        {
            w.WriteError($"ERR {(libName ? "lib-name" : "lib-ver")} cannot contain spaces, newlines or special characters.");
            return;
        }
        if (libName) session.LibName = value; else session.LibVersion = value;
        w.WriteOk();
    }

    private static void ClientList(GatewayContext gateway, byte[][] args, RespWriter w)
    {
        IEnumerable<ClientSession> sessions = gateway.Clients.All;
        for (int i = 2; i < args.Length; i++)
        {
            if (args[i].Is("type") && i + 1 < args.Length)
            {
                var type = Encoding.UTF8.GetString(args[++i]).ToLowerInvariant();
                if (type is not ("normal" or "master" or "replica" or "slave" or "pubsub"))
                {
                    w.WriteError($"ERR Unknown client type '{type}'");
                    return;
                }
                if (type != "normal") sessions = [];
            }
            else if (args[i].Is("id") && i + 1 < args.Length)
            {
                var ids = new HashSet<long>();
                for (i++; i < args.Length; i++)
                {
                    if (!RespNumbers.TryParseInt64(args[i], out long id) || id <= 0)
                    {
                        w.WriteError("ERR Invalid client ID");
                        return;
                    }
                    ids.Add(id);
                }
                sessions = sessions.Where(s => ids.Contains(s.Id));
            }
            else
            {
                w.WriteError("ERR syntax error");
                return;
            }
        }
        var text = new StringBuilder();
        foreach (var s in sessions) text.Append(s.Describe()).Append('\n');
        w.WriteVerbatim(text.ToString());
    }

    /// <summary>
    /// CLIENT KILL addr:port (old form: one client, or "No such client") or the filters ID, ADDR,
    /// LADDR, USER, TYPE, SKIPME (count of killed clients). Acts on this gateway's connections.
    /// </summary>
    private static void ClientKill(GatewayContext gateway, byte[][] args, ClientSession session, RespWriter w)
    {
        if (args.Length == 3)
        {
            var address = Encoding.UTF8.GetString(args[2]);
            var target = gateway.Clients.All.FirstOrDefault(s => s.Address == address);
            if (target is null) w.WriteError("ERR No such client");
            else
            {
                KillSession(target, session);
                w.WriteOk();
            }
            return;
        }
        IEnumerable<ClientSession> targets = gateway.Clients.All;
        bool skipMe = true;
        for (int i = 2; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                w.WriteError("ERR syntax error");
                return;
            }
            var value = Encoding.UTF8.GetString(args[i + 1]);
            if (args[i].Is("id"))
            {
                if (!long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long id) || id <= 0)
                {
                    w.WriteError("ERR client-id should be greater than 0");
                    return;
                }
                targets = targets.Where(s => s.Id == id);
            }
            else if (args[i].Is("addr")) targets = targets.Where(s => s.Address == value);
            else if (args[i].Is("laddr")) targets = targets.Where(s => s.LocalAddress == value);
            else if (args[i].Is("user"))
            {
                if (gateway.Acl.Find(value) is null)
                {
                    w.WriteError($"ERR No such user '{value}'");
                    return;
                }
                targets = targets.Where(s => s.User.Name == value);
            }
            else if (args[i].Is("type"))
            {
                var type = value.ToLowerInvariant();
                if (type is not ("normal" or "master" or "replica" or "slave" or "pubsub"))
                {
                    w.WriteError($"ERR Unknown client type '{value}'");
                    return;
                }
                targets = type switch
                {
                    "normal" => targets.Where(s => !s.IsPubSub),
                    "pubsub" => targets.Where(s => s.IsPubSub),
                    _ => [],
                };
            }
            else if (args[i].Is("skipme"))
            {
                if (args[i + 1].Is("yes")) skipMe = true;
                else if (args[i + 1].Is("no")) skipMe = false;
                else
                {
                    w.WriteError("ERR syntax error");
                    return;
                }
            }
            else
            {
                w.WriteError("ERR syntax error");
                return;
            }
        }
        int killed = 0;
        foreach (var target in targets.ToList())
        {
            if (skipMe && target == session) continue;
            KillSession(target, session);
            killed++;
        }
        w.WriteInteger(killed);
    }

    /// <summary>Killing one's own connection closes it after this reply, as Redis does.</summary>
    private static void KillSession(ClientSession target, ClientSession caller)
    {
        if (target == caller) caller.CloseRequested = true;
        else target.Kill?.Invoke();
    }
}
