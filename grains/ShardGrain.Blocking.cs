using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Grains.Commands;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Grains.Scripting;
using OrleansLua.Protocol;

namespace OrleansLua.Grains;

/// <summary>Blocked clients (BLPOP, BZPOPMIN, XREAD BLOCK…) and WATCHed keys of this slot.</summary>
public sealed partial class ShardGrain
{
    public async Task<byte[]?> Block(BlockRequest request)
    {
        if (_persistence.Refusal(new ShardBatch { Commands = [request.Command] }) is { } refusal) return ErrorReply(request.Protocol, refusal);
        if (!await EnterAsync()) return ErrorReply(request.Protocol, ScriptHost.BusyError);
        long seq;
        byte[]? reply;
        try
        {
            (reply, seq) = BlockOrServe(request);
        }
        finally
        {
            _gate.Release();
        }
        EnsureActiveExpiry();
        if (reply is null || await _persistence.WaitDurableAsync(seq) is not { } error) return reply;
        return ErrorReply(request.Protocol, error);
    }

    /// <summary>Serves the request now (its reply), or queues it (null); the caller holds the gate.</summary>
    private (byte[]? Reply, long Seq) BlockOrServe(BlockRequest request)
    {
        long started = CommandMeter.Start();
        var reply = TryServe(request);
        // counted once, for the attempt the client made (a later serve completes the same call)
        _meter.Ran(CommandTable.Find(request.Command[0])!, started, reply is [(byte)'-', ..], request.Command, null, null);
        ServeWaiters(); // BLMOVE may have fed another waiter
        long seq = _persistence.CloseBatch();
        if (reply is not null) return (reply, seq);
        var command = BlockingCommands.PinForWaiting(_context, request.Command);
        var spec = CommandTable.Find(command[0])!;
        _keyIndexes.Clear();
        spec.Keys.Collect(command, _keyIndexes);
        _waiters.Add(new BlockRequest { Waiter = request.Waiter, Command = command, Protocol = request.Protocol },
            _keyIndexes.Select(i => command[i]).ToArray(), pops: spec.Timeout is not { BlockOption: true });
        return (null, seq);
    }

    public Task<bool> Unblock(BlockedClientObserverKey waiter) => UnderGateAsync(() => _waiters.Remove(waiter));

    public Task<long[]> Watch(byte[][] keys) => UnderGateAsync(() =>
    {
        ExpireNow(keys); // watched from now on as missing; one that expires before EXEC counts as changed (Redis 7.0)
        return _watched.Watch(keys);
    });

    /// <summary>Lazy expiry of these keys now: a deletion bumps their watch versions like any write.</summary>
    private void ExpireNow(IEnumerable<byte[]> keys)
    {
        long now = UnixTime.NowMilliseconds();
        foreach (var key in keys) _keys.Get(key, now);
    }

    public Task Unwatch(byte[][] keys) => UnderGateAsync(() =>
    {
        _watched.Unwatch(keys);
        return true;
    });

    /// <summary>Runs a blocked client's command: its reply, or null when it would still block.</summary>
    private byte[]? TryServe(BlockRequest request)
    {
        var writer = new RespWriter((RespProtocol)request.Protocol, 64);
        var (previousReply, previousArgs) = (_context.Reply, _context.Args);
        _context.Reply = writer;
        _context.Args = request.Command;
        _context.Now = UnixTime.NowMilliseconds();
        var spec = CommandTable.Resolve(request.Command, out var error);
        if (spec is null) writer.WriteError(error!);
        else ExecuteOne(_context, spec);
        (_context.Reply, _context.Args) = (previousReply, previousArgs);
        var reply = writer.WrittenSpan;
        return reply.SequenceEqual("*-1\r\n"u8) || reply.SequenceEqual("_\r\n"u8) ? null : writer.ToArray();
    }

    private static byte[] ErrorReply(byte protocol, string error)
    {
        var writer = new RespWriter((RespProtocol)protocol, 96);
        writer.WriteError(error);
        return writer.ToArray();
    }

    private void ServeWaiters()
    {
        if (!_waiters.HasReady) return;
        foreach (var (request, reply) in _waiters.ServeReady(TryServe))
        {
            // appendfsync always: a served client learns of the pop only once it is durable.
            var waiter = request.Waiter;
            _persistence.AfterDurable(error => waiter.Observer.Served(waiter.WaiterId, error is null ? reply : ErrorReply(request.Protocol, error)));
        }
    }
}
