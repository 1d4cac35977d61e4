using OrleansLua.Grains.Keyspace;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Commands;

/// <summary>Scores and member lists written as Redis 7.0 writes them.</summary>
internal static class SortedSetReplies
{
    /// <summary>C's "%.17g", which Redis 7.0 uses for every score it prints (1.1 → "1.1000000000000001").</summary>
    public static string FormatScore(double value) => RespNumbers.FormatDouble(value);

    /// <summary>A score: RESP2 bulk string, RESP3 double, both in %.17g.</summary>
    public static void WriteScore(this IReplyWriter w, double score) => w.WriteDouble(score);

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
