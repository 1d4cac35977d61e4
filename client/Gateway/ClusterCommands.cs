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
public sealed class ClusterCommands(GatewayContext gateway)
{
    private SlotMap Map => gateway.SlotMap.Current;
    private ClusterNode? Myself => gateway.SlotMap.Local;

    public async Task ExecuteAsync(CommandSpec spec, byte[][] args, RespWriter w)
    {
        switch (spec.Name)
        {
            case "cluster|keyslot":
                w.WriteInteger(HashSlot.Of(args[2]));
                break;
            case "cluster|info":
                w.WriteVerbatim(Info());
                break;
            case "cluster|slots":
                Slots(w);
                break;
            case "cluster|shards":
                Shards(w);
                break;
            case "cluster|nodes":
                w.WriteVerbatim(Nodes());
                break;
            case "cluster|myid":
            case "cluster|myshardid": // one master per shard: the shard is named after it
                if (Myself is { } myself) w.WriteBulkString(myself.Id);
                else w.WriteError(NotANode);
                break;
            case "cluster|countkeysinslot":
                if (ParseSlot(args[2], w, "ERR Invalid slot") is int counted)
                    w.WriteInteger((await gateway.Router.Read(counted, "CLUSTER COUNTKEYSINSLOT", s => s.Stats())).Keys);
                break;
            case "cluster|getkeysinslot":
                await GetKeysInSlotAsync(args, w);
                break;
            case "cluster|links":
                Links(w);
                break;
            case "cluster|replicas":
            case "cluster|slaves":
                if (Map.FindById(Encoding.UTF8.GetString(args[2])) is null) w.WriteError($"ERR Unknown node {Encoding.UTF8.GetString(args[2])}");
                else w.WriteArrayHeader(0);
                break;
            case "cluster|count-failure-reports":
                if (Map.FindById(Encoding.UTF8.GetString(args[2])) is null) w.WriteError($"ERR Unknown node {Encoding.UTF8.GetString(args[2])}");
                else w.WriteInteger(0);
                break;
            case "cluster|saveconfig":
                w.WriteOk(); // the map lives in the cluster: nothing to save per node
                break;
            default:
                w.WriteError($"ERR CLUSTER {spec.Name[(spec.Name.IndexOf('|') + 1)..].ToUpperInvariant()} is not supported: OrleansLua assigns slots " +
                    "itself (a joining silo takes its share, a leaving or failed one's slots go to the others)");
                break;
        }
    }

    private const string NotANode = "ERR this gateway is not a node of the cluster (a standalone gateway owns no slots)";

    /// <summary>Redis's CLUSTER INFO fields: all 16384 slots served by a node that is up is "ok".</summary>
    public string Info()
    {
        var map = Map;
        int assigned = map.AssignedSlots, failed = map.FailedSlots, ok = map.ServedSlots;
        return $"cluster_state:{(ok == HashSlot.Count ? "ok" : "fail")}\r\ncluster_slots_assigned:{assigned}\r\n" +
               $"cluster_slots_ok:{ok}\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:{failed}\r\n" +
               $"cluster_known_nodes:{map.Nodes.Length}\r\ncluster_size:{map.Nodes.Count(n => map.SlotCount(n) > 0)}\r\n" +
               $"cluster_current_epoch:{map.Version}\r\ncluster_my_epoch:{(Myself is { } myself ? map.FindById(myself.Id)?.Epoch ?? 0 : 0)}\r\n" +
               "cluster_stats_messages_sent:0\r\ncluster_stats_messages_received:0\r\ntotal_cluster_links_buffer_limit_exceeded:0\r\n";
    }

    /// <summary>start, end, then the master: ip, port, id, and a map with its hostname when one is announced.</summary>
    private void Slots(RespWriter w)
    {
        var ranges = Map.Ranges().Where(r => !r.Node.Failed).ToList();
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

    private void Shards(RespWriter w)
    {
        var map = Map;
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
    public string Nodes()
    {
        var map = Map;
        var text = new StringBuilder();
        foreach (var node in map.Nodes)
        {
            bool myself = node.Id == Myself?.Id;
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
    private void Links(RespWriter w)
    {
        var peers = Map.Nodes.Where(n => !n.Failed && n.Id != Myself?.Id).ToList();
        w.WriteArrayHeader(Myself is null ? 0 : peers.Count * 2);
        if (Myself is null) return;
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

    private async Task GetKeysInSlotAsync(byte[][] args, RespWriter w)
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
