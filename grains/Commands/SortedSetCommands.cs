using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

/// <summary>Sorted set commands (ZADD, ZRANGE, …), Redis 7.0 semantics. Members: this file; ranges, pops, set algebra and ZSCAN: the other SortedSetCommands.*.cs files.</summary>
public static partial class SortedSetCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
        ["zadd"] = ZAdd,
        ["zincrby"] = ZIncrBy,
        ["zrem"] = ZRem,
        ["zscore"] = ZScore,
        ["zmscore"] = ZMScore,
        ["zcard"] = ZCard,
        ["zrank"] = ZRank,
        ["zrevrank"] = ZRevRank,
        ["zcount"] = ZCount,
        ["zlexcount"] = ZLexCount,
        ["zrange"] = ZRange,
        ["zrangebyscore"] = ZRangeByScore,
        ["zrevrangebyscore"] = ZRevRangeByScore,
        ["zrangebylex"] = ZRangeByLex,
        ["zrevrangebylex"] = ZRevRangeByLex,
        ["zrevrange"] = ZRevRange,
        ["zrangestore"] = ZRangeStore,
        ["zremrangebyscore"] = ZRemRangeByScore,
        ["zremrangebyrank"] = ZRemRangeByRank,
        ["zremrangebylex"] = ZRemRangeByLex,
        ["zpopmin"] = ZPopMin,
        ["zpopmax"] = ZPopMax,
        ["zmpop"] = ZMPop,
        ["zrandmember"] = ZRandMember,
        ["zunion"] = ZUnion,
        ["zinter"] = ZInter,
        ["zdiff"] = ZDiff,
        ["zunionstore"] = ZUnionStore,
        ["zinterstore"] = ZInterStore,
        ["zdiffstore"] = ZDiffStore,
        ["zintercard"] = ZInterCard,
        ["zscan"] = ZScan,
    };

    private const string NaNScore = "ERR resulting score is not a number (NaN)";

    /// <summary>ZADD's flags; ZINCRBY is ZADD with Incr.</summary>
    private readonly record struct AddOptions(bool Nx, bool Xx, bool Gt, bool Lt, bool Ch, bool Incr);

    public static void ZAdd(CommandContext c)
    {
        var a = c.Args;
        bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        int first = 2;
        for (; first < a.Length; first++)
        {
            var arg = a[first];
            if (arg.Is("nx")) nx = true;
            else if (arg.Is("xx")) xx = true;
            else if (arg.Is("gt")) gt = true;
            else if (arg.Is("lt")) lt = true;
            else if (arg.Is("ch")) ch = true;
            else if (arg.Is("incr")) incr = true;
            else break;
        }
        int rest = a.Length - first;
        if (rest == 0 || rest % 2 != 0)
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        if (nx && xx)
        {
            c.Reply.WriteError("ERR XX and NX options at the same time are not compatible");
            return;
        }
        if ((gt && nx) || (lt && nx) || (gt && lt))
        {
            c.Reply.WriteError("ERR GT, LT, and/or NX options at the same time are not compatible");
            return;
        }
        if (incr && rest > 2)
        {
            c.Reply.WriteError("ERR INCR option supports a single increment-element pair");
            return;
        }
        // Every score is checked before anything changes: ZADD applies fully or not at all.
        var scores = new double[rest / 2];
        for (int i = 0; i < scores.Length; i++)
        {
            if (!SortedSetArgs.TryParseScore(a[first + 2 * i], out scores[i]))
            {
                c.Reply.WriteError(Errors.NotFloat);
                return;
            }
        }
        Add(c, scores, first, new AddOptions(nx, xx, gt, lt, ch, incr));
    }

    public static void ZIncrBy(CommandContext c)
    {
        if (!SortedSetArgs.TryParseScore(c.Args[2], out double by)) c.Reply.WriteError(Errors.NotFloat);
        else Add(c, [by], 2, new AddOptions(false, false, false, false, false, Incr: true));
    }

    /// <summary>Redis's zsetAdd over every score/member pair from argument <paramref name="first"/>, then the reply.</summary>
    private static void Add(CommandContext c, double[] scores, int first, AddOptions o)
    {
        var key = c.Args[1];
        if (!c.TryWrite<RedisSortedSet>(key, create: !o.Xx, out var set)) return;
        long added = 0, updated = 0;
        bool processed = false;
        double result = 0;
        if (set is not null)
        {
            int longest = 0;
            if (set.IsEmpty) // just created: Redis sizes a new key's encoding by its longest member too
                for (int i = 0; i < scores.Length; i++) longest = Math.Max(longest, c.Args[first + 2 * i + 1].Length);
            set.PrepareForAdding(scores.Length, longest);
            for (int i = 0; i < scores.Length; i++)
            {
                var member = c.Args[first + 2 * i + 1];
                double score = scores[i];
                if (set.TryGetScore(member, out double current))
                {
                    if (o.Nx) continue;
                    if (o.Incr)
                    {
                        score += current;
                        if (double.IsNaN(score))
                        {
                            c.Written(key, set);
                            c.Reply.WriteError(NaNScore);
                            return;
                        }
                    }
                    if ((o.Gt && score <= current) || (o.Lt && score >= current)) continue;
                    if (score != current)
                    {
                        set.Update(member, score);
                        updated++;
                    }
                }
                else
                {
                    if (o.Xx) continue;
                    set.Add(member, score);
                    added++;
                }
                processed = true;
                result = score;
            }
            c.Written(key, set);
        }
        if (!o.Incr) c.Reply.WriteInteger(o.Ch ? added + updated : added);
        else if (processed) c.Reply.WriteScore(result);
        else c.Reply.WriteNull();
    }

    public static void ZRem(CommandContext c)
    {
        var key = c.Args[1];
        if (!c.TryWrite<RedisSortedSet>(key, create: false, out var set)) return;
        long removed = 0;
        if (set is not null)
        {
            for (int i = 2; i < c.Args.Length; i++)
                if (set.Remove(c.Args[i])) removed++;
            c.Written(key, set);
        }
        c.Reply.WriteInteger(removed);
    }

    public static void ZScore(CommandContext c)
    {
        if (!c.TryRead<RedisSortedSet>(c.Args[1], out var set)) return;
        if (set is not null && set.TryGetScore(c.Args[2], out double score)) c.Reply.WriteScore(score);
        else c.Reply.WriteNull();
    }

    public static void ZMScore(CommandContext c)
    {
        if (!c.TryRead<RedisSortedSet>(c.Args[1], out var set)) return;
        c.Reply.WriteArrayHeader(c.Args.Length - 2);
        for (int i = 2; i < c.Args.Length; i++)
        {
            if (set is not null && set.TryGetScore(c.Args[i], out double score)) c.Reply.WriteScore(score);
            else c.Reply.WriteNull();
        }
    }

    public static void ZCard(CommandContext c)
    {
        if (c.TryRead<RedisSortedSet>(c.Args[1], out var set)) c.Reply.WriteInteger(set?.Count ?? 0);
    }

    public static void ZRank(CommandContext c) => Rank(c, reverse: false);
    public static void ZRevRank(CommandContext c) => Rank(c, reverse: true);

    private static void Rank(CommandContext c, bool reverse)
    {
        if (!c.TryRead<RedisSortedSet>(c.Args[1], out var set)) return;
        int rank = set?.RankOf(c.Args[2]) ?? -1;
        if (rank < 0) c.Reply.WriteNull();
        else c.Reply.WriteInteger(reverse ? set!.Count - 1 - rank : rank);
    }
}
