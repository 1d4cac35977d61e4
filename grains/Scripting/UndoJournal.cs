using OrleansLua.Grains.Keyspace;
using KeyspaceStore = OrleansLua.Grains.Keyspace.Keyspace;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// Remembers each key's state before a script first changes it, so a failed script can be rolled
/// back to exactly the keyspace it started with. String values are immutable, so keeping the
/// reference is a snapshot; collections change in place, so they are cloned.
/// </summary>
internal sealed class UndoJournal : IKeyspaceJournal
{
    private readonly Dictionary<byte[], (bool Existed, object? Value, long ExpireAt)> _before = new(ByteArrayComparer.Instance);

    public int Count => _before.Count;

    public void BeforeWrite(byte[] key, KeyEntry? before)
    {
        if (_before.ContainsKey(key)) return;
        _before[key] = before is null
            ? (false, null, KeyEntry.NoExpiry)
            : (true, before.Value is IRedisValue collection ? collection.Clone() : before.Value, before.ExpireAt);
    }

    public void Rollback(KeyspaceStore keys)
    {
        keys.Journal = null;
        foreach (var (key, (existed, value, expireAt)) in _before)
            keys.Restore(key, existed ? value : null, expireAt);
        _before.Clear();
    }
}
