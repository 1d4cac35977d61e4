using System.Globalization;
using System.Text;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Cluster;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// CLUSTER … as Redis Cluster 7.0 answers it, from the slot map this process holds: every silo is a master
/// node with its slots and no replicas. Commands that would move slots or nodes by hand are refused — the
/// cluster assigns slots itself as silos join and leave.
/// </summary>
public static class ClusterCommands
{

    public static void Register(GatewayHandlers handlers)
    {
        handlers.Add("cluster|keyslot", c => c.Reply.WriteInteger(HashSlot.Of(c.Args[2])));
        handlers.Add("cluster|info", c => c.Reply.WriteVerbatim(Info(c.Gateway)));
        handlers.Add("cluster|slots", c => Slots(c.Gateway, c.Reply));
        handlers.Add("cluster|shards", c => Shards(c.Gateway, c.Reply));
        handlers.Add("cluster|nodes", c => c.Reply.WriteVerbatim(Nodes(c.Gateway)));
        handlers.Add("cluster|myid", MyId);
        handlers.Add("cluster|myshardid", MyId); // one master per shard: the shard is named after it
        handlers.Add("cluster|countkeysinslot", async c =>
        {
            if (ParseSlot(c.Args[2], c.Reply, "ERR Invalid slot") is int counted)
                c.Reply.WriteInteger((await c.Gateway.Router.Read(counted, "CLUSTER COUNTKEYSINSLOT", s => s.Stats())).Keys);
        });
        handlers.Add("cluster|getkeysinslot", c => GetKeysInSlotAsync(c.Gateway, c.Args, c.Reply));
        handlers.Add("cluster|links", c => Links(c.Gateway, c.Reply));
        handlers.Add("cluster|replicas", c => KnownNode(c, w => w.WriteArrayHeader(0)));
        handlers.Add("cluster|slaves", c => KnownNode(c, w => w.WriteArrayHeader(0)));
        handlers.Add("cluster|count-failure-reports", c => KnownNode(c, w => w.WriteInteger(0)));
        handlers.Add("cluster|saveconfig", c => c.Reply.WriteOk()); // the map lives in the cluster: nothing to save per node
        foreach (var name in (string[])["addslots", "addslotsrange", "delslots", "delslotsrange", "flushslots", "setslot", "meet", "forget",
                     "failover", "replicate", "reset", "bumpepoch", "set-config-epoch"])
            handlers.Add("cluster|" + name, NotSupported);
        handlers.AddHelp("cluster");
        // there are no replicas, and a moving slot is served by its new owner throughout (never -ASK)
        handlers.Add("asking", c => c.Reply.WriteOk());
        handlers.Add("readonly", c => c.Reply.WriteOk());
        handlers.Add("readwrite", c => c.Reply.WriteOk());
    }

    private static void MyId(GatewayCall c)
    {
        if (c.Gateway.SlotMap.Local is { } myself) c.Reply.WriteBulkString(myself.Id);
        else c.Reply.WriteError(NotANode);
    }

    private static void KnownNode(GatewayCall c, Action<RespWriter> reply)
    {
        var id = Encoding.UTF8.GetString(c.Args[2]);
        if (c.Gateway.SlotMap.Current.FindById(id) is null) c.Reply.WriteError($"ERR Unknown node {id}");
        else reply(c.Reply);
    }

    /// <summary>Slot and node management: the cluster does it by itself.</summary>
    private static void NotSupported(GatewayCall c) =>
        c.Reply.WriteError($"ERR CLUSTER {c.Spec.Name[(c.Spec.Name.IndexOf('|') + 1)..].ToUpperInvariant()} is not supported: OrleansLua assigns slots " +
            "itself (a joining silo takes its share, a leaving or failed one's slots go to the others)");

    private const string NotANode = "ERR this gateway is not a node of the cluster (a standalone gateway owns no slots)";

    /// <summary>Redis's CLUSTER INFO fields: all 16384 slots served by a node that is up is "ok".</summary>
    public static string Info(GatewayContext gateway)
    {
        var map = gateway.SlotMap.Current;
        int assigned = map.AssignedSlots, failed = map.FailedSlots, ok = map.ServedSlots;
        return $"cluster_state:{(ok == HashSlot.Count ? "ok" : "fail")}\r\ncluster_slots_assigned:{assigned}\r\n" +
               $"cluster_slots_ok:{ok}\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:{failed}\r\n" +
               $"cluster_known_nodes:{map.Nodes.Length}\r\ncluster_size:{map.Nodes.Count(n => map.SlotCount(n) > 0)}\r\n" +
               $"cluster_current_epoch:{map.Version}\r\ncluster_my_epoch:{(gateway.SlotMap.Local is { } myself ? map.FindById(myself.Id)?.Epoch ?? 0 : 0)}\r\n" +
               "cluster_stats_messages_sent:0\r\ncluster_stats_messages_received:0\r\ntotal_cluster_links_buffer_limit_exceeded:0\r\n";
    }

    /// <summary>start, end, then the master: ip, port, id, and a map with its hostname when one is announced.</summary>
    private static void Slots(GatewayContext gateway, RespWriter w)
    {
        var ranges = gateway.SlotMap.Current.Ranges().Where(r => !r.Node.Failed).ToList();
        w.WriteArrayHeader(ranges.Count);
        foreach (var (start, end, node) in ranges)
        {
            w.WriteArrayHeader(3);
            w.WriteInteger(start);
            w.WriteInteger(end);
            w.WriteArrayHeader(4);
            w.WriteBulkString(node.Ip);
            w.WriteInteger(node.Port);
            w.WriteBulkString(node.Id);
            if (node.Hostname.Length == 0) w.WriteMapHeader(0);
            else
            {
                w.WriteMapHeader(1);
                w.WriteBulkString("hostname");
                w.WriteBulkString(node.Hostname);
            }
        }
    }

    private static void Shards(GatewayContext gateway, RespWriter w)
    {
        var map = gateway.SlotMap.Current;
        w.WriteArrayHeader(map.Nodes.Length);
        foreach (var node in map.Nodes)
        {
            var ranges = map.RangesOf(node).ToList();
            w.WriteMapHeader(2);
            w.WriteBulkString("slots");
            w.WriteArrayHeader(ranges.Count * 2);
            foreach (var (start, end) in ranges)
            {
                w.WriteInteger(start);
                w.WriteInteger(end);
            }
            w.WriteBulkString("nodes");
            w.WriteArrayHeader(1);
            w.WriteMapHeader(node.Hostname.Length == 0 ? 7 : 8);
            w.WriteBulkString("id");
            w.WriteBulkString(node.Id);
            w.WriteBulkString("port");
            w.WriteInteger(node.Port);
            w.WriteBulkString("ip");
            w.WriteBulkString(node.Ip);
            w.WriteBulkString("endpoint");
            w.WriteBulkString(node.Ip);
            if (node.Hostname.Length > 0)
            {
                w.WriteBulkString("hostname");
                w.WriteBulkString(node.Hostname);
            }
            w.WriteBulkString("role");
            w.WriteBulkString("master");
            w.WriteBulkString("replication-offset");
            w.WriteInteger(0);
            w.WriteBulkString("health");
            w.WriteBulkString(node.Failed ? "fail" : "online");
        }
    }

    /// <summary>One line per node: id ip:port@bus[,hostname] flags master ping pong epoch link slots…</summary>
    public static string Nodes(GatewayContext gateway)
    {
        var map = gateway.SlotMap.Current;
        var local = gateway.SlotMap.Local;
        var text = new StringBuilder();
        foreach (var node in map.Nodes)
        {
            bool myself = node.Id == local?.Id;
            text.Append(node.Id).Append(' ').Append(node.Ip).Append(':').Append(node.Port).Append('@').Append(node.BusPort);
            if (node.Hostname.Length > 0) text.Append(',').Append(node.Hostname);
            text.Append(' ').Append(myself ? "myself,master" : node.Failed ? "master,fail" : "master")
                .Append(" - 0 ").Append(myself ? 0 : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
                .Append(' ').Append(node.Epoch).Append(node.Failed ? " disconnected" : " connected");
            foreach (var (start, end) in map.RangesOf(node))
                text.Append(' ').Append(start == end ? start.ToString(CultureInfo.InvariantCulture) : $"{start}-{end}");
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>This node's links: the silo keeps a connection to and from every other silo that is up.</summary>
    private static void Links(GatewayContext gateway, RespWriter w)
    {
        var local = gateway.SlotMap.Local;
        var peers = gateway.SlotMap.Current.Nodes.Where(n => !n.Failed && n.Id != local?.Id).ToList();
        w.WriteArrayHeader(local is null ? 0 : peers.Count * 2);
        if (local is null) return;
        foreach (var peer in peers)
            foreach (var direction in new[] { "to", "from" })
            {
                w.WriteMapHeader(6);
                w.WriteBulkString("direction");
                w.WriteBulkString(direction);
                w.WriteBulkString("node");
                w.WriteBulkString(peer.Id);
                w.WriteBulkString("create-time");
                w.WriteInteger(0);
                w.WriteBulkString("events");
                w.WriteBulkString("rw");
                w.WriteBulkString("send-buffer-allocated");
                w.WriteInteger(0);
                w.WriteBulkString("send-buffer-used");
                w.WriteInteger(0);
            }
    }

    private static async Task GetKeysInSlotAsync(GatewayContext gateway, byte[][] args, RespWriter w)
    {
        if (!RespNumbers.TryParseInt64(args[2], out long slot) || !RespNumbers.TryParseInt64(args[3], out long count))
        {
            w.WriteError("ERR value is not an integer or out of range");
            return;
        }
        if (slot is < 0 or >= HashSlot.Count || count < 0)
        {
            w.WriteError("ERR Invalid slot or number of keys");
            return;
        }
        var keys = new List<byte[]>();
        uint? from = 0;
        while (from is { } hash && keys.Count < count)
        {
            var request = new ScanRequest { FromHash = hash, Count = (int)Math.Min(count - keys.Count, 10_000) };
            var page = await gateway.Router.Read((int)slot, "CLUSTER GETKEYSINSLOT", s => s.Scan(request));
            keys.AddRange(page.Keys);
            from = page.NextHash;
        }
        w.WriteArrayHeader((int)Math.Min(keys.Count, count));
        foreach (var key in keys.Take((int)count)) w.WriteBulk(key);
    }

    private static int? ParseSlot(byte[] arg, RespWriter w, string invalid)
    {
        if (!RespNumbers.TryParseInt64(arg, out long slot))
        {
            w.WriteError("ERR value is not an integer or out of range");
            return null;
        }
        if (slot is < 0 or >= HashSlot.Count)
        {
            w.WriteError(invalid);
            return null;
        }
        return (int)slot;
    }
}
