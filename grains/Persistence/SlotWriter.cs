using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces.Diagnostics;

namespace OrleansLua.Grains.Persistence;

/// <summary>How a write set's commit ended for its slot.</summary>
public enum CommitOutcome
{
    Committed,
    /// <summary>A newer activation claimed the slot: this one is stale and must stop serving it.</summary>
    Fenced,
}

/// <summary>
/// The silo's single storage writer: slots hand it write sets, and it commits whatever has queued up
/// since the last commit in one transaction (group commit) — many slots, one round trip, one fsync.
/// Tracks whether storage is healthy so slots can refuse writes while it is not.
/// </summary>
public sealed class SlotWriter : IAsyncDisposable
{
    /// <summary>Write sets that commit together; completes with the slots that were fenced off.</summary>
    private readonly record struct Pending(IReadOnlyList<WriteSet> Sets, TaskCompletionSource<IReadOnlySet<int>> Done);

    private static readonly IReadOnlySet<int> NoneFenced = new HashSet<int>();

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger<SlotWriter> _logger;
    private readonly OrleansLuaTelemetry? _telemetry;
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);
    private Task? _loop;
    private Timer? _reports;
    private Timer? _ticks;
    /// <summary>everysec: slots with changes, flushed together at the next tick.</summary>
    private readonly ConcurrentQueue<SlotPersistence> _nextTick = new();
    private volatile string? _failure;

    public SlotWriter(StorageOptions options, ISlotStore? store, ILogger<SlotWriter> logger, OrleansLuaTelemetry? telemetry = null)
    {
        Options = options;
        Store = store;
        _logger = logger;
        _telemetry = telemetry;
        if (store is not null) telemetry?.ObserveStorage(() => Stats.Failures);
    }

    public StorageOptions Options { get; }
    /// <summary>Null with memory storage: nothing persists.</summary>
    public ISlotStore? Store { get; }
    public bool Enabled => Store is not null;
    public bool Durable => Options.AppendFsync == AppendFsync.Always;

    /// <summary>
    /// Why the last commit failed, for <see cref="RefuseWritesFor"/> after it; then null again, so the
    /// next write probes storage (a database that came back, a disk with room again) by itself.
    /// </summary>
    public string? Failure => _failure is { } failure && Stopwatch.GetElapsedTime(Interlocked.Read(ref _failedAt)) < RefuseWritesFor ? failure : null;

    private static readonly TimeSpan RefuseWritesFor = TimeSpan.FromSeconds(1);
    private long _failedAt;

    public CommitStats Stats { get; } = new();

    public async Task StartAsync(CancellationToken cancellation)
    {
        if (Store is null) return;
        await Store.InitializeAsync(cancellation);
        _loop = Task.Run(WriteLoopAsync, CancellationToken.None);
        var last = Stats.Snapshot();
        _reports = new Timer(_ => last = Report(last), null, ReportInterval, ReportInterval);
        if (!Durable) _ticks = new Timer(_ => Tick(), null, Options.EverysecFlushDelay, Options.EverysecFlushDelay);
    }

    /// <summary>
    /// everysec: one silo-wide clock instead of a timer per slot, so every slot changed in an interval
    /// commits in the same group commits (a page of the store is written once per tick, not once per slot).
    /// </summary>
    internal void FlushAtNextTick(SlotPersistence slot) => _nextTick.Enqueue(slot);

    private void Tick()
    {
        var taken = new List<(SlotPersistence Slot, WriteSet Set, long Seq)>();
        try
        {
            for (int due = _nextTick.Count; due > 0 && _nextTick.TryDequeue(out var slot); due--)
                if (slot.TakeScheduled() is var (set, seq)) taken.Add((slot, set, seq));
        }
        catch (Exception ex)
        {
            // A timer callback that throws ends the process: log it, commit what was taken, keep ticking.
            _logger.LogError(ex, "everysec tick failed");
        }
        if (taken.Count > 0) _ = CommitTickAsync(taken);
    }

    private async Task CommitTickAsync(List<(SlotPersistence Slot, WriteSet Set, long Seq)> taken)
    {
        IReadOnlySet<int> fenced = NoneFenced;
        string? failure = null;
        try
        {
            fenced = await Enqueue(taken.ConvertAll(t => t.Set));
        }
        catch (StorageUnavailableException ex)
        {
            failure = ex.Message;
        }
        foreach (var (slot, set, seq) in taken)
            slot.ScheduledCommitted(set, seq, fenced.Contains(set.Slot) ? CommitOutcome.Fenced : CommitOutcome.Committed, failure);
    }

    /// <summary>Logs the group commits of the last interval (the benchmarks read batch sizes from here).</summary>
    private CommitStats.Totals Report(CommitStats.Totals last)
    {
        var now = Stats.Snapshot();
        long commits = now.Commits - last.Commits;
        if (commits > 0)
            _logger.LogInformation(
                "Storage: {Commits} commits, {WriteSets} write sets ({PerCommit:F1} per commit, largest {Max}), {Keys} keys, {Latency:F2} ms per commit, {Failures} failures",
                commits, now.WriteSets - last.WriteSets, (now.WriteSets - last.WriteSets) / (double)commits, Stats.TakeMaxBatch(),
                now.Keys - last.Keys, (now.CommitTime - last.CommitTime).TotalMilliseconds / commits, now.Failures - last.Failures);
        return now;
    }

    /// <summary>Queues a slot's write set; completes when it is committed (or fenced), or throws <see cref="StorageUnavailableException"/>.</summary>
    public async Task<CommitOutcome> CommitAsync(WriteSet set) =>
        (await Enqueue([set])).Contains(set.Slot) ? CommitOutcome.Fenced : CommitOutcome.Committed;

    private Task<IReadOnlySet<int>> Enqueue(IReadOnlyList<WriteSet> sets)
    {
        var done = new TaskCompletionSource<IReadOnlySet<int>>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(sets, done)))
            done.SetException(new StorageUnavailableException("the silo is shutting down"));
        return done.Task;
    }

    /// <summary>
    /// Takes what has queued up as one group commit; up to the store's <see cref="ISlotStore.MaxConcurrentCommits"/>
    /// run at once, so one slow commit (a slot's row locked by a claim, say) does not hold up the others.
    /// A slot has at most one write set in flight, so its commits stay in order.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        int lanes = Store!.MaxConcurrentCommits;
        using var free = new SemaphoreSlim(lanes, lanes);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            await free.WaitAsync();
            var batch = new List<Pending>();
            for (int sets = 0; sets < Options.MaxWriteSetsPerCommit && reader.TryRead(out var pending); sets += pending.Sets.Count) batch.Add(pending);
            if (batch.Count == 0)
            {
                free.Release();
                continue;
            }
            _ = CommitBatchAsync(batch).ContinueWith(_ => free.Release(), TaskScheduler.Default);
        }
        for (int i = 0; i < lanes; i++) await free.WaitAsync(); // the last commits have ended
    }

    private async Task CommitBatchAsync(List<Pending> batch)
    {
        var sets = batch.SelectMany(p => p.Sets).ToList();
        long started = Stopwatch.GetTimestamp();
        try
        {
            var fenced = await Store!.CommitAsync(sets, Durable, CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started);
            Stats.Record(sets, elapsed);
            _telemetry?.CommitDuration.Record(elapsed.TotalMilliseconds);
            _telemetry?.CommitWriteSets.Record(sets.Count);
            if (_failure is not null) _logger.LogWarning("Storage is writable again");
            _failure = null;
            foreach (var p in batch) p.Done.TrySetResult(fenced);
        }
        catch (Exception ex)
        {
            var failure = ex as StorageUnavailableException ?? new StorageUnavailableException(Describe(ex), ex);
            if (_failure is null) _logger.LogError(ex, "Storage commit failed: {Reason}", failure.Reason);
            _failure = failure.Reason;
            Interlocked.Exchange(ref _failedAt, Stopwatch.GetTimestamp());
            Stats.RecordFailure();
            foreach (var p in batch) p.Done.TrySetException(failure);
        }
    }

    /// <summary>A short reason for clients: the exception's first line, never a connection string.</summary>
    public static string Describe(Exception ex)
    {
        var message = ex.GetBaseException().Message.Split('\n')[0].Trim();
        return message.Length > 160 ? message[..160] + "…" : message;
    }

    /// <summary>Commits what is queued, then stops (graceful shutdown, after the slots have flushed).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_ticks is not null) await _ticks.DisposeAsync();
        if (_reports is not null) await _reports.DisposeAsync();
        if (_loop is not null) await _loop;
        if (Store is not null) await Store.DisposeAsync();
    }
}

/// <summary>Group-commit counters for INFO persistence and the benchmarks.</summary>
public sealed class CommitStats
{
    private long _commits, _writeSets, _keys, _failures, _maxBatch, _commitTicks;

    public long Commits => Interlocked.Read(ref _commits);
    public long WriteSets => Interlocked.Read(ref _writeSets);
    public long Keys => Interlocked.Read(ref _keys);
    public long Failures => Interlocked.Read(ref _failures);
    /// <summary>The largest group commit since the last call (write sets).</summary>
    public long TakeMaxBatch() => Interlocked.Exchange(ref _maxBatch, 0);
    public TimeSpan CommitTime => TimeSpan.FromTicks(Interlocked.Read(ref _commitTicks));

    internal void Record(List<WriteSet> sets, TimeSpan elapsed)
    {
        long keys = 0;
        foreach (var s in sets) keys += s.Writes.Count;
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _writeSets, sets.Count);
        Interlocked.Add(ref _keys, keys);
        Interlocked.Add(ref _commitTicks, elapsed.Ticks);
        long max;
        while (sets.Count > (max = Interlocked.Read(ref _maxBatch)) && Interlocked.CompareExchange(ref _maxBatch, sets.Count, max) != max) { }
    }

    internal void RecordFailure() => Interlocked.Increment(ref _failures);

    public readonly record struct Totals(long Commits, long WriteSets, long Keys, long Failures, TimeSpan CommitTime);

    public Totals Snapshot() => new(Commits, WriteSets, Keys, Failures, CommitTime);
}
