using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// Commands that cover the whole keyspace (DBSIZE, KEYS, SCAN, RANDOMKEY, FLUSHALL): they run on
/// every slot whose shard grain is active (only those hold keys) and the replies are merged. Each
/// slot's part is bounded (<see cref="SlotRouter.FanOutBound"/>): one stuck slot costs a TRYAGAIN.
/// </summary>
public sealed class FanOutCommands(SlotRouter router)
{
    private const int SlotBits = 14;

    public static void Register(GatewayHandlers handlers)
    {
        handlers.Add("dbsize", MergedAsync);
        handlers.Add("keys", MergedAsync);
        handlers.Add("flushall", MergedAsync);
        handlers.Add("flushdb", MergedAsync);
        handlers.Add("scan", c => c.Gateway.FanOut.ScanAsync(c.Args, c.Reply));
        handlers.Add("randomkey", c => c.Gateway.FanOut.RandomKeyAsync(c.Spec, c.Args, c.Session.Protocol, c.Reply));
    }

    /// <summary>Runs on every active slot; the replies merge by the command's response policy.</summary>
    private static Task MergedAsync(GatewayCall c) => c.Gateway.FanOut.MergedAsync(c.Spec, c.Args, c.Session.Protocol, c.Reply);

    private async Task MergedAsync(CommandSpec spec, byte[][] args, RespProtocol protocol, RespWriter w)
    {
        var slots = await router.ActiveSlotsAsync();
        var batch = ShardBatch.Single(spec, args, (byte)protocol);
        var replies = await Task.WhenAll(slots.Select(s => router.FanOutCall(s, spec.Name, router.Execute(s, batch))));
        var error = replies.FirstOrDefault(r => RespReplyReader.IsError(r, 0));
        if (error is not null)
        {
            w.WriteRaw(error);
            return;
        }
        switch (spec.Response)
        {
            case ResponsePolicy.AggSum:
                w.WriteRaw(ReplyMerger.Sum(replies));
                break;
            case ResponsePolicy.Concat:
                ReplyMerger.Concat(replies, w);
                break;
            case ResponsePolicy.AllSucceeded:
                // FLUSHALL / FLUSHDB when no slot holds keys: no slot checked the arguments
                if (replies.Length > 0) w.WriteRaw(replies[0]);
                else if (args.Length > 2) w.WriteError("ERR syntax error");
                else w.WriteOk();
                break;
            default:
                w.WriteError($"ERR no merge rule for '{spec.Name}'");
                break;
        }
    }

    private async Task RandomKeyAsync(CommandSpec spec, byte[][] args, RespProtocol protocol, RespWriter w)
    {
        var slots = await router.ActiveSlotsAsync();
        Random.Shared.Shuffle(slots);
        var batch = ShardBatch.Single(spec, args, (byte)protocol);
        foreach (int slot in slots)
        {
            var reply = await router.FanOutCall(slot, "randomkey", router.Execute(slot, batch));
            if (reply[0] == (byte)'$' && reply[1] != (byte)'-')
            {
                w.WriteRaw(reply);
                return;
            }
        }
        w.WriteNull();
    }

    /// <summary>
    /// SCAN cursor = (hash position &lt;&lt; 14) | slot: keys of a slot are visited in order of a stable
    /// per-key hash, so a key present for the whole scan is returned exactly once.
    /// </summary>
    private async Task ScanAsync(byte[][] args, RespWriter w)
    {
        if (!ulong.TryParse(args[1], System.Globalization.NumberStyles.None, null, out ulong cursor) || cursor >> (SlotBits + 32) != 0)
        {
            w.WriteError("ERR invalid cursor");
            return;
        }
        long count = 10;
        byte[]? match = null;
        string? type = null;
        for (int i = 2; i < args.Length; i++)
        {
            if (i + 1 >= args.Length)
            {
                w.WriteError("ERR syntax error");
                return;
            }
            var option = System.Text.Encoding.ASCII.GetString(args[i]).ToLowerInvariant();
            var value = args[++i];
            switch (option)
            {
                case "count":
                    if (!RespNumbers.TryParseInt64(value, out count))
                    {
                        w.WriteError("ERR value is not an integer or out of range");
                        return;
                    }
                    if (count < 1)
                    {
                        w.WriteError("ERR syntax error");
                        return;
                    }
                    break;
                case "match":
                    match = value is [(byte)'*'] ? null : value;
                    break;
                case "type":
                    type = System.Text.Encoding.UTF8.GetString(value);
                    break;
                default:
                    w.WriteError("ERR syntax error");
                    return;
            }
        }

        int slot = (int)(cursor & (HashSlot.Count - 1));
        uint fromHash = (uint)(cursor >> SlotBits);
        var active = await router.ActiveSlotsAsync();
        var keys = new List<byte[]>();
        ulong next = 0;
        int index = Array.BinarySearch(active, slot);
        if (index < 0)
        {
            index = ~index;
            fromHash = 0;
        }
        // Like Redis, a call may return fewer keys than COUNT: it visits a bounded number of slots so
        // a keyspace with many empty slot grains still answers each SCAN call quickly.
        long slotBudget = Math.Max(100, Math.Min(count, 100_000) * 10);
        for (int visited = 1; index < active.Length; index++, visited++)
        {
            int current = active[index];
            var request = new ScanRequest
            {
                FromHash = fromHash,
                Count = (int)Math.Min(count - keys.Count, int.MaxValue),
                Match = match,
                Type = type,
            };
            var page = await router.FanOutCall(current, "scan", router.Read(current, "SCAN", shard => shard.Scan(request)));
            keys.AddRange(page.Keys);
            fromHash = 0;
            if (page.NextHash is { } hash)
            {
                next = ((ulong)hash << SlotBits) | (uint)current;
                break;
            }
            if (keys.Count >= count || visited >= slotBudget)
            {
                next = index + 1 < active.Length ? (uint)active[index + 1] : 0;
                break;
            }
        }
        w.WriteArrayHeader(2);
        w.WriteBulkString(next.ToString());
        w.WriteArrayHeader(keys.Count);
        foreach (var key in keys) w.WriteBulk(key);
    }
}
