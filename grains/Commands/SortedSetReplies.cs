using System.Globalization;
using System.Text;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Commands;

/// <summary>Scores and member lists written as Redis 7.0 writes them.</summary>
internal static class SortedSetReplies
{
    /// <summary>
    /// C's "%.17g", which Redis 7.0 uses for every score it prints (1.1 → "1.1000000000000001").
    /// </summary>
    public static string FormatScore(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";
        // Whole numbers below 1e17 print as plain integers; most scores (counters, timestamps) are.
        if (Math.Abs(value) < 1e17 && value == Math.Floor(value))
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        string e = value.ToString("E16", CultureInfo.InvariantCulture); // d.dddddddddddddddd E±xxx
        bool negative = e[0] == '-';
        int at = negative ? 1 : 0, ePos = e.IndexOf('E');
        string digits = (e[at] + e[(at + 2)..ePos]).TrimEnd('0');
        int exponent = int.Parse(e.AsSpan(ePos + 1), CultureInfo.InvariantCulture);
        var sb = new StringBuilder(26);
        if (negative) sb.Append('-');
        if (exponent < -4 || exponent >= 17)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
            sb.Append(exponent < 0 ? "e-" : "e+").Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (exponent >= 0)
        {
            if (digits.Length <= exponent + 1) sb.Append(digits).Append('0', exponent + 1 - digits.Length);
            else sb.Append(digits, 0, exponent + 1).Append('.').Append(digits, exponent + 1, digits.Length - exponent - 1);
        }
        else sb.Append("0.").Append('0', -exponent - 1).Append(digits);
        return sb.ToString();
    }

    /// <summary>
    /// A score: RESP2 bulk string, RESP3 double, both in %.17g. The shared RespWriter.WriteDouble
    /// prints the shortest round-trip form (Redis 7.2's), so RESP3 frames are written raw here.
    /// </summary>
    public static void WriteScore(this IReplyWriter w, double score)
    {
        if (w.Protocol == RespProtocol.Resp2) w.WriteBulkString(FormatScore(score));
        else if (w is RespWriter resp) resp.WriteRaw(Encoding.ASCII.GetBytes("," + FormatScore(score) + "\r\n"));
        else w.WriteDouble(score);
    }

    /// <summary>
    /// The array header for <paramref name="count"/> members, with scores: RESP2 flattens
    /// member, score pairs; RESP3 nests each pair (see <see cref="WriteMember"/>).
    /// </summary>
    public static void WriteMembersHeader(this IReplyWriter w, int count, bool withScores) =>
        w.WriteArrayHeader(withScores && w.Protocol == RespProtocol.Resp2 ? count * 2 : count);

    public static void WriteMember(this IReplyWriter w, byte[] member, double score, bool withScores)
    {
        if (withScores && w.Protocol != RespProtocol.Resp2) w.WriteArrayHeader(2);
        w.WriteBulk(member);
        if (withScores) w.WriteScore(score);
    }

    /// <summary><paramref name="count"/> members walking from <paramref name="node"/>, forward or backward.</summary>
    public static void WriteMembers(this IReplyWriter w, SkipListNode? node, int count, bool reverse, bool withScores)
    {
        w.WriteMembersHeader(count, withScores);
        for (int i = 0; i < count && node is not null; i++, node = reverse ? node.Previous : node.Next)
            w.WriteMember(node.Member, node.Score, withScores);
    }
}
