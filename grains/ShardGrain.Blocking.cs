using OrleansLua.GrainInterfaces;
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
            _keyIndexes.Select(i => command[i]).ToArray(), pops: spec.Timeout is not { BlockOption: true });
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
}
