namespace OrleansLua.GrainInterfaces.Commands;

/// <summary>
/// "[destination] numkeys key… [options]" (ZUNION, ZINTERSTORE, ZDIFF, ZINTERCARD…): at least one
/// input key and no more than the arguments left, with Redis's wording. A destination (argument
/// 1, before the count) is a key too, so it takes part in the CROSSSLOT check.
/// </summary>
public sealed class InputKeysAfterCount(int countIndex, bool hasDestination) : KeySpec
{
    public int CountIndex => countIndex;

    public override (int First, int Last, int Step) Legacy => hasDestination ? (1, 1, 1) : (0, 0, 0);
    public override bool IsMovable => true;

    public override string? Collect(byte[][] args, List<int> keyIndexes)
    {
        if (!Protocol.RespNumbers.TryParseInt64(args[countIndex], out long count))
            return "ERR value is not an integer or out of range";
        if (count < 1)
            return $"ERR at least 1 input key is needed for '{System.Text.Encoding.ASCII.GetString(args[0]).ToLowerInvariant()}' command";
        if (count > args.Length - countIndex - 1) return "ERR syntax error";
        if (hasDestination) keyIndexes.Add(1);
        for (int i = 0; i < count; i++) keyIndexes.Add(countIndex + 1 + i);
        return null;
    }
}
