using Microsoft.Extensions.Logging;
using Orleans.Placement;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Commands;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Grains.Scripting;
using OrleansLua.Protocol;
using KeyspaceStore = OrleansLua.Grains.Keyspace.Keyspace;

namespace OrleansLua.Grains;

/// <summary>
/// One hash slot's keys. Non-reentrant, so a batch of commands runs start to end with nothing
/// interleaved. Hash-based placement spreads the 16384 slots evenly over silos; KeepAlive keeps
/// an idle slot's in-memory keys from being collected.
/// </summary>
[KeepAlive]
[HashBasedPlacement]
[GrainType(ShardGrainType.Name)]
public sealed class ShardGrain : Grain, IShardGrain
{
    private static readonly TimeSpan ExpiryPeriod = TimeSpan.FromMilliseconds(1000);

    private readonly KeyspaceStore _keys = new();
    private readonly RespWriter _writer = new(RespProtocol.Resp2, 1024);
    private readonly CommandContext _context;
    private readonly ILogger<ShardGrain> _logger;
    private readonly ScriptHost _scripts;
    private IGrainTimer? _expiryTimer;
    private int _slot;

    public ShardGrain(ILogger<ShardGrain> logger, ScriptHost scripts)
    {
        _logger = logger;
        _scripts = scripts;
        _context = new CommandContext(_keys, _writer);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _slot = (int)this.GetPrimaryKeyLong();
        return Task.CompletedTask;
    }

    public Task<byte[]> Execute(ShardBatch batch) =>
        _scripts.NeedsPreparation(batch.Commands) ? ExecuteAfterPreparing(batch) : Task.FromResult(ExecuteBatch(batch));

    private async Task<byte[]> ExecuteAfterPreparing(ShardBatch batch)
    {
        await _scripts.PrepareAsync(batch.Commands);
        return ExecuteBatch(batch);
    }

    private byte[] ExecuteBatch(ShardBatch batch)
    {
        _writer.Reset();
        _writer.Protocol = (RespProtocol)batch.Protocol;
        _context.Reply = _writer;
        foreach (var args in batch.Commands)
        {
            _context.Args = args;
            _context.Now = UnixTime.NowMilliseconds();
            ExecuteOne(_context);
        }
        EnsureExpiryTimer();
        return _writer.ToArray();
    }

    private void ExecuteOne(CommandContext context)
    {
        var spec = CommandTable.Resolve(context.Args, out var error);
        if (spec is null)
        {
            context.Reply.WriteError(error!);
            return;
        }
        if (ScriptHost.IsScriptCommand(spec))
        {
            _scripts.Run(context, spec, _slot, context.Reply);
            return;
        }
        var handler = CommandHandlers.For(spec);
        if (handler is null)
        {
            context.Reply.WriteError($"ERR '{spec.Name}' cannot run inside a shard");
            return;
        }
        try
        {
            handler(context);
        }
        catch (Exception ex) when (ex is OutOfMemoryException or OverflowException or ArgumentException)
        {
            _logger.LogError(ex, "Command {Command} failed in slot {Slot}", spec.Name, this.GetPrimaryKeyLong());
            context.Reply.WriteError("ERR " + ex.Message);
        }
    }

    public Task<ScanPage> Scan(ScanRequest request)
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
        return Task.FromResult(new ScanPage { Keys = keys.ToArray(), NextHash = next });
    }

    public Task FlushScripts(long epoch)
    {
        _scripts.Flush(epoch);
        return Task.CompletedTask;
    }

    public Task<SlotStats> Stats()
    {
        _keys.ExpireSample(UnixTime.NowMilliseconds());
        return Task.FromResult(new SlotStats { Keys = _keys.Count, Expires = _keys.VolatileCount });
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
        _keys.ExpireSample(UnixTime.NowMilliseconds());
        if (_keys.VolatileCount == 0)
        {
            _expiryTimer?.Dispose();
            _expiryTimer = null;
        }
        return Task.CompletedTask;
    }
}

public static class UnixTime
{
    public static long NowMilliseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}

/// <summary>A stable 32-bit hash (FNV-1a) that orders a slot's keys for SCAN cursors.</summary>
public static class ScanHash
{
    public static uint Of(ReadOnlySpan<byte> key)
    {
        uint hash = 2166136261;
        foreach (byte b in key) hash = (hash ^ b) * 16777619;
        return hash;
    }
}
