using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Commands;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Grains.Scripting;
using OrleansLua.Protocol;

namespace OrleansLua.Grains;

/// <summary>Whole-slot reads (SCAN, INFO keyspace) and active expiry.</summary>
public sealed partial class ShardGrain
{
    public async Task<ScanPage> Scan(ScanRequest request)
    {
        if (!await EnterAsync()) throw new InvalidOperationException(ScriptHost.BusyError);
        try
        {
            return ScanPage(request);
        }
        finally
        {
            _gate.Release();
        }
    }

    private ScanPage ScanPage(ScanRequest request)
    {
        long now = UnixTime.NowMilliseconds();
        var candidates = new List<(uint Hash, byte[] Key)>();
        foreach (var (key, entry) in _keys.Entries(now))
        {
            uint hash = ScanHash.Of(key);
            if (hash >= request.FromHash) candidates.Add((hash, key));
        }
        candidates.Sort((x, y) => x.Hash.CompareTo(y.Hash));
        int take = Math.Min(Math.Max(request.Count, 1), candidates.Count);
        // Never split keys that share a hash across pages: the next page starts at a hash value.
        while (take < candidates.Count && candidates[take].Hash == candidates[take - 1].Hash) take++;
        uint? next = take < candidates.Count ? candidates[take].Hash : null;
        var keys = new List<byte[]>(take);
        for (int i = 0; i < take; i++)
        {
            var key = candidates[i].Key;
            if (request.Match is not null && !GlobPattern.IsMatch(request.Match, key)) continue;
            if (request.Type is not null && !string.Equals(_keys.Get(key, now)?.TypeName, request.Type, StringComparison.OrdinalIgnoreCase)) continue;
            keys.Add(key);
        }
        _persistence.CloseBatch(); // the type filter may have reclaimed expired keys
        return new ScanPage { Keys = keys.ToArray(), NextHash = next };
    }

    public async Task<SlotStats> Stats()
    {
        if (!await EnterAsync()) throw new InvalidOperationException(ScriptHost.BusyError);
        try
        {
            _keys.ExpireSample(UnixTime.NowMilliseconds());
            _persistence.CloseBatch();
            return new SlotStats { Keys = _keys.Count, Expires = _keys.VolatileCount };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Active expiry runs only while the slot has keys with a TTL.</summary>
    private void EnsureExpiryTimer()
    {
        if (_keys.VolatileCount > 0 && _expiryTimer is null)
        {
            var due = TimeSpan.FromMilliseconds(Random.Shared.Next(100, (int)ExpiryPeriod.TotalMilliseconds));
            _expiryTimer = this.RegisterGrainTimer(ExpireKeys, due, ExpiryPeriod);
        }
    }

    private Task ExpireKeys(CancellationToken cancellation)
    {
        if (!_gate.Wait(0)) return Task.CompletedTask; // a script or a batch holds the slot: next time
        try
        {
            _keys.ExpireSample(UnixTime.NowMilliseconds());
            _persistence.CloseBatch();
        }
        finally
        {
            _gate.Release();
        }
        if (_keys.VolatileCount == 0)
        {
            _expiryTimer?.Dispose();
            _expiryTimer = null;
        }
        return Task.CompletedTask;
    }
}
