namespace OrleansLua.Grains.Keyspace;

/// <summary>Observes writes before they happen: the hook for undo logs (scripts) and write sets (storage).</summary>
public interface IKeyspaceJournal
{
    /// <summary>Called once before a key is changed or removed; <paramref name="before"/> is null if it did not exist.</summary>
    void BeforeWrite(byte[] key, KeyEntry? before);
}

/// <summary>
/// The keys of one hash slot, in memory: binary-safe, with lazy expiry on access and sampled
/// active expiry. Every change goes through here so a journal can record it.
/// </summary>
public sealed class Keyspace
{
    private readonly Dictionary<byte[], KeyEntry> _keys = new(ByteArrayComparer.Instance);
    private readonly List<byte[]> _volatileKeys = [];

    /// <summary>The running script's undo journal, if any.</summary>
    public IKeyspaceJournal? Journal { get; set; }

    /// <summary>
    /// Told of every key about to change, script or not: blocked clients waiting on it and WATCH
    /// versions follow it.
    /// </summary>
    public Action<byte[]>? KeyChanging { get; set; }

    private void Changing(byte[] key, KeyEntry? entry)
    {
        Journal?.BeforeWrite(key, entry);
        KeyChanging?.Invoke(key);
    }

    /// <summary>Keys held, including expired ones not yet reclaimed.</summary>
    public int Count => _keys.Count;
    public int VolatileCount => _volatileKeys.Count;
    public long ExpiredKeys { get; private set; }

    /// <summary>The live entry for a key, deleting it first if it has expired.</summary>
    public KeyEntry? Get(byte[] key, long now)
    {
        if (!_keys.TryGetValue(key, out var entry)) return null;
        if (entry.HasExpiry && entry.ExpireAt <= now)
        {
            Remove(key, entry);
            ExpiredKeys++;
            return null;
        }
        return entry;
    }

    /// <summary>The entry as held, expired or not, without reclaiming it (storage reads the current state).</summary>
    public KeyEntry? Peek(byte[] key) => _keys.GetValueOrDefault(key);

    public bool Exists(byte[] key, long now) => Get(key, now) is not null;

    /// <summary>Stores a value; the key's TTL is cleared unless <paramref name="keepTtl"/>.</summary>
    public void Set(byte[] key, object value, long now, long expireAt = KeyEntry.NoExpiry, bool keepTtl = false)
    {
        var entry = Get(key, now);
        Changing(key, entry);
        if (entry is null)
        {
            entry = new KeyEntry(value);
            _keys[key] = entry;
        }
        else
        {
            entry.Value = value;
            if (keepTtl) expireAt = entry.ExpireAt;
        }
        ApplyExpiry(key, entry, expireAt);
    }

    /// <summary>Replaces the value of a live entry and keeps its TTL (INCR, APPEND, SETRANGE…).</summary>
    public void Update(byte[] key, KeyEntry entry, object value)
    {
        Changing(key, entry);
        entry.Value = value;
    }

    /// <summary>A collection is about to change in place: the journal records it first.</summary>
    public void BeforeMutate(byte[] key, KeyEntry entry) => Changing(key, entry);

    public void SetExpiry(byte[] key, KeyEntry entry, long expireAt)
    {
        Changing(key, entry);
        ApplyExpiry(key, entry, expireAt);
    }

    public bool Delete(byte[] key, long now)
    {
        var entry = Get(key, now);
        if (entry is null) return false;
        Remove(key, entry);
        return true;
    }

    /// <summary>Puts a key back as it was (rollback): null removes it. Not journaled.</summary>
    public void Restore(byte[] key, object? value, long expireAt)
    {
        if (_keys.TryGetValue(key, out var entry))
        {
            if (value is null)
            {
                _keys.Remove(key);
                UntrackVolatile(entry);
                return;
            }
            entry.Value = value;
        }
        else
        {
            if (value is null) return;
            entry = new KeyEntry(value);
            _keys[key] = entry;
        }
        ApplyExpiry(key, entry, expireAt);
    }

    /// <summary>Removes every key (FLUSHALL / FLUSHDB).</summary>
    public int Clear()
    {
        int n = _keys.Count;
        if (Journal is not null || KeyChanging is not null)
            foreach (var (k, e) in _keys) Changing(k, e);
        _keys.Clear();
        _volatileKeys.Clear();
        return n;
    }

    /// <summary>Live keys (expired ones are skipped, not removed, so iteration is safe).</summary>
    public IEnumerable<KeyValuePair<byte[], KeyEntry>> Entries(long now)
    {
        foreach (var pair in _keys)
            if (!pair.Value.HasExpiry || pair.Value.ExpireAt > now) yield return pair;
    }

    public byte[]? RandomKey(long now)
    {
        for (int attempt = 0; attempt < 100 && _keys.Count > 0; attempt++)
        {
            int skip = Random.Shared.Next(_keys.Count);
            var pair = _keys.ElementAt(skip);
            if (Get(pair.Key, now) is not null) return pair.Key;
        }
        return null;
    }

    /// <summary>
    /// Redis-style active expiry: sample keys with a TTL, delete the expired ones, repeat while more
    /// than a quarter of a sample was expired, within a budget of samples.
    /// </summary>
    public int ExpireSample(long now, int maxSamples = 200)
    {
        int deleted = 0, sampled = 0;
        while (_volatileKeys.Count > 0 && sampled < maxSamples)
        {
            int round = Math.Min(20, _volatileKeys.Count), expiredInRound = 0;
            for (int i = 0; i < round && _volatileKeys.Count > 0; i++, sampled++)
            {
                var key = _volatileKeys[Random.Shared.Next(_volatileKeys.Count)];
                var entry = _keys[key];
                if (entry.ExpireAt <= now)
                {
                    Remove(key, entry);
                    ExpiredKeys++;
                    expiredInRound++;
                }
            }
            deleted += expiredInRound;
            if (expiredInRound * 4 <= round) break;
        }
        return deleted;
    }

    private void Remove(byte[] key, KeyEntry entry)
    {
        Changing(key, entry);
        _keys.Remove(key);
        UntrackVolatile(entry);
    }

    private void ApplyExpiry(byte[] key, KeyEntry entry, long expireAt)
    {
        entry.ExpireAt = expireAt;
        if (expireAt == KeyEntry.NoExpiry) UntrackVolatile(entry);
        else if (entry.VolatileIndex < 0)
        {
            entry.VolatileIndex = _volatileKeys.Count;
            _volatileKeys.Add(key);
        }
    }

    private void UntrackVolatile(KeyEntry entry)
    {
        int index = entry.VolatileIndex;
        if (index < 0) return;
        int last = _volatileKeys.Count - 1;
        if (index != last)
        {
            var moved = _volatileKeys[last];
            _volatileKeys[index] = moved;
            _keys[moved].VolatileIndex = index;
        }
        _volatileKeys.RemoveAt(last);
        entry.VolatileIndex = -1;
    }
}
