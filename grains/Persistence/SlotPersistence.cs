using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Grains.Scripting;
using KeyspaceStore = OrleansLua.Grains.Keyspace.Keyspace;

namespace OrleansLua.Grains.Persistence;

/// <summary>
/// One slot's side of storage. Every key a batch changes is marked dirty; a flush loop serializes the
/// dirty keys' current state into one write set and hands it to the silo's <see cref="SlotWriter"/>.
/// While one commit is in flight the next batches' keys gather, so a hot slot commits once per round
/// trip, not once per write (and a hot key is serialized once per commit). With appendfsync always a
/// batch's reply waits until a commit covering its changes (or anything it read that was not yet
/// durable) is durable; with everysec nobody waits and a changed slot commits at the writer's next tick
/// (<see cref="StorageOptions.EverysecFlushDelay"/>), together with every other slot changed meanwhile. Its callers hold the slot's gate (a grain turn, a script, the gateway's fast
/// path); the flush loop takes the gate itself to snapshot the changed keys.
/// </summary>
internal sealed class SlotPersistence(SlotWriter writer, KeyspaceStore keys, SemaphoreSlim gate, Action fenced)
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    private readonly HashSet<byte[]> _dirty = new(ByteArrayComparer.Instance);
    private readonly List<(long Seq, Action<string?> Then)> _afterDurable = [];
    private TaskCompletionSource _advanced = NewSignal();
    private bool _changedInBatch;
    private long _appliedSeq, _durableSeq, _failedSeq;
    private string? _failure;
    private Task? _flushing;
    /// <summary>1 while a flush loop runs or one is scheduled: batches (under the gate) and its end race to start the next one.</summary>
    private int _flushRunning;
    /// <summary>everysec: the next flush waits for the writer's tick (1 until the tick or deactivation takes it).</summary>
    private int _queued;
    private TaskCompletionSource? _scheduled;
    private bool _deactivating;

    public bool Enabled => writer.Enabled;
    public int Slot { get; private set; }
    public long Epoch { get; private set; }
    /// <summary>A newer activation claimed the slot: this one must not serve it any more.</summary>
    public bool Fenced { get; private set; }
    public string FencedError => $"TRYAGAIN slot {Slot} moved to a newer activation; retry";

    /// <summary>Claims the slot and loads its keys (expired ones are dropped, and deleted from storage).</summary>
    public async Task LoadAsync(int slot, CancellationToken cancellation)
    {
        Slot = slot;
        if (!Enabled) return;
        Epoch = await writer.Store!.ClaimAsync(slot, cancellation);
        var stored = await writer.Store.LoadAsync(slot, cancellation);
        long now = UnixTime.NowMilliseconds();
        foreach (var row in stored)
        {
            if (row.ExpireAt != KeyEntry.NoExpiry && row.ExpireAt <= now) _dirty.Add(row.Key);
            else keys.Restore(row.Key, ValueCodec.Deserialize(row.Value), row.ExpireAt);
        }
        EnsureFlushing();
    }

    /// <summary>
    /// A migrated activation: claims the slot (a newer epoch fences the previous activation off) but keeps
    /// the keys it was handed instead of loading them; keys the previous activation could not store yet are
    /// stored from here.
    /// </summary>
    public async Task AdoptAsync(int slot, byte[][] unstored, CancellationToken cancellation)
    {
        Slot = slot;
        if (!Enabled) return;
        Epoch = await writer.Store!.ClaimAsync(slot, cancellation);
        lock (_dirty)
            foreach (var key in unstored) _dirty.Add(key);
        EnsureFlushing();
    }

    /// <summary>Keys changed but not stored yet (after a failed flush), for the slot's next activation.</summary>
    public byte[][] Unstored()
    {
        lock (_dirty) return [.. _dirty];
    }

    /// <summary>Called before every key change, also from a script batch's thread (hence the lock).</summary>
    public void KeyChanged(byte[] key)
    {
        if (!Enabled) return;
        lock (_dirty) _dirty.Add(key);
        _changedInBatch = true;
    }

    /// <summary>
    /// Why the batch must not run: this activation was fenced off, or storage is failing and the
    /// batch writes (reads of loaded data keep working). Null when it may run.
    /// </summary>
    public string? Refusal(ShardBatch batch)
    {
        if (!Enabled) return null;
        if (Fenced) return FencedError;
        return writer.Failure is { } reason && Writes(batch) ? "TRYAGAIN storage unavailable: " + reason : null;
    }

    /// <summary>
    /// Closes a batch: its changes get a sequence number and the flush loop runs. Returns the replies
    /// now, or — appendfsync always — once they are durable (or the storage error instead).
    /// </summary>
    public Task<byte[]> Complete(ShardBatch batch, byte[] replies)
    {
        if (!Enabled) return Task.FromResult(replies);
        long seq = CloseBatch();
        if (!writer.Durable || _durableSeq >= seq) return Task.FromResult(replies);
        // A read of not-yet-durable data waits too, unless storage is failing (reads keep working then).
        if ((_failure is not null || writer.Failure is not null) && !Writes(batch)) return Task.FromResult(replies);
        return WhenDurable(batch, seq, replies);
    }

    /// <summary>appendfsync always: waits until changes up to <paramref name="seq"/> are durable; null, or the error to reply with.</summary>
    public Task<string?> WaitDurableAsync(long seq) =>
        !Enabled || !writer.Durable || _durableSeq >= seq ? Task.FromResult<string?>(null) : WaitAsync(seq);

    /// <summary>Runs <paramref name="then"/> once everything changed so far is durable (null) or failed (the error).</summary>
    public void AfterDurable(Action<string?> then)
    {
        if (!Enabled || !writer.Durable) then(null);
        else lock (_afterDurable) _afterDurable.Add((-1, then));
    }

    /// <summary>Ends a batch (or a background change such as active expiry) on the grain's turn: returns its sequence number.</summary>
    public long CloseBatch()
    {
        if (!Enabled) return 0;
        if (_changedInBatch)
        {
            _appliedSeq++;
            _changedInBatch = false;
        }
        lock (_afterDurable)
            for (int i = _afterDurable.Count - 1; i >= 0 && _afterDurable[i].Seq < 0; i--) _afterDurable[i] = (_appliedSeq, _afterDurable[i].Then);
        EnsureFlushing();
        return _appliedSeq;
    }

    private async Task<byte[]> WhenDurable(ShardBatch batch, long seq, byte[] replies) =>
        await WaitAsync(seq) is { } error ? ErrorReplies(batch, error) : replies;

    private async Task<string?> WaitAsync(long seq)
    {
        while (true)
        {
            if (_durableSeq >= seq) return null;
            if (Fenced) return FencedError;
            if (_failure is not null && _failedSeq >= seq) return _failure;
            await _advanced.Task;
        }
    }

    /// <summary>One error per reply the client expects: EXEC expects one, a plain batch one per command.</summary>
    public static byte[] ErrorReplies(ShardBatch batch, string error)
    {
        var writer = new Protocol.RespWriter((Protocol.RespProtocol)batch.Protocol);
        int replies = batch.Transaction ? 1 : batch.Commands.Length;
        for (int i = 0; i < replies; i++) writer.WriteError(error);
        return writer.ToArray();
    }

    private static bool Writes(ShardBatch batch)
    {
        for (int i = 0; i < batch.Commands.Length; i++)
        {
            var spec = batch.Spec(i, out _);
            if (spec is null) continue;
            if (spec.Flags.HasFlag(CommandFlags.Write)) return true;
            if (spec.RunsScript && !spec.Flags.HasFlag(CommandFlags.ReadOnly)) return true;
        }
        return false;
    }

    private void EnsureFlushing()
    {
        if (DirtyCount == 0 || Fenced || Interlocked.CompareExchange(ref _flushRunning, 1, 0) != 0) return;
        if (writer.Durable || _deactivating)
        {
            _flushing = FlushLoopAsync();
            return;
        }
        var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (_scheduled, _flushing) = (scheduled, scheduled.Task);
        Volatile.Write(ref _queued, 1);
        writer.FlushAtNextTick(this);
    }

    /// <summary>appendfsync always, deactivation: commits round after round until nothing is dirty.</summary>
    private async Task FlushLoopAsync()
    {
        var retryDelay = TimeSpan.FromMilliseconds(100);
        try
        {
            await Task.Yield(); // let the batch that started the loop finish its turn
            while (DirtyCount > 0 && !Fenced)
            {
                if (await FlushRoundAsync())
                {
                    retryDelay = TimeSpan.FromMilliseconds(100);
                    continue;
                }
                if (_deactivating) return;
                await Task.Delay(retryDelay);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
        finally
        {
            Volatile.Write(ref _flushRunning, 0);
        }
        // keys changed between the loop's last look and its end: the batch that changed them saw it running
        if (!_deactivating) EnsureFlushing();
    }

    /// <summary>
    /// everysec, on the writer's tick: this slot's changes for the tick's group commit, with the sequence number
    /// they reach. Null when the tick has nothing to commit for it: deactivation took the flush over, or a
    /// script holds the gate (the slot then waits for the gate and commits by itself).
    /// </summary>
    internal (WriteSet Set, long Seq)? TakeScheduled()
    {
        if (Interlocked.Exchange(ref _queued, 0) == 0) return null;
        if (Fenced)
        {
            EndScheduled();
            return null;
        }
        if (!gate.Wait(0))
        {
            _ = FlushAloneAsync();
            return null;
        }
        try
        {
            return (TakeWriteSet(), _appliedSeq);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The tick's commit of what <see cref="TakeScheduled"/> gave it ended; the slot waits for the next tick.</summary>
    internal void ScheduledCommitted(WriteSet set, long seq, CommitOutcome outcome, string? failure)
    {
        Settle(set, seq, outcome, failure);
        EndScheduled();
    }

    private async Task FlushAloneAsync()
    {
        try
        {
            await FlushRoundAsync();
        }
        finally
        {
            EndScheduled();
        }
    }

    /// <summary>Ends the tick's ownership of the flush. The owner reads its signal first: once the flag is 0 a batch may start the next one.</summary>
    private void EndScheduled()
    {
        var scheduled = _scheduled!;
        Volatile.Write(ref _flushRunning, 0);
        scheduled.SetResult();
        EnsureFlushing();
    }

    /// <summary>Snapshots the changed keys under the gate and commits them: false when storage failed (they stay dirty).</summary>
    private async Task<bool> FlushRoundAsync()
    {
        long seq;
        WriteSet set;
        if (!gate.Wait(0)) await gate.WaitAsync();
        try
        {
            seq = _appliedSeq;
            set = TakeWriteSet();
        }
        finally
        {
            gate.Release();
        }
        try
        {
            return Settle(set, seq, await writer.CommitAsync(set), null);
        }
        catch (StorageUnavailableException ex)
        {
            return Settle(set, seq, CommitOutcome.Committed, ex.Message);
        }
    }

    /// <summary>Records how the commit of <paramref name="set"/> (changes up to <paramref name="seq"/>) ended: false when storage failed.</summary>
    private bool Settle(WriteSet set, long seq, CommitOutcome outcome, string? failure)
    {
        if (failure is not null)
        {
            // Keep the keys dirty: their current state is what the retry will store.
            lock (_dirty)
                foreach (var write in set.Writes) _dirty.Add(write.Key);
            (_failure, _failedSeq) = (failure, seq);
        }
        else if (outcome == CommitOutcome.Fenced)
        {
            Fenced = true;
            fenced();
        }
        else
        {
            _durableSeq = seq;
            _failure = null;
        }
        Signal();
        return failure is null;
    }

    /// <summary>The dirty keys' current state (deleted or expired keys as deletions), clearing the dirty set.</summary>
    private WriteSet TakeWriteSet()
    {
        long now = UnixTime.NowMilliseconds();
        byte[][] dirty;
        lock (_dirty)
        {
            dirty = [.. _dirty];
            _dirty.Clear();
        }
        var writes = new List<KeyWrite>(dirty.Length);
        foreach (var key in dirty)
        {
            var entry = keys.Peek(key);
            writes.Add(entry is null || (entry.HasExpiry && entry.ExpireAt <= now)
                ? new KeyWrite(key, null, KeyEntry.NoExpiry)
                : new KeyWrite(key, ValueCodec.Serialize(entry.Value), entry.ExpireAt));
        }
        return new WriteSet(Slot, Epoch, writes);
    }

    private int DirtyCount
    {
        get { lock (_dirty) return _dirty.Count; }
    }

    /// <summary>Wakes what waits for durability (appendfsync always; with everysec nothing waits).</summary>
    private void Signal()
    {
        if (!writer.Durable) return;
        var advanced = _advanced;
        _advanced = NewSignal();
        advanced.SetResult();
        List<(Action<string?> Then, string? Error)> ready = [];
        lock (_afterDurable)
        {
            int done = 0;
            foreach (var (seq, then) in _afterDurable)
            {
                if (seq < 0) break;
                string? error = _durableSeq >= seq ? null : Fenced ? FencedError : _failure is not null && _failedSeq >= seq ? _failure : "";
                if (error == "") break;
                ready.Add((then, error));
                done++;
            }
            _afterDurable.RemoveRange(0, done);
        }
        foreach (var (then, error) in ready) then(error);
    }

    /// <summary>Deactivation (graceful shutdown included): commits what is dirty before the slot goes.</summary>
    public async Task FlushForDeactivationAsync(CancellationToken cancellation)
    {
        if (!Enabled) return;
        _deactivating = true;
        // A flush waiting for the writer's tick is taken over; a running loop or the tick's commit is waited
        // for (a loop stops retrying now); then one more loop stores what is left dirty (one attempt if storage
        // fails). The flush that ends may start the next one itself, so look again until none runs.
        while (true)
        {
            if (Interlocked.Exchange(ref _queued, 0) == 1)
            {
                var scheduled = _scheduled!;
                Volatile.Write(ref _flushRunning, 0);
                scheduled.SetResult();
            }
            if (_flushing is { IsCompleted: false } running) await running.WaitAsync(cancellation);
            else if (Volatile.Read(ref _flushRunning) == 1) await Task.Yield(); // started, its task not published yet
            else if (DirtyCount == 0 || Fenced) return;
            else
            {
                EnsureFlushing();
                if (_flushing is { } last) await last.WaitAsync(cancellation);
                return;
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
