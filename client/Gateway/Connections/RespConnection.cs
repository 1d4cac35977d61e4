using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.GrainInterfaces.Security;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// One client connection: parses pipelined requests, routes them by slot and writes replies in
/// request order. Consecutive commands for one slot travel as one batch; batches for different
/// slots may be in flight together, but a slot never gets a second call from this connection
/// before the first has answered (Orleans does not order concurrent calls).
/// </summary>
public sealed partial class RespConnection
{
    private readonly Socket _socket;
    private readonly GatewayContext _gateway;
    private readonly ILogger _logger;
    private readonly ClientSession _session;
    private readonly RespWriter _out = new(RespProtocol.Resp2, 4096);
    private readonly List<byte[][]> _commands = [];
    private readonly List<int> _keyScratch = [];
    private readonly List<Pending> _pending = [];
    private readonly Dictionary<int, Task> _inFlight = [];
    private readonly List<byte[][]> _batch = [];
    private readonly List<ushort> _batchSpecs = [];
    private const int NoBatch = int.MinValue;
    private int _batchSlot = NoBatch;
    private bool _batchHasScript;
    private readonly TransactionState _transaction = new();
    private PipeReader? _reader;
    /// <summary>A multibulk command whose first arguments arrived in earlier reads (their bytes are released).</summary>
    private PartialCommand? _partialCommand;
    /// <summary>A read started while a client was blocked, handed back to the main loop.</summary>
    private Task<ReadResult>? _pendingRead;
    private CancellationToken _cancellation;
    private PipeWriter? _writer;
    /// <summary>Replies and pushed Pub/Sub messages share the socket: one writer at a time.</summary>
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <summary>Cancelled by CLIENT KILL, the idle timeout or a deleted user: ends a pending read at once.</summary>
    private readonly CancellationTokenSource _kill = new();

    public RespConnection(Socket socket, GatewayContext gateway, ILogger logger)
    {
        _socket = socket;
        _gateway = gateway;
        _logger = logger;
        _session = gateway.Clients.Open(socket.RemoteEndPoint, socket.LocalEndPoint, gateway.Acl);
        _session.Kill = Kill;
        _session.CheckGone = CheckClientGone;
        _session.CheckSubscriptions = CloseIfSubscriptionsDenied;
        _out.ErrorWritten = gateway.CommandStats.ErrorReplied;
    }

    /// <summary>This connection, cluster-wide (the scripts it runs are registered under it).</summary>
    private string ClientKey => $"{_gateway.NodeId}#{_session.Id}";

    private void Kill()
    {
        // A script of this client that has run past busy-reply-threshold stops: no one waits for its reply.
        if (_session.Executing) _ = ScriptClientGoneAsync();
        _session.CloseRequested = true;
        try
        {
            _kill.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // already ended
        }
    }

    /// <summary>
    /// The connection reads no requests while its commands run, so a client that disconnects during a long
    /// script is noticed here, by the gateway's sweep: a socket that is readable with nothing to read has
    /// been closed by its peer.
    /// </summary>
    private void CheckClientGone()
    {
        try
        {
            if (_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0) Kill();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Kill();
        }
    }

    private async Task ScriptClientGoneAsync()
    {
        try
        {
            await _gateway.Scripts.ClientGone(ClientKey);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Connection {Id}: could not tell the script registry that its client left", _session.Id);
        }
    }

    public ClientSession Session => _session;

    public async Task RunAsync(CancellationToken serverStopping)
    {
        await using var stream = new NetworkStream(_socket, ownsSocket: true);
        var reader = _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 65536));
        var writer = _writer = PipeWriter.Create(stream);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, _kill.Token);
        var cancellation = _cancellation = stopping.Token;
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var result = _pendingRead is { } pending ? await pending : await reader.ReadAsync(cancellation);
                _pendingRead = null;
                var buffer = result.Buffer;
                string? protocolError = ParseCommands(buffer, out var consumed, out bool hitLimit);
                long unparsed = buffer.Slice(consumed).Length;
                _gateway.Stats.Received(buffer.Length - unparsed);
                _session.QueryBufferBytes = unparsed;
                reader.AdvanceTo(consumed, hitLimit ? consumed : buffer.End);
                if (unparsed > _gateway.Settings.QueryBufferLimit)
                {
                    // Redis closes such a client without a reply (a request that never ends)
                    _logger.LogWarning("Closing connection {Id} ({Address}): its query buffer reached client-query-buffer-limit", _session.Id, _session.Address);
                    break;
                }

                _session.Executing = true;
                await ExecuteAsync();
                _session.Executing = false;
                if (protocolError is not null)
                {
                    // Latin-1, not UTF-8: "got '%c'" carries the offending byte itself, as Redis writes it
                    _out.WriteRaw(System.Text.Encoding.Latin1.GetBytes($"-ERR {protocolError.Replace('\r', ' ').Replace('\n', ' ')}\r\n"));
                    _session.CloseRequested = true;
                }
                if (OverOutputLimit()) break;
                await FlushAsync();
                _session.LastInteraction = DateTime.UtcNow; // idle counts from the last reply, not from the last request
                if (_session.CloseRequested || (result.IsCompleted && !hitLimit)) break;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogDebug("Connection {Id} ended: {Message}", _session.Id, ex.Message);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Connection {Id} failed", _session.Id);
        }
        finally
        {
            ForgetWatches();
            await LeaveChannelsAsync();
            StopPushPump();
            _gateway.Clients.Close(_session);
            await reader.CompleteAsync();
            await writer.CompleteAsync();
            _kill.Dispose();
        }
    }

    /// <summary>client-output-buffer-limit normal: replies of one read that outgrow the hard limit close the connection, as in Redis.</summary>
    private bool OverOutputLimit()
    {
        var limit = _gateway.Settings.OutputLimits.Normal;
        if (limit.Hard == 0 || _out.Length <= limit.Hard) return false;
        _logger.LogWarning("Closing connection {Id} ({Address}): {Bytes} bytes of replies exceed client-output-buffer-limit normal {Limit}",
            _session.Id, _session.Address, _out.Length, limit.Hard);
        _out.Reset();
        return true;
    }

    /// <summary>
    /// Replies of commands that ran are written even while the server stops (only a killed connection drops
    /// them): a client may take a command without a reply as not executed.
    /// </summary>
    private async Task FlushAsync()
    {
        if (_out.Length == 0) return;
        await _writeLock.WaitAsync(_kill.Token);
        try
        {
            await FlushLockedAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes the buffered replies; the caller holds the write lock.</summary>
    private async Task FlushLockedAsync()
    {
        if (_out.Length == 0) return;
        _gateway.Stats.Sent(_out.Length);
        await _writer!.WriteAsync(_out.WrittenMemory, _kill.Token);
        _out.Reset();
    }

    private string? ParseCommands(ReadOnlySequence<byte> buffer, out SequencePosition consumed, out bool hitLimit)
    {
        _commands.Clear();
        hitLimit = false;
        var sequence = new SequenceReader<byte>(buffer);
        string? error = null;
        var limits = new RequestLimits(_gateway.Settings.ProtoMaxBulkLength, !_session.Authenticated);
        while (true)
        {
            if (_commands.Count >= _gateway.Options.MaxPipelineDepth)
            {
                hitLimit = sequence.Remaining > 0;
                break;
            }
            var status = RespRequestParser.TryParse(ref sequence, limits, ref _partialCommand, out var command, out error);
            if (status == ParseStatus.Command)
            {
                if (command.Length > 0) _commands.Add(command);
                // Before AUTH the tight limits apply; what follows an AUTH or HELLO is parsed after it ran.
                if (limits.Unauthenticated && command.Length > 0 && (command[0].Is("auth") || command[0].Is("hello")))
                {
                    hitLimit = sequence.Remaining > 0;
                    break;
                }
                continue;
            }
            break;
        }
        consumed = sequence.Position;
        return error;
    }

    /// <summary>Runs the parsed commands and writes every reply, in order, to the output buffer.</summary>
    private async Task ExecuteAsync()
    {
        foreach (var args in _commands)
        {
            if (_session.CloseRequested) break;
            _session.LastInteraction = DateTime.UtcNow;
            var spec = CommandTable.Resolve(args, out var error);
            if (spec is null)
            {
                if (CommandTable.Find(args[0]) is { } known) _gateway.CommandStats.Rejected(known);
                if (_transaction.Active) Queue(null, args, error);
                else Immediate(w => w.WriteError(error!));
                continue;
            }
            if (Refusal(spec, args) is { } refusal)
            {
                _gateway.CommandStats.Rejected(spec);
                if (_transaction.Active) Queue(null, args, refusal);
                else Immediate(w => w.WriteError(refusal));
                continue;
            }
            if (_transaction.Active && spec.InMulti != MultiBehavior.RunsAtOnce)
            {
                Queue(spec, args, null);
                continue;
            }
            _session.LastCommand = spec.Name;
            _gateway.Stats.CommandProcessed();
            if (RefusedInSubscribedMode(spec))
            {
                Immediate(w => w.WriteError(SubscribedModeError(spec)));
                continue;
            }
            switch (spec.Execution)
            {
                case CommandExecution.Slot:
                    // A socket engine's thread (inline completions) must not run a script, which may take seconds and
                    // would hold up every connection the thread serves: the rest of the read moves to the pool, once.
                    if (spec.RunsScript && !Thread.CurrentThread.IsThreadPoolThread) await Task.Yield();
                    RouteToSlot(spec, args);
                    break;
                case CommandExecution.SplitBySlot:
                    RouteSplit(spec, args);
                    break;
                case CommandExecution.Blocking:
                    await DrainAsync();
                    await GuardedAsync(spec, args, () => ExecuteBlockingAsync(spec, args));
                    break;
                case CommandExecution.Transaction:
                    // ordered by Immediate with the replies still pending
                    await GuardedAsync(spec, args, () => Handle(spec, args));
                    break;
                default:
                    await DrainAsync();
                    await GuardedAsync(spec, args, () => Handle(spec, args));
                    break;
            }
        }
        await DrainAsync();
        _session.QueuedInMulti = _transaction.Active ? _transaction.Commands.Count : -1;
    }

    /// <summary>
    /// NOAUTH before authentication, then the user's ACL (command, keys, channels). A denied command is
    /// logged in ACL LOG; inside MULTI it makes EXEC abort, as in Redis.
    /// </summary>
    private string? Refusal(CommandSpec spec, byte[][] args)
    {
        if (!_session.Authenticated && !spec.Has(CommandFlags.NoAuth)) return AclCommands.NoAuth;
        if (!_session.Refresh(_gateway.Acl))
        {
            _session.CloseRequested = true; // its user was deleted
            return AclCommands.NoAuth;
        }
        var user = _session.User;
        if (user.IsUnrestricted || spec.Has(CommandFlags.NoAuth)) return null;
        var denial = user.Check(spec, args, _keyScratch, out int denied);
        if (denial == AclDenial.None) return null;
        var reason = denial switch { AclDenial.Command => AclLogReason.Command, AclDenial.Key => AclLogReason.Key, _ => AclLogReason.Channel };
        var obj = denial == AclDenial.Command ? spec.Name : System.Text.Encoding.UTF8.GetString(args[denied]);
        _gateway.AclLog.Add(reason, _transaction.Active ? "multi" : "toplevel", obj, user.Name, _session);
        return AclCommands.Denied(spec, denial);
    }

    /// <summary>The commands that change this connection's own state: its subscriptions and its transaction.</summary>
    internal static void Register(GatewayHandlers handlers)
    {
        RegisterSubscriptions(handlers);
        RegisterTransactions(handlers);
    }

    /// <summary>A command the gateway runs itself, by its handler.</summary>
    private Task Handle(CommandSpec spec, byte[][] args)
    {
        _out.Protocol = _session.Protocol;
        return _gateway.Handlers.For(spec)(new GatewayCall(spec, args, _gateway, _session, _out, this));
    }

    /// <summary>RESET: out of MULTI, no watched keys, no subscriptions.</summary>
    internal async Task ResetStateAsync()
    {
        _transaction.EndMulti();
        ForgetWatches();
        await LeaveChannelsAsync();
    }

    /// <summary>RESET or disconnect: leave every channel; a failing hub call is logged, never fatal.</summary>
    private async Task LeaveChannelsAsync()
    {
        try
        {
            await UnsubscribeAllAsync();
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Connection {Id} could not leave its channels", _session.Id);
        }
    }

    /// <summary>
    /// Runs a command the connection awaits itself (gateway-local, blocking, WATCH, Pub/Sub): a failed
    /// grain call becomes this command's error reply instead of ending the connection. Counted here
    /// for INFO commandstats and the slow log, except blocking commands (their grain counts them).
    /// </summary>
    private async Task GuardedAsync(CommandSpec spec, byte[][] args, Func<Task> action)
    {
        int mark = _out.Length;
        long started = CommandMeter.Start();
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "{Command} failed for connection {Id}", spec.Name, _session.Id);
            _out.Truncate(mark);
            _out.WriteError(ErrorReply(ex));
        }
        if (spec.Has(CommandFlags.Blocking)) return;
        _gateway.Meter.Ran(spec, started, _out.Length > mark && _out.WrittenSpan[mark] == (byte)'-', args, _session.Address, _session.Name);
    }

    private void RouteToSlot(CommandSpec spec, byte[][] args)
    {
        int slot = SlotRouter.SlotOf(spec, args, _keyScratch, out var error);
        error ??= _gateway.Router.Redirect(slot);
        if (error is not null)
        {
            Immediate(w => w.WriteError(error));
            return;
        }
        AddToBatch(slot, spec, args); // slot -1: no keys (EVAL … 0), run by a stateless script worker
    }

    private void RouteSplit(CommandSpec spec, byte[][] args)
    {
        _keyScratch.Clear();
        spec.Keys.Collect(args, _keyScratch);
        var groups = new SortedDictionary<int, List<int>>();
        foreach (int index in _keyScratch)
        {
            int slot = HashSlot.Of(args[index]);
            if (!groups.TryGetValue(slot, out var list)) groups[slot] = list = [];
            list.Add(index);
        }
        if (groups.Count == 1)
        {
            int slot = groups.Keys.First();
            if (_gateway.Router.Redirect(slot) is { } moved) Immediate(w => w.WriteError(moved));
            else AddToBatch(slot, spec, args);
            return;
        }
        FlushBatch();
        var parts = new List<(List<int> Indexes, Task<byte[]> Reply)>();
        foreach (var (slot, indexes) in groups)
        {
            var sub = new byte[indexes.Count + 1][];
            sub[0] = args[0];
            for (int i = 0; i < indexes.Count; i++) sub[i + 1] = args[indexes[i]];
            parts.Add((indexes, CallSlot(slot, NewBatch([sub], [(ushort)spec.Id]))));
        }
        _pending.Add(new Pending(1, MergeSplit(spec, args.Length - 1, parts)));
    }

    private static async Task<byte[]> MergeSplit(CommandSpec spec, int keyCount, List<(List<int> Indexes, Task<byte[]> Reply)> parts)
    {
        var replies = new byte[parts.Count][];
        for (int i = 0; i < parts.Count; i++) replies[i] = await parts[i].Reply;
        foreach (var reply in replies)
            if (RespReplyReader.IsError(reply, 0)) return reply;
        return spec.Response == ResponsePolicy.AggSum
            ? ReplyMerger.Sum(replies)
            : ReplyMerger.ScatterArrays(keyCount, parts.Select(p => p.Indexes).ToList(), replies);
    }

    private void AddToBatch(int slot, CommandSpec spec, byte[][] args)
    {
        if (slot != _batchSlot) FlushBatch();
        _batchSlot = slot;
        _batch.Add(args);
        _batchSpecs.Add((ushort)spec.Id);
        _batchHasScript |= spec.RunsScript;
    }

    private void FlushBatch()
    {
        if (_batch.Count == 0) return;
        var commands = _batch.ToArray();
        ushort[] specs = [.. _batchSpecs];
        _batch.Clear();
        _batchSpecs.Clear();
        _pending.Add(new Pending(commands.Length, CallSlot(_batchSlot, NewBatch(commands, specs, script: _batchHasScript))));
        _batchSlot = NoBatch;
        _batchHasScript = false;
    }

    /// <summary>
    /// A batch for this connection: the commands with their specs as resolved here (the grain does not resolve them
    /// again), its protocol, its ACL user (scripts check each call) and who it is (slow log; for a batch with a script,
    /// the client the registry stops its script for when it disconnects).
    /// </summary>
    private ShardBatch NewBatch(byte[][][] commands, ushort[] specs, bool transaction = false, WatchedKey[]? watches = null, bool script = false) => new()
    {
        Client = script ? ClientKey : null,
        Commands = commands,
        Specs = specs,
        Table = CommandTable.Version,
        Protocol = (byte)_session.Protocol,
        Transaction = transaction,
        Watches = watches,
        User = _session.RestrictedUser,
        ClientAddress = _session.Address,
        ClientName = _session.Name.Length == 0 ? null : _session.Name, // most clients have none: nothing to serialize
    };

    private Task<byte[]> CallSlot(int slot, ShardBatch batch)
    {
        var previous = _inFlight.GetValueOrDefault(slot);
        var call = previous is null || previous.IsCompleted
            ? _gateway.Invoke(slot, batch)
            : CallAfter(previous, slot, batch);
        _inFlight[slot] = call;
        return call;
    }

    private async Task<byte[]> CallAfter(Task previous, int slot, ShardBatch batch)
    {
        try { await previous; } catch { /* its own reply carries the failure */ }
        return await _gateway.Invoke(slot, batch);
    }

    private void Immediate(Action<RespWriter> write)
    {
        FlushBatch();
        if (_pending.Count == 0)
        {
            write(_out);
            return;
        }
        var w = new RespWriter(_session.Protocol, 64) { ErrorWritten = _gateway.CommandStats.ErrorReplied };
        write(w);
        _pending.Add(new Pending(1, Task.FromResult(w.ToArray())));
    }

    /// <summary>Waits for every call in flight and writes their replies in request order.</summary>
    private async Task DrainAsync()
    {
        FlushBatch();
        foreach (var pending in _pending)
        {
            try
            {
                _out.WriteRaw(await pending.Reply);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Shard call failed for connection {Id}", _session.Id);
                var message = ErrorReply(ex);
                for (int i = 0; i < pending.Count; i++) _out.WriteError(message);
            }
        }
        _pending.Clear();
        _inFlight.Clear();
    }

    /// <summary>A failed grain call as an error reply: BUSY passes through, the rest is one short ERR line.</summary>
    private static string ErrorReply(Exception ex)
    {
        // TRYAGAIN (retry later: storage or a silo is unavailable) passes through from anywhere in the chain.
        for (var e = ex; e is not null; e = e.InnerException)
            if (e.Message.StartsWith("TRYAGAIN ", StringComparison.Ordinal)) return e.Message.Split('\n')[0];
        var message = ex.GetBaseException().Message.Split('\n')[0];
        if (message.StartsWith("BUSY ", StringComparison.Ordinal)) return message;
        return "ERR " + (message.Length > 200 ? message[..200] + "…" : message);
    }

    private readonly record struct Pending(int Count, Task<byte[]> Reply);
}
