using System.Buffers.Text;
using System.Text;

namespace OrleansLua.LoadGen.Resp;

/// <summary>What the hot path needs to know about one reply: complete or not, and error or not.</summary>
public enum ReplyStatus { Incomplete, Ok, Error }

/// <summary>A decoded reply, for the few setup and verification calls (not used on the hot path).</summary>
public sealed record RespValue(char Type, string? Text, long Integer, IReadOnlyList<RespValue>? Items)
{
    public bool IsError => Type is '-' or '!';
    public bool IsNull => Type == '_' || (Type is '$' or '*' && Text is null && Items is null);
    public override string ToString() => Items is not null ? $"[{string.Join(", ", Items)}]" : Text ?? (IsNull ? "(nil)" : Integer.ToString());
}

/// <summary>
/// RESP2/RESP3 reply parser over a receive buffer. <see cref="Skip"/> walks one reply without allocating
/// (used for every reply during the run); <see cref="TryParse"/> builds a <see cref="RespValue"/>.
/// </summary>
public static class RespReader
{
    private const int MaxDepth = 64;

    /// <summary>
    /// Walks one complete reply at the start of <paramref name="buffer"/>. On <see cref="ReplyStatus.Error"/>,
    /// <paramref name="errorText"/> is the range of the (top-level) error message.
    /// </summary>
    public static ReplyStatus Skip(ReadOnlySpan<byte> buffer, out int consumed, out Range errorText)
    {
        errorText = default;
        int pos = 0;
        if (buffer.IsEmpty) { consumed = 0; return ReplyStatus.Incomplete; }
        byte type = buffer[0];
        if (type == '-')
        {
            if (!TryLine(buffer, 1, out int end, out pos)) { consumed = 0; return ReplyStatus.Incomplete; }
            errorText = 1..end;
            consumed = pos;
            return ReplyStatus.Error;
        }
        if (type == '!')
        {
            if (!TryLine(buffer, 1, out int end, out pos)) { consumed = 0; return ReplyStatus.Incomplete; }
            long len = ParseLong(buffer[1..end]);
            if (buffer.Length < pos + len + 2) { consumed = 0; return ReplyStatus.Incomplete; }
            errorText = pos..(pos + (int)len);
            consumed = pos + (int)len + 2;
            return ReplyStatus.Error;
        }
        if (!SkipValue(buffer, ref pos, 0)) { consumed = 0; return ReplyStatus.Incomplete; }
        consumed = pos;
        return ReplyStatus.Ok;
    }

    private static bool SkipValue(ReadOnlySpan<byte> b, ref int pos, int depth)
    {
        if (depth > MaxDepth) throw new InvalidDataException("RESP reply nested too deeply");
        if (pos >= b.Length) return false;
        byte type = b[pos];
        if (!TryLine(b, pos + 1, out int end, out int next)) return false;
        switch (type)
        {
            case (byte)'+' or (byte)'-' or (byte)':' or (byte)'_' or (byte)',' or (byte)'#' or (byte)'(':
                pos = next;
                return true;
            case (byte)'$' or (byte)'!' or (byte)'=':
            {
                long len = ParseLong(b[(pos + 1)..end]);
                if (len < 0) { pos = next; return true; }
                if (b.Length < next + len + 2) return false;
                pos = next + (int)len + 2;
                return true;
            }
            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
            {
                long count = ParseLong(b[(pos + 1)..end]);
                if (type is (byte)'%' or (byte)'|') count *= 2;
                int p = next;
                for (long i = 0; i < count; i++)
                    if (!SkipValue(b, ref p, depth + 1)) return false;
                // An attribute is metadata in front of the real reply.
                if (type == '|' && !SkipValue(b, ref p, depth + 1)) return false;
                pos = p;
                return true;
            }
            default:
                throw new InvalidDataException($"unexpected RESP type byte 0x{type:x2}");
        }
    }

    /// <summary>Decodes one complete reply, or returns false when the buffer does not hold all of it yet.</summary>
    public static bool TryParse(ReadOnlySpan<byte> b, ref int pos, out RespValue value, int depth = 0)
    {
        value = null!;
        if (depth > MaxDepth) throw new InvalidDataException("RESP reply nested too deeply");
        if (pos >= b.Length) return false;
        byte type = b[pos];
        if (!TryLine(b, pos + 1, out int end, out int next)) return false;
        var line = b[(pos + 1)..end];
        switch (type)
        {
            case (byte)'+' or (byte)'-' or (byte)',' or (byte)'#' or (byte)'(':
                value = new RespValue((char)type, Encoding.UTF8.GetString(line), 0, null);
                pos = next;
                return true;
            case (byte)':':
                value = new RespValue(':', null, ParseLong(line), null);
                pos = next;
                return true;
            case (byte)'_':
                value = new RespValue('_', null, 0, null);
                pos = next;
                return true;
            case (byte)'$' or (byte)'!' or (byte)'=':
            {
                long len = ParseLong(line);
                if (len < 0) { value = new RespValue((char)type, null, 0, null); pos = next; return true; }
                if (b.Length < next + len + 2) return false;
                value = new RespValue((char)type, Encoding.UTF8.GetString(b.Slice(next, (int)len)), 0, null);
                pos = next + (int)len + 2;
                return true;
            }
            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
            {
                long count = ParseLong(line);
                if (count < 0) { value = new RespValue((char)type, null, 0, null); pos = next; return true; }
                if (type is (byte)'%' or (byte)'|') count *= 2;
                var items = new List<RespValue>((int)Math.Min(count, 1024));
                int p = next;
                for (long i = 0; i < count; i++)
                {
                    if (!TryParse(b, ref p, out var item, depth + 1)) return false;
                    items.Add(item);
                }
                if (type == '|')
                {
                    // An attribute is metadata in front of the real reply: return the reply.
                    if (!TryParse(b, ref p, out value, depth + 1)) return false;
                    pos = p;
                    return true;
                }
                value = new RespValue(type == '%' ? '*' : (char)type, null, 0, items);
                pos = p;
                return true;
            }
            default:
                throw new InvalidDataException($"unexpected RESP type byte 0x{type:x2}");
        }
    }

    /// <summary>
    /// Redis Cluster's redirect, "MOVED &lt;slot&gt; &lt;host&gt;:&lt;port&gt;" (an error reply's text): the slot and the
    /// endpoint that serves it now. An empty host means the node that answered (Redis 7's unknown-endpoint form).
    /// </summary>
    public static bool TryParseMoved(ReadOnlySpan<byte> error, out int slot, out string host, out int port)
    {
        slot = port = 0;
        host = "";
        if (!error.StartsWith("MOVED "u8)) return false;
        var rest = error[6..];
        int space = rest.IndexOf((byte)' ');
        if (space <= 0 || !Utf8Parser.TryParse(rest[..space], out slot, out int n) || n != space) return false;
        var endpoint = rest[(space + 1)..];
        int colon = endpoint.LastIndexOf((byte)':');
        if (colon < 0 || !Utf8Parser.TryParse(endpoint[(colon + 1)..], out port, out n) || n != endpoint.Length - colon - 1) return false;
        host = Encoding.ASCII.GetString(endpoint[..colon]);
        return true;
    }

    /// <summary>Finds the CRLF-terminated line that starts at <paramref name="start"/>.</summary>
    private static bool TryLine(ReadOnlySpan<byte> b, int start, out int end, out int next)
    {
        int lf = start < b.Length ? b[start..].IndexOf((byte)'\n') : -1;
        if (lf < 0) { end = next = 0; return false; }
        end = start + lf - 1; // the '\r'
        if (end < start || b[end] != '\r') throw new InvalidDataException("RESP line without CR");
        next = start + lf + 1;
        return true;
    }

    private static long ParseLong(ReadOnlySpan<byte> text) =>
        Utf8Parser.TryParse(text, out long v, out int n) && n == text.Length
            ? v
            : throw new InvalidDataException($"bad RESP integer '{Encoding.UTF8.GetString(text)}'");
}
