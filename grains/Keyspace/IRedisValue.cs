namespace OrleansLua.Grains.Keyspace;

/// <summary>
/// A collection value (hash, list, set, sorted set, stream). Strings are plain immutable
/// <c>byte[]</c>. Collections change in place, so before the first change in a script the undo
/// journal keeps a <see cref="Clone"/>.
/// </summary>
public interface IRedisValue
{
    /// <summary>TYPE's answer: "hash", "list", "set", "zset", "stream".</summary>
    string TypeName { get; }

    /// <summary>OBJECT ENCODING's answer (Redis 7.0 names, e.g. "listpack", "hashtable", "quicklist", "skiplist").</summary>
    string Encoding { get; }

    /// <summary>Redis deletes a collection key when its last element goes.</summary>
    bool IsEmpty { get; }

    /// <summary>An independent copy (for rollback): later changes to either do not affect the other.</summary>
    IRedisValue Clone();
}
