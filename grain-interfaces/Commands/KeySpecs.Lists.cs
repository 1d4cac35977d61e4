namespace OrleansLua.GrainInterfaces.Commands;

/// <summary>
/// "numkeys key… where …" (LMPOP, BLMPOP): a count of at least 1, that many keys, and at least one
/// argument after them (the LEFT|RIGHT), with Redis's error wording.
/// </summary>
public sealed class NumKeysThenWhere(int countIndex) : KeySpec, IKeyCountSpec
{
    public int CountIndex => countIndex;

    public override (int First, int Last, int Step) Legacy => (0, 0, 0);
    public override bool IsMovable => true;

    public override string? Collect(byte[][] args, List<int> keyIndexes)
    {
        if (!Protocol.RespNumbers.TryParseInt64(args[countIndex], out long count) || count < 1)
            return "ERR numkeys should be greater than 0";
        if (count > args.Length - countIndex - 2) return "ERR syntax error";
        for (int i = 0; i < count; i++) keyIndexes.Add(countIndex + 1 + i);
        return null;
    }
}
