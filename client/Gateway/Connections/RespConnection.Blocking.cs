using System.IO.Pipelines;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// Blocking commands (BLPOP, BZPOPMIN, XREAD BLOCK…). The connection waits here, not in the grain:
/// the shard grain queues the client and sends the reply through this gateway's observer when a
/// write satisfies it, so a waiting client never stalls its slot.
/// </summary>
public sealed partial class RespConnection
{
    private async Task ExecuteBlockingAsync(CommandSpec spec, byte[][] args)
    {
        if (!BlockingTimeout.TryParse(spec, args, out bool blocks, out var timeout, out var error))
        {
            _out.WriteError(error!);
            return;
        }
        int slot = SlotRouter.SlotOf(spec, args, _keyScratch, out error);
        error ??= _gateway.Router.Redirect(slot);
        if (error is not null)
        {
            _out.WriteError(error);
            return;
        }
        if (!blocks)
        {
            RouteToSlot(spec, args);
            await DrainAsync();
            return;
        }
        var blocked = _gateway.Blocked;
        var (id, served) = blocked.Register();
        var waiter = new BlockedClientObserverKey(blocked.Reference, id);
        var shard = _gateway.Router.Shard(slot);
        _session.Blocked = true;
        try
        {
            var request = new BlockRequest { Waiter = waiter, Command = args, Protocol = (byte)_session.Protocol };
            var reply = await _gateway.Router.Retry.RunAsync(() => shard.Block(request), readOnly: false, "Blocking command");
            if (reply is not null)
            {
                _out.WriteRaw(reply);
                return;
            }
            if (await WaitServedAsync(served, timeout))
            {
                _out.WriteRaw(await served);
                return;
            }
            // Timed out (or the client left): withdraw, unless the grain served us meanwhile. A grain
            // that never knew the waiter (reactivated elsewhere) answers false too: don't wait forever.
            if (await shard.Unblock(waiter)) _out.WriteNullArray();
            else if (await Task.WhenAny(served, Task.Delay(TimeSpan.FromSeconds(30))) == served) _out.WriteRaw(await served);
            else _out.WriteNullArray();
        }
        finally
        {
            _session.Blocked = false;
            blocked.Unregister(id);
        }
    }

    /// <summary>True when served in time; false on timeout or when the client disconnects.</summary>
    private async Task<bool> WaitServedAsync(Task<byte[]> served, TimeSpan? timeout)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_cancellation);
        var delay = Task.Delay(timeout ?? Timeout.InfiniteTimeSpan, stop.Token);
        // Watch the socket meanwhile: a blocked client that disconnects is cleaned up. Data the
        // client sends meanwhile is left for the main loop.
        _pendingRead ??= _reader!.ReadAsync(_cancellation).AsTask();
        Task read = _pendingRead;
        try
        {
            while (true)
            {
                var done = await Task.WhenAny(served, delay, read);
                if (done == served) return true;
                if (done == delay) return false;
                if (_pendingRead.IsFaulted || _pendingRead.IsCanceled || (_pendingRead.Result.IsCompleted && _pendingRead.Result.Buffer.IsEmpty))
                {
                    _session.CloseRequested = true;
                    return false;
                }
                read = served; // data arrived: stop watching the socket, keep waiting
            }
        }
        finally
        {
            stop.Cancel();
        }
    }
}
