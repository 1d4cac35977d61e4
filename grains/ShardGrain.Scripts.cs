using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Persistence;
using OrleansLua.Grains.Scripting;

namespace OrleansLua.Grains;

/// <summary>
/// The slot's exclusion and its scripts. One gate (<see cref="_gate"/>) is held by whatever touches the slot's
/// keys: a batch through Orleans, a batch the co-hosted gateway runs itself (<see cref="TryExecute"/>), a script
/// for its whole run, a blocked client's attempt, WATCH, SCAN, the expiry cycle and persistence's snapshot of
/// changed keys. A script runs on the thread of whoever holds the gate — the gateway's connection on the fast
/// path, a pool thread that the grain awaits on the Orleans path (so the grain stays reachable) — and meanwhile
/// later calls wait for the gate, or answer BUSY once the script has run past busy-reply-threshold, and SCRIPT
/// KILL gets through.
/// </summary>
public sealed partial class ShardGrain : ILocalShard
{
    /// <summary>How often a call waiting behind a script checks whether it has turned BUSY.</summary>
    private static readonly TimeSpan BusyCheck = TimeSpan.FromMilliseconds(50);

    private readonly SemaphoreSlim _gate = new(1, 1);
    /// <summary>While a script batch runs: the Stopwatch timestamp of its start (0: none runs). Read from other threads.</summary>
    private long _scriptStarted;
    /// <summary>The activation is going away: the gateway sends its batches through Orleans (to the next one).</summary>
    private volatile bool _closed;

    /// <summary>
    /// The co-hosted gateway's fast path: the same batch code on the caller's thread, under the gate. A script
    /// whose body this silo already knows runs here too (one that must be fetched or registered goes through
    /// Orleans, which does that asynchronously first).
    /// </summary>
    public bool TryExecute(ShardBatch batch, out Task<byte[]> replies)
    {
        replies = null!;
        if (_closed || Volatile.Read(ref _scriptStarted) != 0) return false;
        bool script = ScriptHost.ContainsScript(batch);
        if (script && _scripts.NeedsPreparation(batch) || !_gate.Wait(0)) return false;
        bool released = true;
        try
        {
            if (_closed) return false;
            if (_persistence.Refusal(batch) is { } refusal) replies = Task.FromResult(SlotPersistence.ErrorReplies(batch, refusal));
            else if (script && !Thread.CurrentThread.IsThreadPoolThread)
            {
                // A socket engine's thread (inline completions) must not run a script that may take seconds:
                // every connection it serves would wait. The gateway moves a read with a script to the pool
                // itself; what still arrives here (a script inside EXEC) runs on the pool, the gate held until it ends.
                released = false;
                replies = RunScriptInPoolAsync(batch);
            }
            else replies = _persistence.Complete(batch, script ? RunScriptBatch(batch) : ExecuteBatch(batch));
        }
        finally
        {
            if (released) _gate.Release();
        }
        EnsureActiveExpiry();
        return true;
    }

    /// <summary>A fast-path script on a pool thread; the caller took the gate, this releases it.</summary>
    private async Task<byte[]> RunScriptInPoolAsync(ShardBatch batch)
    {
        byte[] replies;
        try
        {
            replies = await Task.Run(() => RunScriptBatch(batch));
        }
        finally
        {
            _gate.Release();
        }
        return await _persistence.Complete(batch, replies);
    }

    /// <summary>A batch through Orleans: at once when the gate is free, else after waiting for it (or BUSY).</summary>
    public Task<byte[]> Execute(ShardBatch batch)
    {
        if (_persistence.Refusal(batch) is { } refusal) return Task.FromResult(SlotPersistence.ErrorReplies(batch, refusal));
        if (ScriptHost.ContainsScript(batch) || !_gate.Wait(0)) return ExecuteWhenFreeAsync(batch);
        byte[] replies;
        try
        {
            replies = ExecuteBatch(batch);
        }
        finally
        {
            _gate.Release();
        }
        EnsureActiveExpiry();
        return _persistence.Complete(batch, replies);
    }

    private async Task<byte[]> ExecuteWhenFreeAsync(ShardBatch batch)
    {
        if (_scripts.NeedsPreparation(batch)) await _scripts.PrepareAsync(batch);
        if (!await EnterAsync()) return SlotPersistence.ErrorReplies(batch, ScriptHost.BusyError);
        byte[] replies;
        try
        {
            replies = ScriptHost.ContainsScript(batch) ? await Task.Run(() => RunScriptBatch(batch)) : ExecuteBatch(batch);
        }
        finally
        {
            _gate.Release();
        }
        EnsureActiveExpiry();
        return await _persistence.Complete(batch, replies);
    }

    /// <summary>A batch with a script, marked as running one (BUSY rules, the expiry cycle); the caller holds the gate.</summary>
    private byte[] RunScriptBatch(ShardBatch batch)
    {
        Volatile.Write(ref _scriptStarted, System.Diagnostics.Stopwatch.GetTimestamp());
        try
        {
            return ExecuteBatch(batch);
        }
        finally
        {
            Volatile.Write(ref _scriptStarted, 0);
        }
    }

    /// <summary>
    /// Takes the gate. False when a script holds it and has run past busy-reply-threshold: the caller answers
    /// BUSY instead (the script is reported, so SCRIPT KILL finds it at once).
    /// </summary>
    private async Task<bool> EnterAsync()
    {
        while (!await _gate.WaitAsync(BusyCheck))
        {
            long started = Volatile.Read(ref _scriptStarted);
            if (started == 0) continue;
            var threshold = TimeSpan.FromMilliseconds(_scripts.Settings.BusyReplyThresholdMs);
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) < threshold) continue;
            await _scripts.EnsureBusyReportedAsync(_slot);
            return false;
        }
        return true;
    }

    /// <summary>Runs <paramref name="action"/> under the gate, however long a script holds it (never BUSY).</summary>
    private async Task<T> UnderGateAsync<T>(Func<T> action)
    {
        await _gate.WaitAsync();
        try
        {
            return action();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deactivation: no new fast-path batch enters, and the one running (if any) finishes first.</summary>
    private async Task CloseAsync()
    {
        _closed = true;
        _localShards.Unregister(_slot, this);
        _expiry.Forget(this);
        await _gate.WaitAsync();
        _gate.Release();
    }
}
