namespace OrleansLua.Grains.Keyspace;

/// <summary>One key's value and expiry. Strings are immutable <c>byte[]</c>; a write replaces them.</summary>
public sealed class KeyEntry(object value)
{
    public const long NoExpiry = -1;

    public object Value { get; set; } = value;
    /// <summary>Unix time in milliseconds, or <see cref="NoExpiry"/>.</summary>
    public long ExpireAt { get; set; } = NoExpiry;
    /// <summary>Position in the keyspace's list of keys with a TTL (for sampling), or -1.</summary>
    internal int VolatileIndex { get; set; } = -1;

    public bool HasExpiry => ExpireAt != NoExpiry;

    public string TypeName => Value switch
    {
        byte[] => "string",
        IRedisValue collection => collection.TypeName,
        _ => "none",
    };
}
