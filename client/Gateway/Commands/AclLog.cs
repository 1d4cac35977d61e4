using System.Globalization;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

public enum AclLogReason
{
    Command,
    Key,
    Channel,
    Auth,
}

/// <summary>
/// ACL LOG of this gateway: denied commands and failed AUTHs, newest first; a repeat of the same
/// event within a minute counts into the existing entry, as in Redis. At most 128 entries.
/// </summary>
public sealed class AclLog
{
    private const int MaxEntries = 128;
    private static readonly TimeSpan GroupWithin = TimeSpan.FromSeconds(60);

    private sealed class Entry(AclLogReason reason, string context, string obj, string user)
    {
        public AclLogReason Reason { get; } = reason;
        public string Context { get; } = context;
        public string Object { get; } = obj;
        public string User { get; } = user;
        public long Count { get; set; } = 1;
        public DateTime Created { get; set; } = DateTime.UtcNow;
        public string ClientInfo { get; set; } = "";
    }

    private readonly LinkedList<Entry> _entries = new();
    private readonly Lock _lock = new();

    public void Add(AclLogReason reason, string context, string obj, string user, ClientSession session)
    {
        var now = DateTime.UtcNow;
        lock (_lock)
        {
            var same = _entries.FirstOrDefault(e => e.Reason == reason && e.Context == context && e.Object == obj && e.User == user
                && now - e.Created < GroupWithin);
            if (same is not null)
            {
                same.Count++;
                same.Created = now;
                same.ClientInfo = session.Describe();
                _entries.Remove(same);
                _entries.AddFirst(same);
                return;
            }
            _entries.AddFirst(new Entry(reason, context, obj, user) { ClientInfo = session.Describe() });
            while (_entries.Count > MaxEntries) _entries.RemoveLast();
        }
    }

    /// <summary>ACL LOG [count | RESET].</summary>
    public void Execute(byte[][] args, RespWriter w)
    {
        if (args.Length > 3)
        {
            w.WriteError("ERR unknown subcommand or wrong number of arguments for 'log'. Try ACL HELP.");
            return;
        }
        long count = 10;
        if (args.Length == 3)
        {
            if (args[2].Is("reset"))
            {
                lock (_lock) _entries.Clear();
                w.WriteOk();
                return;
            }
            if (!RespNumbers.TryParseInt64(args[2], out count) || count < 0)
            {
                w.WriteError("ERR value is not an integer or out of range");
                return;
            }
        }
        Entry[] entries;
        lock (_lock) entries = _entries.Take((int)Math.Min(count, int.MaxValue)).ToArray();
        var now = DateTime.UtcNow;
        w.WriteArrayHeader(entries.Length);
        foreach (var e in entries)
        {
            w.WriteMapHeader(7);
            w.WriteBulkString("count"); w.WriteInteger(e.Count);
            w.WriteBulkString("reason"); w.WriteBulkString(e.Reason.ToString().ToLowerInvariant());
            w.WriteBulkString("context"); w.WriteBulkString(e.Context);
            w.WriteBulkString("object"); w.WriteBulkString(e.Object);
            w.WriteBulkString("username"); w.WriteBulkString(e.User);
            w.WriteBulkString("age-seconds"); w.WriteDouble(Math.Round((now - e.Created).TotalSeconds, 3));
            w.WriteBulkString("client-info"); w.WriteBulkString(e.ClientInfo);
        }
    }
}
