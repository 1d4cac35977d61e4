namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// How many nodes Redis's radix tree (rax) has for a set of stream node keys (16-byte big-endian
/// IDs), for XINFO STREAM's radix-tree-nodes: a shared run of bytes is one compressed node, a byte
/// where keys part ways is one branching node, every key ends in one leaf, an empty tree is its root.
/// </summary>
internal static class RadixTreeSize
{
    private const int KeyLength = 16;

    /// <summary><paramref name="ids"/> must be ascending.</summary>
    public static int Of(List<StreamId> ids)
    {
        if (ids.Count == 0) return 1;
        var keys = new byte[ids.Count][];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = new byte[KeyLength];
            ids[i].WriteBigEndian(keys[i]);
        }
        return Count(keys, 0, keys.Length, 0);
    }

    /// <summary>Nodes below the point where keys[from..to) have matched their first <paramref name="depth"/> bytes.</summary>
    private static int Count(byte[][] keys, int from, int to, int depth)
    {
        if (depth == KeyLength) return 1;
        // Sorted keys: the first and last share the prefix every key in between shares.
        int common = keys[from].AsSpan(depth).CommonPrefixLength(keys[to - 1].AsSpan(depth));
        if (common > 0) return 1 + Count(keys, from, to, depth + common);
        int nodes = 1;
        for (int start = from; start < to;)
        {
            int end = start + 1;
            while (end < to && keys[end][depth] == keys[start][depth]) end++;
            nodes += Count(keys, start, end, depth + 1);
            start = end;
        }
        return nodes;
    }
}
