using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.Protocol;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// SUBSCRIBE / PSUBSCRIBE / UNSUBSCRIBE / PUNSUBSCRIBE / PUBLISH / PUBSUB. Messages reach this
/// connection out of band (pushed by the gateway's <see cref="PubSubBroker"/>); RESP2 connections in
/// subscribed mode accept only the Pub/Sub commands, PING, QUIT and RESET, as Redis does.
/// </summary>
public sealed partial class RespConnection
{
    /// <summary>Messages a subscriber may have queued before it counts as too slow and is disconnected.</summary>
    private const int MaxQueuedMessages = 100_000;

    private readonly HashSet<string> _subscribedChannels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscribedPatterns = new(StringComparer.Ordinal);
    /// <summary>Guards the two sets: the connection loop changes them, the push pump reads them.</summary>
    private readonly Lock _subscriptions = new();
    private Channel<(byte[] Channel, byte[] Message, byte[]? Pattern)>? _pushes;

    private int SubscriptionCount
    {
        get
        {
            lock (_subscriptions) return _subscribedChannels.Count + _subscribedPatterns.Count;
        }
    }

    /// <summary>RESP2 subscribed mode refuses everything but these.</summary>
    private bool RefusedInSubscribedMode(CommandSpec spec) =>
        _session.Protocol == RespProtocol.Resp2 && SubscriptionCount > 0
        && spec.Name is not ("subscribe" or "psubscribe" or "unsubscribe" or "punsubscribe" or "ping" or "quit" or "reset");

    private static string SubscribedModeError(CommandSpec spec) =>
        $"ERR Can't execute '{spec.Name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";

    private async Task ExecutePubSubAsync(CommandSpec spec, byte[][] args)
    {
        var broker = _gateway.PubSub;
        switch (spec.Name)
        {
            case "subscribe":
            case "psubscribe":
            {
                bool pattern = spec.Name == "psubscribe";
                var set = pattern ? _subscribedPatterns : _subscribedChannels;
                StartPushPump();
                // Hold the output while registering so no message overtakes the confirmation.
                await _writeLock.WaitAsync(_cancellation);
                try
                {
                    for (int i = 1; i < args.Length; i++)
                    {
                        bool added;
                        lock (_subscriptions) added = set.Add(PubSubBroker.Name(args[i]));
                        if (added) await broker.SubscribeAsync(this, args[i], pattern);
                        WriteSubscriptionReply(spec.Name, args[i], SubscriptionCount);
                    }
                    await FlushLockedAsync();
                }
                finally
                {
                    _writeLock.Release();
                }
                break;
            }
            case "unsubscribe":
            case "punsubscribe":
            {
                bool pattern = spec.Name == "punsubscribe";
                var set = pattern ? _subscribedPatterns : _subscribedChannels;
                byte[][] names;
                lock (_subscriptions) names = args.Length > 1 ? args[1..] : set.Select(n => System.Text.Encoding.Latin1.GetBytes(n)).ToArray();
                if (names.Length == 0) WriteSubscriptionReply(spec.Name, null, SubscriptionCount);
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
                    if (removed) await broker.UnsubscribeAsync(this, name, pattern);
                    WriteSubscriptionReply(spec.Name, name, SubscriptionCount);
                }
                break;
            }
            case "publish":
                _out.WriteInteger(await broker.PublishAsync(args[1], args[2]));
                break;
            case "pubsub|channels":
            {
                var channels = await _gateway.PubSubHub.Channels(args.Length > 2 ? args[2] : null);
                _out.WriteArrayHeader(channels.Length);
                foreach (var channel in channels) _out.WriteBulk(channel);
                break;
            }
            case "pubsub|numsub":
            {
                var channels = args[2..];
                var counts = await _gateway.PubSubHub.NumSub(channels);
                _out.WriteMapHeader(channels.Length);
                for (int i = 0; i < channels.Length; i++)
                {
                    _out.WriteBulk(channels[i]);
                    _out.WriteInteger(counts[i]);
                }
                break;
            }
            case "pubsub|numpat":
                _out.WriteInteger(await _gateway.PubSubHub.NumPat());
                break;
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
    /// written by the push pump. False when this subscriber is too slow and gets disconnected.
    /// </summary>
    public bool QueueMessage(byte[] channel, byte[] message, byte[]? pattern)
    {
        if (_pushes is { } pushes && pushes.Writer.TryWrite((channel, message, pattern))) return true;
        _logger.LogWarning("Connection {Id} is not reading its Pub/Sub messages; closing it", _session.Id);
        _session.CloseRequested = true;
        _socket.Close();
        return false;
    }

    private void StartPushPump()
    {
        if (_pushes is not null) return;
        _pushes = Channel.CreateBounded<(byte[], byte[], byte[]?)>(
            new BoundedChannelOptions(MaxQueuedMessages) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _ = PumpPushesAsync(_pushes.Reader);
    }

    /// <summary>
    /// Connection end: the pump finishes. Its pending read is registered on the server's stopping
    /// token, so a pump left waiting kept this whole connection alive until the server stopped.
    /// </summary>
    private void StopPushPump() => _pushes?.Writer.TryComplete();

    private async Task PumpPushesAsync(ChannelReader<(byte[] Channel, byte[] Message, byte[]? Pattern)> reader)
    {
        try
        {
            await foreach (var (channel, message, pattern) in reader.ReadAllAsync(_cancellation))
            {
                await _writeLock.WaitAsync(_cancellation);
                try
                {
                    // Unsubscribed meanwhile (under this lock): the client must not see it any more.
                    bool subscribed;
                    lock (_subscriptions)
                        subscribed = pattern is null
                            ? _subscribedChannels.Contains(PubSubBroker.Name(channel))
                            : _subscribedPatterns.Contains(PubSubBroker.Name(pattern));
                    if (!subscribed) continue;
                    var frame = new RespWriter(_session.Protocol, 64 + channel.Length + message.Length);
                    frame.WritePushHeader(pattern is null ? 3 : 4);
                    frame.WriteBulkString(pattern is null ? "message" : "pmessage");
                    if (pattern is not null) frame.WriteBulk(pattern);
                    frame.WriteBulk(channel);
                    frame.WriteBulk(message);
                    await _writer!.WriteAsync(frame.WrittenMemory, _cancellation);
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // the client is gone; its subscriptions are dropped when the connection ends
        }
    }

    /// <summary>Connection end or RESET: leave every channel and pattern.</summary>
    private async Task UnsubscribeAllAsync()
    {
        string[] channels, patterns;
        lock (_subscriptions)
        {
            channels = _subscribedChannels.ToArray();
            patterns = _subscribedPatterns.ToArray();
            _subscribedChannels.Clear();
            _subscribedPatterns.Clear();
        }
        foreach (var name in channels) await _gateway.PubSub.UnsubscribeAsync(this, System.Text.Encoding.Latin1.GetBytes(name), pattern: false);
        foreach (var name in patterns) await _gateway.PubSub.UnsubscribeAsync(this, System.Text.Encoding.Latin1.GetBytes(name), pattern: true);
    }
}
