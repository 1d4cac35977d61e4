using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>Merges already-encoded replies of commands that ran on several slots.</summary>
public static class ReplyMerger
{
    /// <summary>Adds up integer replies (DEL, EXISTS, DBSIZE…).</summary>
    public static byte[] Sum(IEnumerable<byte[]> replies)
    {
        long total = 0;
        foreach (var reply in replies) total += RespReplyReader.ReadHeaderNumber(reply, 0, out _);
        var w = new RespWriter(RespProtocol.Resp2, 32);
        w.WriteInteger(total);
        return w.ToArray();
    }

    /// <summary>
    /// Rebuilds one array reply in key order from per-slot array replies (MGET): part i answered for
    /// the argument indexes in <paramref name="indexes"/>[i] (1-based positions among the keys).
    /// </summary>
    public static byte[] ScatterArrays(int count, List<List<int>> indexes, byte[][] replies)
    {
        var elements = new (byte[] Source, int Start, int End)[count];
        for (int part = 0; part < replies.Length; part++)
        {
            var reply = replies[part];
            RespReplyReader.ReadHeaderNumber(reply, 0, out int offset);
            foreach (int argIndex in indexes[part])
            {
                int end = RespReplyReader.Skip(reply, offset);
                elements[argIndex - 1] = (reply, offset, end);
                offset = end;
            }
        }
        var w = new RespWriter(RespProtocol.Resp2, 256);
        w.WriteArrayHeader(count);
        foreach (var (source, start, end) in elements) w.WriteRaw(source.AsSpan(start, end - start));
        return w.ToArray();
    }

    /// <summary>Concatenates array replies (KEYS over all slots).</summary>
    public static void Concat(IReadOnlyList<byte[]> replies, RespWriter output)
    {
        long total = 0;
        var bodies = new List<(byte[] Reply, int Offset)>();
        foreach (var reply in replies)
        {
            total += RespReplyReader.ReadHeaderNumber(reply, 0, out int offset);
            bodies.Add((reply, offset));
        }
        output.WriteArrayHeader((int)total);
        foreach (var (reply, offset) in bodies) output.WriteRaw(reply.AsSpan(offset));
    }

    /// <summary>
    /// EXEC whose queued commands were partly denied at EXEC time: the grain ran the others; their
    /// replies and the errors go back in queue order. A null array (WATCH) or an error passes unchanged.
    /// </summary>
    public static async Task<byte[]> InsertErrors(Task<byte[]> execReply, string?[] errors, RespProtocol protocol)
    {
        var reply = await execReply;
        if (reply.Length == 0 || reply[0] != (byte)'*' || RespReplyReader.ReadHeaderNumber(reply, 0, out int offset) < 0) return reply;
        var w = new RespWriter(protocol, reply.Length + 256);
        w.WriteArrayHeader(errors.Length);
        foreach (var error in errors)
        {
            if (error is not null)
            {
                w.WriteError(error);
                continue;
            }
            int end = RespReplyReader.Skip(reply, offset);
            w.WriteRaw(reply.AsSpan(offset, end - offset));
            offset = end;
        }
        return w.ToArray();
    }
}
