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

    /// <summary>Versions and watcher counts, for the slot's next activation (migration): a WATCH across a move stays valid.</summary>
    public WatchedKeysSnapshot Snapshot() => new(_counter, _keys.Select(k => new WatchedVersion(k.Key, k.Value.Version, k.Value.Watchers)).ToArray());

    public void Restore(WatchedKeysSnapshot snapshot)
    {
        _counter = Math.Max(_counter, snapshot.Counter);
        foreach (var key in snapshot.Keys) _keys[key.Key] = (key.Version, key.Watchers);
    }

    public bool Unchanged(WatchedKey[] watches)
    {
        foreach (var watch in watches)
            if (!_keys.TryGetValue(watch.Key, out var known) || known.Version != watch.Version) return false;
        return true;
    }
}

[GenerateSerializer, Immutable]
public sealed record WatchedVersion([property: Id(0)] byte[] Key, [property: Id(1)] long Version, [property: Id(2)] int Watchers);

[GenerateSerializer, Immutable]
public sealed record WatchedKeysSnapshot([property: Id(0)] long Counter, [property: Id(1)] WatchedVersion[] Keys);
