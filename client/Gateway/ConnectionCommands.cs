using System.Text;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>Commands the gateway answers itself: connection, introspection and cluster-info commands.</summary>
public sealed class ConnectionCommands
{
    public const string RedisVersion = "7.2.4";

    private readonly GatewayContext gateway;
    private readonly ServerInfo _info;
    private readonly ScriptCommands _scripts;
    private readonly ServerConfig _config;
    private readonly SlowLogCommands _slowLog;

    public ConnectionCommands(GatewayContext gateway, IGrainFactory grains)
    {
        this.gateway = gateway;
        _info = new ServerInfo(gateway, grains);
        _scripts = new ScriptCommands(grains, gateway.Cluster);
        _config = new ServerConfig(gateway.Options, gateway.Cluster);
        _slowLog = new SlowLogCommands(gateway, _info);
        Acl = new AclCommands(gateway);
        Cluster = new ClusterCommands(gateway);
    }

    public AclCommands Acl { get; }
    public ClusterCommands Cluster { get; }

    public async Task ExecuteAsync(CommandSpec spec, byte[][] args, ClientSession session, RespWriter w)
    {
        w.Protocol = session.Protocol;
        switch (spec.Name)
        {
            case "ping":
                KeylessCommands.Ping(args, w);
                break;
            case "echo":
                KeylessCommands.Echo(args, w);
                break;
            case "quit":
                w.WriteOk();
                session.CloseRequested = true;
                break;
            case "hello":
                Hello(args, session, w);
                break;
            case "auth":
                Acl.Auth(args, session, w);
                break;
            case "select":
                if (!RespNumbers.TryParseInt64(args[1], out long db)) w.WriteError("ERR value is not an integer or out of range");
                else if (db != 0) w.WriteError("ERR SELECT is not allowed in cluster mode");
                else w.WriteOk();
                break;
            case "reset":
                session.Protocol = RespProtocol.Resp2;
                session.Name = "";
                session.NoEvict = false;
                session.ResetUser(gateway.Acl);
                w.Protocol = RespProtocol.Resp2;
                w.WriteSimpleString("RESET");
                break;
            case "readonly":
            case "readwrite":
            case "asking": // there are no replicas, and a moving slot is served by its new owner throughout (never -ASK)
                w.WriteOk();
                break;
            case "time":
                KeylessCommands.Time(w);
                break;
            case "info":
                w.WriteVerbatim(await _info.RenderAsync(args.Skip(1).Select(a => Encoding.UTF8.GetString(a).ToLowerInvariant()).ToArray()));
                break;
            case "config|get":
                _config.Get(args, w);
                break;
            case "config|set":
                await _config.SetAsync(args, w);
                break;
            case "config|resetstat":
                await gateway.Nodes.Reset(everything: true);
                gateway.CommandStats.Reset();
                gateway.Stats.Reset();
                gateway.SlowLog.Reset();
                w.WriteOk();
                break;
            case "slowlog|get":
            case "slowlog|len":
            case "slowlog|reset":
                await _slowLog.ExecuteAsync(spec, args, w);
                break;
            case "script|load":
            case "script|exists":
            case "script|flush":
            case "script|kill":
                await _scripts.ExecuteAsync(spec, args, w);
                break;
            case "memory|purge":
                // The managed heap is the allocator here: a full, compacting collection.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                w.WriteOk();
                break;
            default:
                if (spec.Name.StartsWith("acl|", StringComparison.Ordinal) && spec.Name != "acl|help") await Acl.ExecuteAsync(spec, args, session, w);
                else if (spec.Name.StartsWith("client|", StringComparison.Ordinal)) ClientCommand(spec, args, session, w);
                else if (spec.Name.StartsWith("cluster|", StringComparison.Ordinal) && spec.Name != "cluster|help") await Cluster.ExecuteAsync(spec, args, w);
                else if (spec.Name.StartsWith("command", StringComparison.Ordinal)) CommandIntrospection.Execute(spec, args, w);
                else if (spec.Name.EndsWith("|help", StringComparison.Ordinal)) WriteHelp(spec, w);
                else w.WriteError($"ERR unknown command '{spec.Name}'");
                break;
        }
    }

    private void Hello(byte[][] args, ClientSession session, RespWriter w)
    {
        var protocol = session.Protocol;
        int i = 1;
        if (args.Length >= 2)
        {
            if (!RespNumbers.TryParseInt64(args[1], out long version))
            {
                w.WriteError("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (version is not (2 or 3))
            {
                w.WriteError("NOPROTO unsupported protocol version");
                return;
            }
            protocol = (RespProtocol)version;
            i = 2;
        }
        string? name = null;
        (string User, byte[] Password)? credentials = null;
        for (; i < args.Length; i++)
        {
            if (args[i].Is("auth") && args.Length - i - 1 >= 2)
            {
                credentials = (Encoding.UTF8.GetString(args[i + 1]), args[i + 2]);
                i += 2;
            }
            else if (args[i].Is("setname") && args.Length - i - 1 >= 1)
            {
                name = Encoding.UTF8.GetString(args[++i]);
                if (!ValidClientName(name))
                {
                    w.WriteError("ERR Client names cannot contain spaces, newlines or special characters.");
                    return;
                }
            }
            else
            {
                w.WriteError($"ERR Syntax error in HELLO option '{Encoding.UTF8.GetString(args[i])}'");
                return;
            }
        }
        if (credentials is { } c && Acl.Authenticate(session, c.User, c.Password) is { } authError)
        {
            w.WriteError(authError);
            return;
        }
        if (!session.Authenticated)
        {
            w.WriteError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
            return;
        }
        if (name is not null) session.Name = name;
        session.Protocol = protocol;
        w.Protocol = protocol;
        w.WriteMapHeader(7);
        w.WriteBulkString("server"); w.WriteBulkString("redis");
        w.WriteBulkString("version"); w.WriteBulkString(RedisVersion);
        w.WriteBulkString("proto"); w.WriteInteger((int)protocol);
        w.WriteBulkString("id"); w.WriteInteger(session.Id);
        w.WriteBulkString("mode"); w.WriteBulkString("cluster");
        w.WriteBulkString("role"); w.WriteBulkString("master");
        w.WriteBulkString("modules"); w.WriteArrayHeader(0);
    }

    private void ClientCommand(CommandSpec spec, byte[][] args, ClientSession session, RespWriter w)
    {
        switch (spec.Name)
        {
            case "client|setname":
            {
                var name = Encoding.UTF8.GetString(args[2]);
                if (!ValidClientName(name)) w.WriteError("ERR Client names cannot contain spaces, newlines or special characters.");
                else
                {
                    session.Name = name;
                    w.WriteOk();
                }
                break;
            }
            case "client|getname":
                if (session.Name.Length == 0) w.WriteNull();
                else w.WriteBulkString(session.Name);
                break;
            case "client|id":
                w.WriteInteger(session.Id);
                break;
            case "client|info":
                w.WriteVerbatim(session.Describe() + "\n");
                break;
            case "client|list":
                ClientList(args, w);
                break;
            case "client|setinfo":
            {
                var value = Encoding.UTF8.GetString(args[3]);
                bool libName = args[2].Is("lib-name");
                if (!libName && !args[2].Is("lib-ver"))
                {
                    w.WriteError($"ERR Unrecognized option '{Encoding.UTF8.GetString(args[2])}'");
                    break;
                }
                if (!ValidClientName(value))
                {
                    w.WriteError($"ERR {(libName ? "lib-name" : "lib-ver")} cannot contain spaces, newlines or special characters.");
                    break;
                }
                if (libName) session.LibName = value; else session.LibVersion = value;
                w.WriteOk();
                break;
            }
            case "client|kill":
                ClientKill(args, session, w);
                break;
            case "client|no-evict":
                if (args[2].Is("on")) session.NoEvict = true;
                else if (args[2].Is("off")) session.NoEvict = false;
                else
                {
                    w.WriteError("ERR syntax error");
                    break;
                }
                w.WriteOk();
                break;
            default:
                WriteHelp(spec, w);
                break;
        }
    }

    private void ClientList(byte[][] args, RespWriter w)
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
    private void ClientKill(byte[][] args, ClientSession session, RespWriter w)
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

    private static void WriteHelp(CommandSpec spec, RespWriter w)
    {
        string container = spec.Name.Split('|')[0];
        var parent = CommandTable.Find(container)!;
        var lines = new List<string> { $"{container.ToUpperInvariant()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:" };
        foreach (var sub in parent.Subcommands)
        {
            lines.Add(sub.Name.Split('|')[1].ToUpperInvariant());
            lines.Add("    " + sub.Summary);
        }
        w.WriteArrayHeader(lines.Count);
        foreach (var line in lines) w.WriteSimpleString(line);
    }

    /// <summary>Redis refuses names with characters outside '!'..'~'.</summary>
    private static bool ValidClientName(string name) => name.All(c => c is >= '!' and <= '~');
}
