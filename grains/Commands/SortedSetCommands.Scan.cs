using System.Globalization;
using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

/// <summary>ZSCAN, on the walk HSCAN and SSCAN share (<see cref="CollectionScan"/>): positions are ranks.</summary>
public static partial class SortedSetCommands
{
    public static void ZScan(CommandContext c)
    {
        var page = CollectionScan.Page<RedisSortedSet>(c, out var set, out ulong next);
        if (page is null) return;
        CollectionScan.WriteHeader(c, next, page.Count * 2);
        foreach (int rank in page)
        {
            var node = set!.ByRank(rank)!;
            c.Reply.WriteBulk(node.Member);
            c.Reply.WriteBulkString(ScanScore(node.Score, set.IsCompact));
        }
    }

    /// <summary>
    /// ZSCAN prints scores as stored: a listpack keeps whole numbers up to 2^62 as integers
    /// (123456789012345678 reads back as "123456789012345680"), everything else as %.17g.
    /// </summary>
    private static string ScanScore(double score, bool listpack) =>
        listpack && Math.Abs(score) <= long.MaxValue / 2 && score == Math.Floor(score)
            ? ((long)score).ToString(CultureInfo.InvariantCulture)
            : SortedSetReplies.FormatScore(score);
}
