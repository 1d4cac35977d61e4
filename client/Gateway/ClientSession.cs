using System.Net;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>Per-connection state visible to CLIENT and HELLO.</summary>
public sealed class ClientSession(long id, EndPoint? remote, EndPoint? local)
{
    public long Id { get; } = id;
    public string Address { get; } = remote?.ToString() ?? "?";
    public string LocalAddress { get; } = local?.ToString() ?? "?";
    public DateTime Created { get; } = DateTime.UtcNow;
    public DateTime LastInteraction { get; set; } = DateTime.UtcNow;
    public RespProtocol Protocol { get; set; } = RespProtocol.Resp2;
    public string Name { get; set; } = "";
    public string LibName { get; set; } = "";
    public string LibVersion { get; set; } = "";
    public string LastCommand { get; set; } = "NULL";
    public bool NoEvict { get; set; }
    public bool CloseRequested { get; set; }

    /// <summary>One CLIENT LIST / CLIENT INFO line (Redis 7 field order).</summary>
    public string Describe()
    {
        var now = DateTime.UtcNow;
        return $"id={Id} addr={Address} laddr={LocalAddress} fd=0 name={Name} age={(long)(now - Created).TotalSeconds} " +
               $"idle={(long)(now - LastInteraction).TotalSeconds} flags={(NoEvict ? "e" : "N")} db=0 sub=0 psub=0 ssub=0 multi=-1 " +
               $"qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r " +
               $"cmd={LastCommand} user=default redir=-1 resp={(int)Protocol} lib-name={LibName} lib-ver={LibVersion}";
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

    public ClientSession Open(EndPoint? remote, EndPoint? local)
    {
        var session = new ClientSession(Interlocked.Increment(ref _nextId), remote, local);
        _sessions[session.Id] = session;
        return session;
    }

    public void Close(ClientSession session) => _sessions.TryRemove(session.Id, out _);
}
