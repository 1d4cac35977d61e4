using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

/// <summary>Set commands (SADD, SMEMBERS, …), Redis 7 semantics.</summary>
public static class SetCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
        ["sadd"] = SAdd,
        ["srem"] = SRem,
        ["smembers"] = SMembers,
        ["sismember"] = SIsMember,
        ["smismember"] = SMIsMember,
        ["scard"] = SCard,
        ["spop"] = SPop,
        ["srandmember"] = SRandMember,
        ["smove"] = SMove,
        ["sinter"] = c => Combine(c, Intersection),
        ["sinterstore"] = c => CombineStore(c, Intersection),
        ["sunion"] = c => Combine(c, Union),
        ["sunionstore"] = c => CombineStore(c, Union),
        ["sdiff"] = c => Combine(c, Difference),
        ["sdiffstore"] = c => CombineStore(c, Difference),
        ["sintercard"] = SInterCard,
        ["sscan"] = SScan,
    };

    public static void SAdd(CommandContext c)
    {
        var a = c.Args;
        if (!c.TryWrite<RedisSet>(a[1], create: true, out var set)) return;
        long added = 0;
        for (int i = 2; i < a.Length; i++)
            if (set!.Add(a[i])) added++;
        c.Reply.WriteInteger(added);
    }

    public static void SRem(CommandContext c)
    {
        var a = c.Args;
        if (!c.TryWrite<RedisSet>(a[1], create: false, out var set)) return;
        long removed = 0;
        if (set is not null)
        {
            for (int i = 2; i < a.Length; i++)
                if (set.Remove(a[i])) removed++;
            c.Written(a[1], set);
        }
        c.Reply.WriteInteger(removed);
    }

    public static void SMembers(CommandContext c)
    {
        if (c.TryRead<RedisSet>(c.Args[1], out var set)) WriteMembers(c, set?.Members ?? [], set?.Count ?? 0);
    }

    public static void SIsMember(CommandContext c)
    {
        if (c.TryRead<RedisSet>(c.Args[1], out var set)) c.Reply.WriteInteger(set?.Contains(c.Args[2]) == true ? 1 : 0);
    }

    public static void SMIsMember(CommandContext c)
    {
        var a = c.Args;
        if (!c.TryRead<RedisSet>(a[1], out var set)) return;
        c.Reply.WriteArrayHeader(a.Length - 2);
        for (int i = 2; i < a.Length; i++) c.Reply.WriteInteger(set?.Contains(a[i]) == true ? 1 : 0);
    }

    public static void SCard(CommandContext c)
    {
        if (c.TryRead<RedisSet>(c.Args[1], out var set)) c.Reply.WriteInteger(set?.Count ?? 0);
    }

    /// <summary>SPOP key [count]: without a count one member or nil, with one a set of distinct members.</summary>
    public static void SPop(CommandContext c)
    {
        var a = c.Args;
        if (a.Length > 3)
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        long count = 1;
        bool withCount = a.Length == 3;
        if (withCount && (!a[2].TryInt64(out count) || count < 0))
        {
            c.Reply.WriteError("ERR value is out of range, must be positive");
            return;
        }
        if (!c.TryWrite<RedisSet>(a[1], create: false, out var set)) return;
        var popped = set is null || count == 0 ? [] : RandomSample.Positions(set.Count, count).ConvertAll(set.MemberAt);
        foreach (var member in popped) set!.Remove(member);
        if (set is not null) c.Written(a[1], set);
        if (withCount) WriteMembers(c, popped, popped.Count);
        else if (popped.Count == 0) c.Reply.WriteNull();
        else c.Reply.WriteBulk(popped[0]);
    }

    /// <summary>SRANDMEMBER key [count]: a positive count picks distinct members, a negative one may repeat them.</summary>
    public static void SRandMember(CommandContext c)
    {
        var a = c.Args;
        RedisSet? set;
        if (a.Length == 2)
        {
            if (!c.TryRead(a[1], out set)) return;
            if (set is null) c.Reply.WriteNull();
            else c.Reply.WriteBulk(set.MemberAt(RandomSample.Position(set.Count)));
            return;
        }
        if (!RandomSample.TryParseCount(c, a[2], out long count)) return;
        if (a.Length > 3)
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        if (!c.TryRead(a[1], out set)) return;
        List<int> picks = set is null ? [] : RandomSample.Positions(set.Count, count);
        c.Reply.WriteArrayHeader(picks.Count);
        foreach (int index in picks) c.Reply.WriteBulk(set!.MemberAt(index));
    }

    /// <summary>SMOVE source destination member, with Redis's order of checks.</summary>
    public static void SMove(CommandContext c)
    {
        var a = c.Args;
        byte[] source = a[1], destination = a[2], member = a[3];
        if (!c.TryRead<RedisSet>(source, out var from)) return;
        if (from is null)
        {
            c.Reply.WriteInteger(0);
            return;
        }
        if (!c.TryRead<RedisSet>(destination, out var existing)) return;
        if (ByteArrayComparer.Instance.Equals(source, destination))
        {
            c.Reply.WriteInteger(from.Contains(member) ? 1 : 0);
            return;
        }
        if (!from.Contains(member))
        {
            c.Reply.WriteInteger(0);
            return;
        }
        c.TryWrite(source, create: false, out from);
        from!.Remove(member);
        c.Written(source, from);
        // a destination that already has the member does not change (WATCH and blocked clients are not told)
        if (existing is null || !existing.Contains(member))
        {
            c.TryWrite<RedisSet>(destination, create: true, out var to);
            to!.Add(member);
        }
        c.Reply.WriteInteger(1);
    }

    /// <summary>SINTERCARD numkeys key… [LIMIT limit] (the key spec has checked numkeys).</summary>
    public static void SInterCard(CommandContext c)
    {
        var a = c.Args;
        a[1].TryInt64(out long numKeys);
        long limit = 0;
        for (int i = 2 + (int)numKeys; i < a.Length; i++)
        {
            if (!a[i].Is("limit") || i + 1 == a.Length)
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
            if (!a[++i].TryInt64(out limit) || limit < 0)
            {
                c.Reply.WriteError("ERR LIMIT can't be negative");
                return;
            }
        }
        if (!TryReadSets(c, 2, (int)numKeys, out var sets)) return;
        var members = IntersectionMembers(sets);
        c.Reply.WriteInteger(limit == 0 ? members.Count() : members.Take((int)Math.Min(limit, int.MaxValue)).Count());
    }

    public static void SScan(CommandContext c)
    {
        var page = CollectionScan.Page<RedisSet>(c, out var set, out ulong next);
        if (page is null) return;
        CollectionScan.WriteHeader(c, next, page.Count);
        foreach (int index in page) c.Reply.WriteBulk(set!.MemberAt(index));
    }

    /// <summary>SINTER, SUNION, SDIFF key…: the result is a set (RESP3 set reply).</summary>
    private static void Combine(CommandContext c, Func<RedisSet?[], RedisSet> operation)
    {
        if (!TryReadSets(c, 1, c.Args.Length - 1, out var sets)) return;
        var result = operation(sets);
        WriteMembers(c, result.Members, result.Count);
    }

    /// <summary>The …STORE variants: the result replaces destination (TTL dropped); an empty one deletes it.</summary>
    private static void CombineStore(CommandContext c, Func<RedisSet?[], RedisSet> operation)
    {
        if (!TryReadSets(c, 2, c.Args.Length - 2, out var sets)) return;
        var result = operation(sets);
        if (result.IsEmpty) c.Keys.Delete(c.Args[1], c.Now);
        else c.Keys.Set(c.Args[1], result, c.Now);
        c.Reply.WriteInteger(result.Count);
    }

    /// <summary>Members of the smallest set found in all the others (none when a key is missing).</summary>
    private static IEnumerable<byte[]> IntersectionMembers(RedisSet?[] sets)
    {
        if (Array.Exists(sets, set => set is null)) return [];
        var bySize = sets.OrderBy(set => set!.Count).ToArray();
        return bySize[0]!.Members.Where(member => bySize.All(set => set!.Contains(member)));
    }

    private static RedisSet Intersection(RedisSet?[] sets) => Collect(IntersectionMembers(sets));

    private static RedisSet Union(RedisSet?[] sets) => Collect(sets.SelectMany(set => set?.Members ?? []));

    /// <summary>Members of the first set found in none of the others.</summary>
    private static RedisSet Difference(RedisSet?[] sets) =>
        Collect((sets[0]?.Members ?? []).Where(member => !sets.Skip(1).Any(set => set?.Contains(member) == true)));

    /// <summary>A new set, encoded as Redis would build it member by member.</summary>
    private static RedisSet Collect(IEnumerable<byte[]> members)
    {
        var result = new RedisSet();
        foreach (var member in members) result.Add(member);
        return result;
    }

    /// <summary>The sets at count arguments from first; a missing key is null (empty). False after WRONGTYPE: every key is checked.</summary>
    private static bool TryReadSets(CommandContext c, int first, int count, out RedisSet?[] sets)
    {
        sets = new RedisSet?[count];
        for (int i = 0; i < count; i++)
            if (!c.TryRead(c.Args[first + i], out sets[i])) return false;
        return true;
    }

    private static void WriteMembers(CommandContext c, IEnumerable<byte[]> members, int count)
    {
        c.Reply.WriteSetHeader(count);
        foreach (var member in members) c.Reply.WriteBulk(member);
    }
}
