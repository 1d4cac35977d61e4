using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// While a crashed silo is being declared dead (seconds), grain calls fail: calls to its grains, and calls to
/// grains whose directory entries it held. Such calls are retried here for up to <see cref="Budget"/> with a
/// small backoff, so those clients see latency instead of errors. A call is retried only when that cannot
/// apply it twice: it was rejected before it ran (not delivered), or it changes nothing (read-only). A write
/// whose target died while it was in flight may or may not have run: it answers <c>-TRYAGAIN</c> at once
/// (retrying it blindly could apply it twice). A call still failing when the budget is spent answers
/// <c>-TRYAGAIN</c> too: it never ran, so the client may send it again.
/// </summary>
public sealed class GrainCallRetry(ILogger? logger = null, TimeSpan? budget = null)
{
    /// <summary>Longer than a dead silo's detection (~1.5 s) plus its slots' re-activation (seconds), with room for a loaded machine.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(20);

    public TimeSpan Budget { get; } = budget ?? DefaultBudget;
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(500);

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private long _retries, _tryAgains, _lastSummary, _summarizedRetries, _summarizedTryAgains;

    /// <summary>Calls retried so far (every attempt after a failure counts).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Calls answered TRYAGAIN so far (writes in flight on a dead silo, calls out of budget).</summary>
    public long TryAgains => Interlocked.Read(ref _tryAgains);

    public enum Failure
    {
        /// <summary>Not a cluster failure (an application error, BUSY, a bug): never retried.</summary>
        Other,
        /// <summary>Rejected before the target ran it (dead silo known, no connection, addressing failed).</summary>
        NotDelivered,
        /// <summary>The target silo died while the call was in flight: it may have run.</summary>
        OutcomeUnknown,
    }

    /// <summary>Runs a call, retrying cluster failures within the budget. <paramref name="readOnly"/> is asked only on failure.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> call, bool readOnly, string what) =>
        RunAsync((Call: call, ReadOnly: readOnly), static s => s.Call(), static s => s.ReadOnly, what);

    /// <summary>
    /// Same, with the call's state passed in (static lambdas: no allocation per call on the hot path).
    /// <paramref name="readOnly"/> is asked only after a failure.
    /// </summary>
    public async Task<T> RunAsync<TState, T>(TState state, Func<TState, Task<T>> call, Func<TState, bool> readOnly, string what)
    {
        long started = 0;
        var delay = FirstDelay;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var result = await call(state);
                if (attempt > 1 && _logger.IsEnabled(LogLevel.Debug))
                    _logger.LogDebug("{What} succeeded after {Attempts} attempts in {Elapsed} ms", what, attempt,
                        (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return result;
            }
            catch (Exception ex) when (Classify(ex) is var failure and not Failure.Other)
            {
                if (attempt == 1) started = Stopwatch.GetTimestamp();
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (failure == Failure.OutcomeUnknown && !readOnly(state))
                {
                    Interlocked.Increment(ref _tryAgains);
                    Summarize(what, failure, ex);
                    throw new TryAgainException("the slot's silo failed while the write was in flight; it may or may not have been applied");
                }
                if (elapsed + delay > Budget)
                {
                    _logger.LogWarning("{What} still failing after {Attempts} attempts in {Elapsed} ms, giving up ({Type}: {Message})",
                        what, attempt, (long)elapsed.TotalMilliseconds, ex.GetType().Name, FirstLine(ex));
                    Interlocked.Increment(ref _tryAgains);
                    throw new TryAgainException($"cluster unavailable for {Budget.TotalSeconds:0} s: {FirstLine(ex)}", ex);
                }
                Interlocked.Increment(ref _retries);
                Summarize(what, failure, ex);
                if (_logger.IsEnabled(LogLevel.Debug))
                    _logger.LogDebug("{What} failed ({Failure}, attempt {Attempt}), retrying in {Delay} ms: {Type}: {Message}",
                        what, failure, attempt, (long)delay.TotalMilliseconds, ex.GetType().Name, FirstLine(ex));
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// A failover fails thousands of calls at once: one line per second says how many were retried or
    /// answered TRYAGAIN, with the latest failure as an example (each one is logged at Debug).
    /// </summary>
    private void Summarize(string what, Failure failure, Exception ex)
    {
        long now = Stopwatch.GetTimestamp(), last = Interlocked.Read(ref _lastSummary);
        if (last != 0 && Stopwatch.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1)) return;
        if (Interlocked.CompareExchange(ref _lastSummary, now, last) != last) return;
        long retries = Retries, tryAgains = TryAgains;
        _logger.LogWarning("Silo failure: {Retries} grain calls retried, {TryAgains} calls answered TRYAGAIN so far (+{NewRetries}/+{NewTryAgains}); latest: {What} {Failure} {Type}: {Message}",
            retries, tryAgains, retries - Interlocked.Exchange(ref _summarizedRetries, retries),
            tryAgains - Interlocked.Exchange(ref _summarizedTryAgains, tryAgains), what, failure, ex.GetType().Name, FirstLine(ex));
    }

    /// <summary>
    /// Orleans 10 fails a call whose target silo is declared dead with SiloUnavailableException "The target
    /// silo became unavailable for message: Request […]->[… target] …" (the request may have run); that
    /// message names the request that failed, which for an addressing failure is a system target (the grain
    /// directory) and not our grain. Every other rejection happens before the target grain runs the call.
    /// A call cancelled by the runtime is treated like one whose silo died.
    /// </summary>
    public static Failure Classify(Exception ex)
    {
        if (ex is AggregateException { InnerExceptions.Count: 1 } aggregate) ex = aggregate.InnerExceptions[0];
        switch (ex)
        {
            case SiloUnavailableException when ex.Message.StartsWith("The target silo became unavailable for message", StringComparison.Ordinal):
                return TargetIsSystem(ex.Message) ? Failure.NotDelivered : Failure.OutcomeUnknown;
            case OrleansMessageRejectionException: // includes SiloUnavailableException ("known to be dead", "shutting down") and GatewayTooBusy
                return Failure.NotDelivered;
            case OrleansException when ex.GetType().Name is "ConnectionFailedException":
                return Failure.NotDelivered;
            // The gateway passes no cancellation token: a call cancelled under it was cut off by the runtime
            // (the distributed directory cancels what depended on a silo that died), and it may have run.
            case OperationCanceledException:
            case UnansweredCallException:
                return Failure.OutcomeUnknown;
            default:
                return Failure.Other;
        }
    }

    /// <summary>True when the failed request ("…]->[S1.2.3.4:5:6 sys.svc.… ]…") was addressed to a system target.</summary>
    private static bool TargetIsSystem(string message)
    {
        int arrow = message.IndexOf("]->[", StringComparison.Ordinal);
        if (arrow < 0) return false;
        int end = message.IndexOf(']', arrow + 4);
        var target = end < 0 ? message.AsSpan(arrow + 4) : message.AsSpan(arrow + 4, end - arrow - 4);
        int space = target.LastIndexOf(' ');
        return target[(space + 1)..].StartsWith("sys.", StringComparison.Ordinal);
    }

    /// <summary>True when every command of the batch only reads (a keyless script's worker batch touches no key).</summary>
    public static bool IsReadOnly(int slot, ShardBatch batch)
    {
        if (slot < 0) return true;
        foreach (var command in batch.Commands)
        {
            var spec = CommandTable.Resolve(command, out _);
            if (spec is null || !spec.Has(CommandFlags.ReadOnly) || spec.Has(CommandFlags.Write)) return false;
        }
        return true;
    }

    private static string FirstLine(Exception ex)
    {
        var message = ex.Message;
        int newline = message.IndexOf('\n');
        return newline < 0 ? message : message[..newline];
    }
}

/// <summary>A call that got no answer within its bound: its silo died under it, and it may have run.</summary>
public sealed class UnansweredCallException(string message) : Exception(message);

/// <summary>Becomes the client's <c>-TRYAGAIN …</c> reply (Redis Cluster's "retry this yourself").</summary>
public sealed class TryAgainException(string reason, Exception? inner = null) : Exception("TRYAGAIN " + reason, inner);
