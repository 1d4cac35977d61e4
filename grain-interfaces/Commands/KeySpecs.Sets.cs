namespace OrleansLua.GrainInterfaces.Commands;

/// <summary>
/// "numkeys key… [options]" (SINTERCARD): a count of at least 1 and no more keys than arguments
/// left, with Redis's error wording.
/// </summary>
public sealed class NumKeysThenKeys(int countIndex) : KeySpec, IKeyCountSpec
{
    public int CountIndex => countIndex;

    public override (int First, int Last, int Step) Legacy => (0, 0, 0);
    public override bool IsMovable => true;

    public override string? Collect(byte[][] args, List<int> keyIndexes)
    {
        if (!Protocol.RespNumbers.TryParseInt64(args[countIndex], out long count) || count < 1)
            return "ERR numkeys should be greater than 0";
        if (count > args.Length - countIndex - 1) return "ERR Number of keys can't be greater than number of args";
        for (int i = 0; i < count; i++) keyIndexes.Add(countIndex + 1 + i);
        return null;
    }
}
