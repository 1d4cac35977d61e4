using System.Net;
using OrleansLua.GrainInterfaces.Security;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>Per-connection state visible to CLIENT, HELLO, AUTH and the ACL checks.</summary>
public sealed class ClientSession(long id, EndPoint? remote, EndPoint? local, AclUser user, bool authenticated)
{
    public long Id { get; } = id;
    public string Address { get; } = remote?.ToString() ?? "?";
    public string LocalAddress { get; } = local?.ToString() ?? "?";
    public IPAddress? RemoteIp { get; } = (remote as IPEndPoint)?.Address;
    public DateTime Created { get; } = DateTime.UtcNow;
    public DateTime LastInteraction { get; set; } = DateTime.UtcNow;
    public RespProtocol Protocol { get; set; } = RespProtocol.Resp2;
    public string Name { get; set; } = "";
    public string LibName { get; set; } = "";
    public string LibVersion { get; set; } = "";
    public string LastCommand { get; set; } = "NULL";
    public bool NoEvict { get; set; }
    public bool CloseRequested { get; set; }

    /// <summary>The ACL user this connection runs as (default until AUTH), and whether it has authenticated.</summary>
    public AclUser User { get; private set; } = user;
    public bool Authenticated { get; private set; } = authenticated;
    /// <summary>The <see cref="AccessControl.Version"/> <see cref="User"/> was taken from.</summary>
    public int AclVersion { get; private set; }

    public void Authenticate(AclUser user, int aclVersion)
    {
        User = user;
        Authenticated = true;
        AclVersion = aclVersion;
    }

    /// <summary>RESET: back to the default user, authenticated only if it needs no password.</summary>
    public void ResetUser(AccessControl acl)
    {
        AclVersion = acl.Version; // before the reads, as in Authenticate
        User = acl.Default;
        Authenticated = !acl.AuthRequired;
    }

    /// <summary>After an ACL change: the user's current rules (false when the user was deleted).</summary>
    public bool Refresh(AccessControl acl)
    {
        int version = acl.Version;
        if (version == AclVersion) return true;
        var current = acl.Find(User.Name);
        if (current is null) return false;
        User = current;
        AclVersion = version;
        // a default user that got a password leaves a connection authenticated (as in Redis); one that
        // was disabled does not authenticate anyone new, which Authenticate checks
        return true;
    }

    /// <summary>What ShardBatch.User carries: null for a user that may do everything.</summary>
    public string? RestrictedUser => User.IsUnrestricted ? null : User.Name;

    // what CLIENT LIST shows; the connection keeps them current
    public int Subscriptions { get; set; }
    public int PatternSubscriptions { get; set; }
    public int ShardSubscriptions { get; set; }
    public int QueuedInMulti { get; set; } = -1;
    public bool Blocked { get; set; }
    /// <summary>Running commands (never idle meanwhile, however long a script takes).</summary>
    public bool Executing
    {
        get => _executingSince != 0;
        set => _executingSince = value ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
    }

    private long _executingSince;

    /// <summary>How long the current commands have been running (zero when none run).</summary>
    public TimeSpan ExecutingFor => _executingSince is var since and not 0 ? System.Diagnostics.Stopwatch.GetElapsedTime(since) : TimeSpan.Zero;
    public long QueryBufferBytes { get; set; }
    public long OutputBufferBytes { get; set; }

    /// <summary>Ends the connection now (CLIENT KILL, idle timeout, a deleted user): set by the connection.</summary>
    public Action? Kill { get; set; }

    /// <summary>Ends the connection if its client has disconnected (checked while its commands run long).</summary>
    public Action? CheckGone { get; set; }

    /// <summary>After an ACL change: ends the connection if its user may no longer read a channel it subscribed to.</summary>
    public Action? CheckSubscriptions { get; set; }

    public bool IsPubSub => Subscriptions + PatternSubscriptions + ShardSubscriptions > 0;

    /// <summary>One CLIENT LIST / CLIENT INFO line (Redis 7 field order).</summary>
    public string Describe()
    {
        var now = DateTime.UtcNow;
        var flags = (Blocked ? "b" : "") + (IsPubSub ? "P" : "") + (QueuedInMulti >= 0 ? "x" : "") + (NoEvict ? "e" : "");
        return $"id={Id} addr={Address} laddr={LocalAddress} fd=0 name={Name} age={(long)(now - Created).TotalSeconds} " +
               $"idle={(long)(now - LastInteraction).TotalSeconds} flags={(flags.Length == 0 ? "N" : flags)} db=0 sub={Subscriptions} " +
               $"psub={PatternSubscriptions} ssub={ShardSubscriptions} multi={QueuedInMulti} qbuf={QueryBufferBytes} qbuf-free=0 argv-mem=0 multi-mem=0 " +
               $"rbs=0 rbp=0 obl=0 oll=0 omem={OutputBufferBytes} tot-mem=0 events=r cmd={LastCommand} user={User.Name} redir=-1 " +
               $"resp={(int)Protocol} lib-name={LibName} lib-ver={LibVersion}";
    }
}

/// <summary>The connections of this gateway (CLIENT LIST, INFO clients).</summary>
public sealed class ClientRegistry
{
    private long _nextId;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, ClientSession> _sessions = new();

    public long TotalConnections => Interlocked.Read(ref _nextId);
    public int Count => _sessions.Count;
    public IEnumerable<ClientSession> All => _sessions.Values.OrderBy(s => s.Id);

    public ClientSession Open(EndPoint? remote, EndPoint? local, AccessControl acl)
    {
        // With no password for the default user a connection starts authenticated as it, as in Redis.
        var session = new ClientSession(Interlocked.Increment(ref _nextId), remote, local, acl.Default, !acl.AuthRequired);
        _sessions[session.Id] = session;
        return session;
    }

    public void Close(ClientSession session) => _sessions.TryRemove(session.Id, out _);
}
