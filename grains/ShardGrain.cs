using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Placement;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Blocking;
using OrleansLua.Grains.Commands;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Grains.Scripting;
using OrleansLua.Protocol;
using KeyspaceStore = OrleansLua.Grains.Keyspace.Keyspace;

namespace OrleansLua.Grains;

/// <summary>
/// One hash slot's keys. A batch of commands runs start to end with nothing interleaved: plain
/// batches run synchronously in one grain turn; a batch with a script runs on a pool thread while
/// the grain awaits it, so the grain stays reachable — later calls wait for the script, or answer
/// BUSY once it has run past busy-reply-threshold, and SCRIPT KILL reaches it. The grain is
/// reentrant only for that reason: nothing touches the keyspace while a script batch runs.
/// Hash-based placement spreads the 16384 slots evenly over silos; KeepAlive keeps an idle slot's
/// in-memory keys from being collected.
/// </summary>
[Reentrant]
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
    private readonly SlotWaiters _waiters = new();
    private readonly WatchedKeys _watched = new();
    private readonly List<int> _keyIndexes = [];
    private IGrainTimer? _expiryTimer;
    private int _slot;
    /// <summary>Set while a script batch runs off the grain turn.</summary>
    private long? _scriptStarted;
    private TaskCompletionSource? _scriptDone;

    public ShardGrain(ILogger<ShardGrain> logger, ScriptHost scripts)
    {
        _logger = logger;
        _scripts = scripts;
        _context = new CommandContext(_keys, _writer);
        _keys.KeyChanging = key =>
        {
            _waiters.KeyChanging(key);
            _watched.KeyChanging(key);
        };
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _slot = (int)this.GetPrimaryKeyLong();
        return Task.CompletedTask;
    }

    public Task<byte[]> Execute(ShardBatch batch)
    {
        // Fast path: no script running, nothing to fetch, no script in the batch.
        if (_scriptStarted is null && !ScriptHost.ContainsScript(batch.Commands)) return Task.FromResult(ExecuteInTurn(batch));
        return ExecuteAroundScriptsAsync(batch);
    }

    private byte[] ExecuteInTurn(ShardBatch batch)
    {
        var replies = ExecuteBatch(batch);
        EnsureExpiryTimer();
        return replies;
    }

    private async Task<byte[]> ExecuteAroundScriptsAsync(ShardBatch batch)
    {
        if (_scripts.NeedsPreparation(batch.Commands)) await _scripts.PrepareAsync(batch.Commands);
        if (await WaitForScriptAsync()) return BusyReplies(batch);
        if (!ScriptHost.ContainsScript(batch.Commands)) return ExecuteInTurn(batch);
        _scriptStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        _scriptDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            return await Task.Run(() => ExecuteBatch(batch));
        }
        finally
        {
            _scriptStarted = null;
            _scriptDone.TrySetResult();
            EnsureExpiryTimer();
        }
    }

    /// <summary>
    /// Waits while a script batch runs. True when the script has run past busy-reply-threshold:
    /// the caller must answer BUSY instead of running.
    /// </summary>
    private async Task<bool> WaitForScriptAsync()
    {
        while (_scriptStarted is { } started)
        {
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            var threshold = TimeSpan.FromMilliseconds(_scripts.Settings.BusyReplyThresholdMs);
            if (elapsed >= threshold)
            {
                await _scripts.EnsureBusyReportedAsync(_slot);
                return true;
            }
            await Task.WhenAny(_scriptDone!.Task, Task.Delay(threshold - elapsed));
        }
        return false;
    }

    private static byte[] BusyReplies(ShardBatch batch)
    {
        var writer = new RespWriter((RespProtocol)batch.Protocol);
        foreach (var _ in batch.Commands) writer.WriteError(ScriptHost.BusyError);
        return writer.ToArray();
    }

    public Task<bool> KillScript() => Task.FromResult(_scripts.Kill(_slot));

    public Task ApplySiloState(SiloState state)
    {
        _scripts.Apply(state);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs the batch's commands in order (a transaction as one array reply, or a null array when a
    /// watched key changed), then serves blocked clients whose keys it wrote. Touches only the slot's
    /// state, so it may run off the grain turn (script batches).
    /// </summary>
    private byte[] ExecuteBatch(ShardBatch batch)
    {
        _writer.Reset();
        _writer.Protocol = (RespProtocol)batch.Protocol;
        _context.Reply = _writer;
        if (batch.Transaction)
        {
            if (batch.Watches is { Length: > 0 } watches && !_watched.Unchanged(watches))
            {
                _writer.WriteNullArray();
                return _writer.ToArray();
            }
            _writer.WriteArrayHeader(batch.Commands.Length);
        }
        foreach (var args in batch.Commands)
        {
            _context.Args = args;
            _context.Now = UnixTime.NowMilliseconds();
            ExecuteOne(_context);
        }
        var replies = _writer.ToArray();
        ServeWaiters();
        return replies;
    }

    public async Task<byte[]?> Block(BlockRequest request)
    {
        if (await WaitForScriptAsync())
        {
            var busy = new RespWriter((RespProtocol)request.Protocol, 96);
            busy.WriteError(ScriptHost.BusyError);
            return busy.ToArray();
        }
        var reply = TryServe(request);
        ServeWaiters(); // BLMOVE may have fed another waiter
        EnsureExpiryTimer();
        if (reply is not null) return reply;
        var command = BlockingCommands.PinForWaiting(_context, request.Command);
        var spec = CommandTable.Find(command[0])!;
        _keyIndexes.Clear();
        spec.Keys.Collect(command, _keyIndexes);
        _waiters.Add(new BlockRequest { Waiter = request.Waiter, Command = command, Protocol = request.Protocol },
            _keyIndexes.Select(i => command[i]).ToArray());
        return null;
    }

    public async Task<bool> Unblock(BlockedClientObserverKey waiter)
    {
        await WaitUntilNoScriptAsync();
        return _waiters.Remove(waiter);
    }

    public async Task<long[]> Watch(byte[][] keys)
    {
        await WaitUntilNoScriptAsync();
        return _watched.Watch(keys);
    }

    public async Task Unwatch(byte[][] keys)
    {
        await WaitUntilNoScriptAsync();
        _watched.Unwatch(keys);
    }

    /// <summary>Runs a blocked client's command: its reply, or null when it would still block.</summary>
    private byte[]? TryServe(BlockRequest request)
    {
        var writer = new RespWriter((RespProtocol)request.Protocol, 64);
        var (previousReply, previousArgs) = (_context.Reply, _context.Args);
        _context.Reply = writer;
        _context.Args = request.Command;
        _context.Now = UnixTime.NowMilliseconds();
        ExecuteOne(_context);
        (_context.Reply, _context.Args) = (previousReply, previousArgs);
        var reply = writer.WrittenSpan;
        return reply.SequenceEqual("*-1\r\n"u8) || reply.SequenceEqual("_\r\n"u8) ? null : writer.ToArray();
    }

    private void ServeWaiters()
    {
        if (!_waiters.HasReady) return;
        foreach (var (request, reply) in _waiters.ServeReady(TryServe))
            request.Waiter.Observer.Served(request.Waiter.WaiterId, reply);
    }

    /// <summary>Waits (without answering BUSY) until no script batch runs: for calls that touch slot state.</summary>
    private async Task WaitUntilNoScriptAsync()
    {
        while (_scriptDone is { } done && _scriptStarted is not null) await done.Task;
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

    public async Task<ScanPage> Scan(ScanRequest request)
    {
        if (await WaitForScriptAsync()) throw new InvalidOperationException(ScriptHost.BusyError);
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
        return new ScanPage { Keys = keys.ToArray(), NextHash = next };
    }

    public async Task<SlotStats> Stats()
    {
        if (await WaitForScriptAsync()) throw new InvalidOperationException(ScriptHost.BusyError);
        _keys.ExpireSample(UnixTime.NowMilliseconds());
        return new SlotStats { Keys = _keys.Count, Expires = _keys.VolatileCount };
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
        if (_scriptStarted is not null) return Task.CompletedTask; // the keyspace belongs to the running script
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
