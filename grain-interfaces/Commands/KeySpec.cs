namespace OrleansLua.GrainInterfaces.Commands;

/// <summary>Where a command's keys are among its arguments (argument 0 is the command name).</summary>
public abstract class KeySpec
{
    public static readonly KeySpec None = new RangeKeys(0, 0, 0);

    /// <summary>Legacy (first, last, step) of COMMAND INFO; (0,0,0) for movable keys.</summary>
    public abstract (int First, int Last, int Step) Legacy { get; }

    public virtual bool IsMovable => false;

    /// <summary>Adds the argument indexes that are keys. Returns an error reply text for malformed key counts.</summary>
    public abstract string? Collect(byte[][] args, List<int> keyIndexes);
}

/// <summary>A key spec whose keys follow a count argument (COMMAND's "keynum" find_keys).</summary>
public interface IKeyCountSpec
{
    /// <summary>The argument index of the key count.</summary>
    int CountIndex { get; }
}

/// <summary>Keys at first..last (negative last counts from the end) every step arguments.</summary>
public sealed class RangeKeys(int first, int last, int step) : KeySpec
{
    public override (int First, int Last, int Step) Legacy => (first, last, step);

    public override string? Collect(byte[][] args, List<int> keyIndexes)
    {
        if (first == 0) return null;
        int end = last < 0 ? args.Length + last : Math.Min(last, args.Length - 1);
        for (int i = first; i <= end; i += step) keyIndexes.Add(i);
        return null;
    }
}

/// <summary>
/// A count argument followed by that many keys (EVAL's numkeys, LMPOP/ZMPOP/SINTERCARD's numkeys),
/// with the command's own Redis error wording for a bad count.
/// </summary>
public sealed class CountedKeys(int countIndex, string notIntegerError, long minimum, string belowMinimumError,
    string tooManyError, int argumentsAfterKeys = 0) : KeySpec, IKeyCountSpec
{
    public int CountIndex => countIndex;
    public override (int First, int Last, int Step) Legacy => (0, 0, 0);
    public override bool IsMovable => true;

    public override string? Collect(byte[][] args, List<int> keyIndexes)
    {
        if (!Protocol.RespNumbers.TryParseInt64(args[countIndex], out long count)) return notIntegerError;
        if (count < minimum) return belowMinimumError;
        if (count > args.Length - countIndex - 1 - argumentsAfterKeys) return tooManyError;
        for (int i = 0; i < count; i++) keyIndexes.Add(countIndex + 1 + i);
        return null;
    }
}

/// <summary>SORT's keys: the sorted key, and the argument after the last STORE (sortGetKeys: LIMIT's, BY's and GET's arguments are skipped).</summary>
public sealed class SortKeys : KeySpec
{
    public override (int First, int Last, int Step) Legacy => (1, 1, 1);
    public override bool IsMovable => true;

    public override string? Collect(byte[][] args, List<int> keyIndexes)
    {
        keyIndexes.Add(1);
        int store = -1;
        for (int i = 2; i < args.Length; i++)
        {
            if (Protocol.RespArgs.Is(args[i], "limit")) i += 2;
            else if (Protocol.RespArgs.Is(args[i], "get") || Protocol.RespArgs.Is(args[i], "by")) i++;
            else if (Protocol.RespArgs.Is(args[i], "store") && i + 1 < args.Length) store = i + 1;
        }
        if (store > 0) keyIndexes.Add(store);
        return null;
    }

}
