using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Commands;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Grains.Scripting;
using OrleansLua.Protocol;

namespace OrleansLua.Grains;

/// <summary>Whole-slot reads (SCAN, INFO keyspace) and active expiry.</summary>
public sealed partial class ShardGrain : ActiveExpiry.ISlot
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

    /// <summary>The silo's expiry cycle visits the slot while it has keys with a TTL; the caller has just released the gate.</summary>
    private void EnsureActiveExpiry()
    {
        if (_keys.VolatileCount == 0 || Volatile.Read(ref _inExpiryCycle) || _closed) return;
        Volatile.Write(ref _inExpiryCycle, true);
        _expiry.Watch(this);
    }

    private bool _inExpiryCycle;

    bool ActiveExpiry.ISlot.ExpireCycle()
    {
        if (_closed) return false;
        if (!_gate.Wait(0)) return true; // a script or a batch holds the slot: next time
        try
        {
            _keys.ExpireSample(UnixTime.NowMilliseconds());
            _persistence.CloseBatch();
            // decided under the gate: a batch that adds a TTL after this sees the flag down and watches again
            if (_keys.VolatileCount > 0) return true;
            Volatile.Write(ref _inExpiryCycle, false);
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }
}
