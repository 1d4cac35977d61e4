using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

/// <summary>
/// Union, intersection and difference of sorted sets (ZUNION, ZINTER, ZDIFF, their *STORE forms,
/// ZINTERCARD), after Redis's zunionInterDiffGenericCommand. Plain sets take part with score 1.
/// </summary>
public static partial class SortedSetCommands
{
    private enum SetOp { Union, Inter, Diff }

    private enum Aggregate { Sum, Min, Max }

    /// <summary>One input key: its members (null when the key is missing) and its weight.</summary>
    private sealed record Input(RedisSortedSet? Set, double Weight)
    {
        public int Count => Set?.Count ?? 0;
    }

    public static void ZUnion(CommandContext c) => Combine(c, SetOp.Union, store: false);
    public static void ZInter(CommandContext c) => Combine(c, SetOp.Inter, store: false);
    public static void ZDiff(CommandContext c) => Combine(c, SetOp.Diff, store: false);
    public static void ZUnionStore(CommandContext c) => Combine(c, SetOp.Union, store: true);
    public static void ZInterStore(CommandContext c) => Combine(c, SetOp.Inter, store: true);
    public static void ZDiffStore(CommandContext c) => Combine(c, SetOp.Diff, store: true);

    private static void Combine(CommandContext c, SetOp op, bool store)
    {
        var a = c.Args;
        int countIndex = store ? 2 : 1;
        var sets = ReadInputs(c, countIndex);
        if (sets is null) return;
        var weights = new double[sets.Length];
        Array.Fill(weights, 1);
        var aggregate = Aggregate.Sum;
        bool withScores = false;
        for (int j = countIndex + 1 + sets.Length; j < a.Length; j++)
        {
            int remaining = a.Length - j;
            if (op != SetOp.Diff && remaining > sets.Length && a[j].Is("weights"))
            {
                for (int i = 0; i < sets.Length; i++)
                {
                    if (!SortedSetArgs.TryParseScore(a[++j], out weights[i]))
                    {
                        c.Reply.WriteError("ERR weight value is not a float");
                        return;
                    }
                }
            }
            else if (op != SetOp.Diff && remaining >= 2 && a[j].Is("aggregate"))
            {
                var name = a[++j];
                if (name.Is("sum")) aggregate = Aggregate.Sum;
                else if (name.Is("min")) aggregate = Aggregate.Min;
                else if (name.Is("max")) aggregate = Aggregate.Max;
                else
                {
                    c.Reply.WriteError(Errors.Syntax);
                    return;
                }
            }
            else if (!store && a[j].Is("withscores")) withScores = true;
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
        }
        var inputs = sets.Select((set, i) => new Input(set, weights[i])).ToArray();
        RedisSortedSet result;
        if (op == SetOp.Union) result = Union(inputs, aggregate);
        else if (op == SetOp.Diff) result = Difference(inputs);
        else Intersect(inputs, aggregate, limit: 0, result = new RedisSortedSet());
        if (store) Store(c, a[1], result);
        else c.Reply.WriteMembers(result.First, result.Count, reverse: false, withScores);
    }

    public static void ZInterCard(CommandContext c)
    {
        var a = c.Args;
        var sets = ReadInputs(c, 1);
        if (sets is null) return;
        long limit = 0;
        for (int j = 2 + sets.Length; j < a.Length; j++)
        {
            if (a.Length - j >= 2 && a[j].Is("limit"))
            {
                if (!a[++j].TryInt64(out limit) || limit < 0)
                {
                    c.Reply.WriteError("ERR LIMIT can't be negative");
                    return;
                }
            }
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
        }
        c.Reply.WriteInteger(Intersect(sets.Select(set => new Input(set, 1)).ToArray(), Aggregate.Sum, limit, into: null));
    }

    /// <summary>
    /// The numkeys input keys after argument <paramref name="countIndex"/> (the key spec checked the
    /// count). Every key is type-checked before any option is read, as Redis does; null after WRONGTYPE.
    /// </summary>
    private static RedisSortedSet?[]? ReadInputs(CommandContext c, int countIndex)
    {
        c.Args[countIndex].TryInt64(out long count);
        var sets = new RedisSortedSet?[count];
        for (int i = 0; i < sets.Length; i++)
        {
            switch (c.Keys.Get(c.Args[countIndex + 1 + i], c.Now)?.Value)
            {
                case null: break;
                case RedisSortedSet set: sets[i] = set; break;
                case RedisSet plain: sets[i] = ScoredOne(plain.Members); break;
                default:
                    c.Reply.WriteError(Errors.WrongType);
                    return null;
            }
        }
        return sets;
    }

    /// <summary>A plain set as Redis's set algebra sees it: every member scored 1.</summary>
    private static RedisSortedSet ScoredOne(IEnumerable<byte[]> members)
    {
        var set = new RedisSortedSet();
        foreach (var member in members) set.Add(member, 1);
        return set;
    }

    /// <summary>Inputs smallest first, as Redis orders them (the order shows only in the rounding of sums).</summary>
    private static Input[] BySize(Input[] inputs) => inputs.OrderBy(input => input.Count).ToArray();

    private static RedisSortedSet Union(Input[] inputs, Aggregate aggregate)
    {
        var scores = new Dictionary<byte[], double>(ByteArrayComparer.Instance);
        foreach (var input in BySize(inputs))
        {
            // Tail first, like Redis's set iterator: the same additions in the same order round the same.
            for (var node = input.Set?.Last; node is not null; node = node.Previous)
            {
                double score = Weighted(node.Score, input.Weight);
                ref double total = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(scores, node.Member, out bool exists);
                total = exists ? Aggregated(total, score, aggregate) : score;
            }
        }
        var result = new RedisSortedSet();
        foreach (var (member, score) in scores) result.Add(member, score);
        return result;
    }

    /// <summary>
    /// Counts the members of every input, adding them to <paramref name="into"/> when given;
    /// ZINTERCARD stops counting at <paramref name="limit"/> (0: no limit).
    /// </summary>
    private static long Intersect(Input[] inputs, Aggregate aggregate, long limit, RedisSortedSet? into)
    {
        // Smallest first: every member of the intersection is in it, and an empty one ends it at once.
        var sorted = BySize(inputs);
        long cardinality = 0;
        for (var node = sorted[0].Set?.Last; node is not null; node = node.Previous)
        {
            double score = Weighted(node.Score, sorted[0].Weight);
            int j = 1;
            for (; j < sorted.Length && sorted[j].Set!.TryGetScore(node.Member, out double other); j++)
                score = Aggregated(score, other * sorted[j].Weight, aggregate);
            if (j < sorted.Length) continue;
            into?.Add(node.Member, score);
            if (++cardinality == limit) break;
        }
        return cardinality;
    }

    /// <summary>Members of the first input that no other input has, with their first-input scores.</summary>
    private static RedisSortedSet Difference(Input[] inputs)
    {
        var result = new RedisSortedSet();
        for (var node = inputs[0].Set?.First; node is not null; node = node.Next)
        {
            bool elsewhere = false;
            for (int j = 1; j < inputs.Length && !elsewhere; j++)
                elsewhere = inputs[j].Set?.TryGetScore(node.Member, out _) == true;
            if (!elsewhere) result.Add(node.Member, node.Score);
        }
        return result;
    }

    /// <summary>Weight × score, where inf × 0 counts as 0 rather than NaN.</summary>
    private static double Weighted(double score, double weight)
    {
        double value = score * weight;
        return double.IsNaN(value) ? 0 : value;
    }

    /// <summary>Redis's zunionInterAggregate: a sum of +inf and -inf is 0, not NaN.</summary>
    private static double Aggregated(double total, double value, Aggregate aggregate) => aggregate switch
    {
        Aggregate.Sum => double.IsNaN(total + value) ? 0 : total + value,
        Aggregate.Min => value < total ? value : total,
        _ => value > total ? value : total,
    };
}
