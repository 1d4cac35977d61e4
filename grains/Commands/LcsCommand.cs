namespace OrleansLua.Grains.Commands;

/// <summary>
/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the longest common subsequence of two strings,
/// by Redis 7.0's dynamic programming and backtracking (t_string.c), so ties resolve to the same answer.
/// The table is bounded like Redis's: at most 512 MB (proto-max-bulk-len) of 4-byte cells.
/// </summary>
public static class LcsCommand
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
        ["lcs"] = Lcs,
    };

    private static void Lcs(CommandContext c)
    {
        var args = c.Args;
        var first = c.Keys.Get(args[1], c.Now)?.Value;
        var second = c.Keys.Get(args[2], c.Now)?.Value;
        if (first is not (null or byte[]) || second is not (null or byte[]))
        {
            c.Reply.WriteError("ERR The specified keys must contain string values");
            return;
        }
        byte[] a = first as byte[] ?? [], b = second as byte[] ?? [];
        bool getLength = false, getIndexes = false, withMatchLength = false;
        long minMatchLength = 0;
        for (int j = 3; j < args.Length; j++)
        {
            if (args[j].Is("idx")) getIndexes = true;
            else if (args[j].Is("len")) getLength = true;
            else if (args[j].Is("withmatchlen")) withMatchLength = true;
            else if (args[j].Is("minmatchlen") && j + 1 < args.Length)
            {
                if (!args[++j].TryInt64(out minMatchLength))
                {
                    c.Reply.WriteError(Errors.NotInteger);
                    return;
                }
                minMatchLength = Math.Max(minMatchLength, 0);
            }
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
        }
        if (getLength && getIndexes)
        {
            c.Reply.WriteError("ERR If you want both the length and indexes, please just use IDX.");
            return;
        }
        long cells = (a.LongLength + 1) * (b.LongLength + 1);
        if (cells * sizeof(uint) > StringCommands.MaxStringLength)
        {
            c.Reply.WriteError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
            return;
        }

        int alen = a.Length, blen = b.Length, width = blen + 1;
        var lcs = new uint[cells];
        for (int i = 1; i <= alen; i++)
            for (int j = 1; j <= blen; j++)
                lcs[i * width + j] = a[i - 1] == b[j - 1]
                    ? lcs[(i - 1) * width + j - 1] + 1
                    : Math.Max(lcs[(i - 1) * width + j], lcs[i * width + j - 1]);
        uint length = lcs[alen * width + blen];
        if (getLength)
        {
            c.Reply.WriteInteger(length);
            return;
        }

        var result = new byte[length];
        var matches = new List<(int AStart, int AEnd, int BStart, int BEnd)>();
        int idx = (int)length, x = alen, y = blen;
        int aStart = alen, aEnd = 0, bStart = 0, bEnd = 0; // aStart == alen: no range open
        while (x > 0 && y > 0)
        {
            bool emit = false;
            if (a[x - 1] == b[y - 1])
            {
                result[--idx] = a[x - 1];
                if (aStart == alen) (aStart, aEnd, bStart, bEnd) = (x - 1, x - 1, y - 1, y - 1);
                else if (aStart == x && bStart == y) (aStart, bStart) = (aStart - 1, bStart - 1);
                else emit = true;
                if (aStart == 0 || bStart == 0) emit = true;
                x--;
                y--;
            }
            else
            {
                if (lcs[(x - 1) * width + y] > lcs[x * width + y - 1]) x--;
                else y--;
                if (aStart != alen) emit = true;
            }
            if (!emit) continue;
            if (minMatchLength == 0 || aEnd - aStart + 1 >= minMatchLength) matches.Add((aStart, aEnd, bStart, bEnd));
            aStart = alen;
        }
        if (!getIndexes)
        {
            c.Reply.WriteBulk(result);
            return;
        }
        c.Reply.WriteMapHeader(2);
        c.Reply.WriteBulkString("matches");
        c.Reply.WriteArrayHeader(matches.Count);
        foreach (var (matchAStart, matchAEnd, matchBStart, matchBEnd) in matches)
        {
            c.Reply.WriteArrayHeader(withMatchLength ? 3 : 2);
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteInteger(matchAStart);
            c.Reply.WriteInteger(matchAEnd);
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteInteger(matchBStart);
            c.Reply.WriteInteger(matchBEnd);
            if (withMatchLength) c.Reply.WriteInteger(matchAEnd - matchAStart + 1);
        }
        c.Reply.WriteBulkString("len");
        c.Reply.WriteInteger(length);
    }
}
