using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE and their UNSUBSCRIBEs. Messages reach this connection out of band
/// (pushed by the gateway's <see cref="PubSubBroker"/>); RESP2 connections in subscribed mode accept only
/// the commands the table allows there, as Redis does.
/// </summary>
public sealed partial class RespConnection
{
    /// <summary>Per <see cref="SubscriptionKind"/>: channels, patterns, shard channels.</summary>
    private readonly HashSet<string>[] _subscribed = [new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
    /// <summary>Guards the sets: the connection loop changes them, the push pump reads them.</summary>
    private readonly Lock _subscriptions = new();
    private Channel<(byte[] Channel, byte[] Message, byte[]? Pattern, bool Shard)>? _pushes;
    /// <summary>Bytes of messages queued and not yet written (client-output-buffer-limit pubsub).</summary>
    private long _queuedBytes;
    /// <summary>Since when the queue has stayed above the soft limit (Stopwatch ticks; 0 = it is below).</summary>
    private long _overSoftSince;

    private HashSet<string> Subscribed(SubscriptionKind kind) => _subscribed[(int)kind];

    /// <summary>Every subscription of the connection (it is in subscribed mode while there is one).</summary>
    private int SubscriptionCount => CountSubscriptions(SubscriptionKind.Channel) + _session.ShardSubscriptions;

    /// <summary>What a (un)subscribe reply counts, as Redis: channels and patterns together; shard channels on their own.</summary>
    private int CountSubscriptions(SubscriptionKind kind)
    {
        lock (_subscriptions)
        {
            // kept current for CLIENT LIST and INFO's pubsub_clients
            _session.Subscriptions = Subscribed(SubscriptionKind.Channel).Count;
            _session.PatternSubscriptions = Subscribed(SubscriptionKind.Pattern).Count;
            _session.ShardSubscriptions = Subscribed(SubscriptionKind.ShardChannel).Count;
            return kind == SubscriptionKind.ShardChannel ? _session.ShardSubscriptions : _session.Subscriptions + _session.PatternSubscriptions;
        }
    }

    /// <summary>RESP2 subscribed mode refuses what the table does not allow there.</summary>
    private bool RefusedInSubscribedMode(CommandSpec spec) =>
        !spec.AllowedWhileSubscribed && _session.Protocol == RespProtocol.Resp2 && SubscriptionCount > 0;

    private static string SubscribedModeError(CommandSpec spec) =>
        $"ERR Can't execute '{spec.Name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";

    /// <summary>The (un)subscribe commands: this connection's subscriptions.</summary>
    private static void RegisterSubscriptions(GatewayHandlers handlers)
    {
        handlers.Add("subscribe", c => c.Connection.SubscribeAsync(c.Spec, c.Args, SubscriptionKind.Channel));
        handlers.Add("psubscribe", c => c.Connection.SubscribeAsync(c.Spec, c.Args, SubscriptionKind.Pattern));
        handlers.Add("ssubscribe", c => c.Connection.SubscribeAsync(c.Spec, c.Args, SubscriptionKind.ShardChannel));
        handlers.Add("unsubscribe", c => c.Connection.UnsubscribeAsync(c.Spec, c.Args, SubscriptionKind.Channel));
        handlers.Add("punsubscribe", c => c.Connection.UnsubscribeAsync(c.Spec, c.Args, SubscriptionKind.Pattern));
        handlers.Add("sunsubscribe", c => c.Connection.UnsubscribeAsync(c.Spec, c.Args, SubscriptionKind.ShardChannel));
    }

    private async Task SubscribeAsync(CommandSpec spec, byte[][] args, SubscriptionKind kind)
    {
        var set = Subscribed(kind);
        if (kind == SubscriptionKind.ShardChannel && PubSubCommands.ShardChannelsRefusal(_gateway.Router, args[1..]) is { } refusal)
        {
            _out.WriteError(refusal);
            return;
        }
        StartPushPump();
        // Hold the output while registering so no message overtakes the confirmation.
        await _writeLock.WaitAsync(_cancellation);
        try
        {
            for (int i = 1; i < args.Length; i++)
            {
                bool added;
                lock (_subscriptions) added = set.Add(PubSubBroker.Name(args[i]));
                if (added) await _gateway.PubSub.SubscribeAsync(this, args[i], kind);
                WriteSubscriptionReply(spec.Name, args[i], CountSubscriptions(kind));
            }
            await FlushLockedAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task UnsubscribeAsync(CommandSpec spec, byte[][] args, SubscriptionKind kind)
    {
        var set = Subscribed(kind);
        byte[][] names;
        lock (_subscriptions) names = args.Length > 1 ? args[1..] : set.Select(n => System.Text.Encoding.Latin1.GetBytes(n)).ToArray();
        if (names.Length == 0) WriteSubscriptionReply(spec.Name, null, CountSubscriptions(kind));
        foreach (var name in names)
        {
            bool removed;
            // Under the output lock: a queued message for this channel is dropped, not written after the confirmation.
            await _writeLock.WaitAsync(_cancellation);
            try
            {
                lock (_subscriptions) removed = set.Remove(PubSubBroker.Name(name));
            }
            finally
            {
                _writeLock.Release();
            }
            if (removed) await _gateway.PubSub.UnsubscribeAsync(this, name, kind);
            WriteSubscriptionReply(spec.Name, name, CountSubscriptions(kind));
        }
    }

    private void WriteSubscriptionReply(string kind, byte[]? name, int count)
    {
        _out.WritePushHeader(3);
        _out.WriteBulkString(kind);
        if (name is null) _out.WriteNull();
        else _out.WriteBulk(name);
        _out.WriteInteger(count);
    }

    /// <summary>
    /// A published message for this connection (called by the broker, any thread): queued, and
    /// written by the push pump. False when this subscriber is too slow and gets disconnected: its
    /// queue passed client-output-buffer-limit pubsub's hard limit, or stayed over the soft limit
    /// for its seconds (32 MB, or 8 MB for 60 s by default), as in Redis.
    /// </summary>
    public bool QueueMessage(byte[] channel, byte[] message, byte[]? pattern, bool shard)
    {
        if (_session.CloseRequested) return false; // cut off already: its subscriptions go when the connection ends
        long queued = Interlocked.Add(ref _queuedBytes, channel.Length + message.Length + (pattern?.Length ?? 0) + 32);
        _session.OutputBufferBytes = queued;
        if (!OverPubSubLimit(queued) && _pushes is { } pushes && pushes.Writer.TryWrite((channel, message, pattern, shard))) return true;
        _logger.LogWarning("Connection {Id} ({Address}) is not reading its Pub/Sub messages ({Bytes} bytes queued); closing it",
            _session.Id, _session.Address, queued);
        Kill();
        _socket.Close();
        return false;
    }

    private bool OverPubSubLimit(long queued)
    {
        var limit = _gateway.Settings.OutputLimits.PubSub;
        if (limit.Hard > 0 && queued > limit.Hard) return true;
        if (limit.Soft == 0 || queued <= limit.Soft)
        {
            Interlocked.Exchange(ref _overSoftSince, 0);
            return false;
        }
        long since = Interlocked.CompareExchange(ref _overSoftSince, System.Diagnostics.Stopwatch.GetTimestamp(), 0);
        return since != 0 && System.Diagnostics.Stopwatch.GetElapsedTime(since).TotalSeconds >= limit.SoftSeconds;
    }

    private void StartPushPump()
    {
        if (_pushes is not null) return;
        _pushes = Channel.CreateUnbounded<(byte[], byte[], byte[]?, bool)>(new UnboundedChannelOptions { SingleReader = true });
        _ = PumpPushesAsync(_pushes.Reader);
    }

    /// <summary>
    /// Connection end: the pump finishes. Its pending read is registered on the server's stopping
    /// token, so a pump left waiting kept this whole connection alive until the server stopped.
    /// </summary>
    private void StopPushPump() => _pushes?.Writer.TryComplete();

    private async Task PumpPushesAsync(ChannelReader<(byte[] Channel, byte[] Message, byte[]? Pattern, bool Shard)> reader)
    {
        try
        {
            await foreach (var (channel, message, pattern, shard) in reader.ReadAllAsync(_cancellation))
            {
                await _writeLock.WaitAsync(_cancellation);
                try
                {
                    // Unsubscribed meanwhile (under this lock): the client must not see it any more.
                    bool subscribed;
                    lock (_subscriptions)
                        subscribed = pattern is not null ? Subscribed(SubscriptionKind.Pattern).Contains(PubSubBroker.Name(pattern))
                            : Subscribed(shard ? SubscriptionKind.ShardChannel : SubscriptionKind.Channel).Contains(PubSubBroker.Name(channel));
                    if (!subscribed) continue;
                    var frame = new RespWriter(_session.Protocol, 64 + channel.Length + message.Length);
                    frame.WritePushHeader(pattern is null ? 3 : 4);
                    frame.WriteBulkString(pattern is not null ? "pmessage" : shard ? "smessage" : "message");
                    if (pattern is not null) frame.WriteBulk(pattern);
                    frame.WriteBulk(channel);
                    frame.WriteBulk(message);
                    _gateway.Stats.Sent(frame.Length);
                    await _writer!.WriteAsync(frame.WrittenMemory, _cancellation);
                }
                finally
                {
                    _writeLock.Release();
                    _session.OutputBufferBytes = Interlocked.Add(ref _queuedBytes, -(channel.Length + message.Length + (pattern?.Length ?? 0) + 32));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // the client is gone; its subscriptions are dropped when the connection ends
        }
    }

    /// <summary>The user lost a channel or pattern this connection is subscribed to: disconnected, as in Redis 7.</summary>
    private void CloseIfSubscriptionsDenied()
    {
        var user = _gateway.Acl.Find(_session.User.Name);
        if (user is null || user.AllChannels) return;
        bool denied;
        lock (_subscriptions)
            denied = Subscribed(SubscriptionKind.Channel).Concat(Subscribed(SubscriptionKind.ShardChannel))
                    .Any(c => !user.CanAccessChannel(System.Text.Encoding.Latin1.GetBytes(c), isPattern: false))
                || Subscribed(SubscriptionKind.Pattern).Any(p => !user.CanAccessChannel(System.Text.Encoding.Latin1.GetBytes(p), isPattern: true));
        if (!denied) return;
        _logger.LogInformation("Connection {Id}: user {User} may no longer read a channel it subscribed to; closing it", _session.Id, user.Name);
        Kill();
    }

    /// <summary>Connection end or RESET: leave every channel, pattern and shard channel.</summary>
    private async Task UnsubscribeAllAsync()
    {
        var left = new List<(string Name, SubscriptionKind Kind)>();
        lock (_subscriptions)
        {
            foreach (var kind in Enum.GetValues<SubscriptionKind>())
            {
                left.AddRange(Subscribed(kind).Select(n => (n, kind)));
                Subscribed(kind).Clear();
            }
            _session.Subscriptions = _session.PatternSubscriptions = _session.ShardSubscriptions = 0;
        }
        foreach (var (name, kind) in left) await _gateway.PubSub.UnsubscribeAsync(this, System.Text.Encoding.Latin1.GetBytes(name), kind);
    }
}
