using System.Text;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>The connection's own commands (PING, HELLO, SELECT, QUIT, RESET…) and the server's INFO, TIME and MEMORY.</summary>
public static class ConnectionCommands
{
    public const string RedisVersion = "7.2.4";

    public static void Register(GatewayHandlers handlers)
    {
        handlers.Add("ping", Ping);
        handlers.Add("echo", c => KeylessCommands.Echo(c.Args, c.Reply));
        handlers.Add("quit", c =>
        {
            c.Reply.WriteOk();
            c.Session.CloseRequested = true;
        });
        handlers.Add("hello", c => Hello(c.Gateway, c.Args, c.Session, c.Reply));
        handlers.Add("select", c =>
        {
            var w = c.Reply;
            if (!RespNumbers.TryParseInt64(c.Args[1], out long db)) w.WriteError("ERR value is not an integer or out of range");
            else if (db != 0) w.WriteError("ERR SELECT is not allowed in cluster mode");
            else w.WriteOk();
        });
        handlers.Add("reset", ResetAsync);
        handlers.Add("time", c => KeylessCommands.Time(c.Reply));
        handlers.Add("info", async c =>
            c.Reply.WriteVerbatim(await c.Gateway.Info.RenderAsync(c.Args.Skip(1).Select(a => Encoding.UTF8.GetString(a).ToLowerInvariant()).ToArray())));
        handlers.Add("memory|purge", c =>
        {
            // The managed heap is the allocator here: a full, compacting collection that also gives the memory it
            // frees back to the OS (Aggressive), as jemalloc's purge does for Redis.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            c.Reply.WriteOk();
        });
    }

    private static void Ping(GatewayCall c)
    {
        if (c.Session.IsPubSub && c.Session.Protocol == RespProtocol.Resp2)
        {
            // RESP2 subscribed mode answers PING with a pong message
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteBulkString("pong");
            c.Reply.WriteBulk(c.Args.Length > 1 ? c.Args[1] : []);
        }
        else KeylessCommands.Ping(c.Args, c.Reply);
    }

    /// <summary>RESET: the connection leaves MULTI, its watches and its channels, then its session starts over.</summary>
    private static async Task ResetAsync(GatewayCall c)
    {
        await c.Connection.ResetStateAsync();
        var session = c.Session;
        session.Protocol = RespProtocol.Resp2;
        session.Name = "";
        session.NoEvict = false;
        session.ResetUser(c.Gateway.Acl);
        c.Reply.Protocol = RespProtocol.Resp2;
        c.Reply.WriteSimpleString("RESET");
    }

    private static void Hello(GatewayContext gateway, byte[][] args, ClientSession session, RespWriter w)
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
        if (credentials is { } c && AclCommands.Authenticate(gateway, session, c.User, c.Password) is { } authError)
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

    /// <summary>Redis refuses names with characters outside '!'..'~'.</summary>
    public static bool ValidClientName(string name) => name.All(c => c is >= '!' and <= '~');
}
