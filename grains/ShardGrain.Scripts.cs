using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Commands;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Grains.Persistence;
using OrleansLua.Grains.Scripting;
using OrleansLua.Protocol;

namespace OrleansLua.Grains;

/// <summary>
/// Script batches run on a pool thread while the grain awaits them, so the grain stays reachable:
/// later calls wait, or answer BUSY past busy-reply-threshold, and SCRIPT KILL gets through.
/// </summary>
public sealed partial class ShardGrain
{
    private async Task<byte[]> ExecuteAroundScriptsAsync(ShardBatch batch)
    {
        if (_scripts.NeedsPreparation(batch.Commands)) await _scripts.PrepareAsync(batch.Commands);
        if (await WaitForScriptAsync()) return SlotPersistence.ErrorReplies(batch, ScriptHost.BusyError);
        if (!ScriptHost.ContainsScript(batch.Commands)) return await _persistence.Complete(batch, ExecuteInTurn(batch));
        _scriptStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        _scriptDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        byte[] replies;
        try
        {
            replies = await Task.Run(() => ExecuteBatch(batch));
        }
        finally
        {
            _scriptStarted = null;
            _scriptDone.TrySetResult();
            EnsureExpiryTimer();
        }
        return await _persistence.Complete(batch, replies);
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
            var wait = threshold - elapsed;
            await Task.WhenAny(_scriptDone!.Task, Task.Delay(wait < TimeSpan.FromHours(1) ? wait : TimeSpan.FromHours(1)));
        }
        return false;
    }

    /// <summary>Waits (without answering BUSY) until no script batch runs: for calls that touch slot state.</summary>
    private async Task WaitUntilNoScriptAsync()
    {
        while (_scriptDone is { } done && _scriptStarted is not null) await done.Task;
    }
}
