using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Blocking;

/// <summary>
/// WATCH support: a version per watched key, bumped on every write (and expiry or deletion) of it.
/// Versions start from the clock so a re-activated grain never reuses an old one.
/// </summary>
internal sealed class WatchedKeys
{
    private readonly Dictionary<byte[], (long Version, int Watchers)> _keys = new(ByteArrayComparer.Instance);
    private long _counter = DateTime.UtcNow.Ticks;

    public long[] Watch(byte[][] keys)
    {
        var versions = new long[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            var (version, watchers) = _keys.TryGetValue(keys[i], out var known) ? known : (++_counter, 0);
            _keys[keys[i]] = (version, watchers + 1);
            versions[i] = version;
        }
        return versions;
    }

    public void Unwatch(byte[][] keys)
    {
        foreach (var key in keys)
        {
            if (!_keys.TryGetValue(key, out var known)) continue;
            if (known.Watchers <= 1) _keys.Remove(key);
            else _keys[key] = (known.Version, known.Watchers - 1);
        }
    }

    /// <summary>Keyspace hook: a key is about to change.</summary>
    public void KeyChanging(byte[] key)
    {
        if (_keys.TryGetValue(key, out var known)) _keys[key] = (++_counter, known.Watchers);
    }

    public bool Unchanged(WatchedKey[] watches)
    {
        foreach (var watch in watches)
            if (!_keys.TryGetValue(watch.Key, out var known) || known.Version != watch.Version) return false;
        return true;
    }
}
