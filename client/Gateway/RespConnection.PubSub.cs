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
    private readonly HashSet<string> _subscribedChannels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscribedPatterns = new(StringComparer.Ordinal);

    private int SubscriptionCount => _subscribedChannels.Count + _subscribedPatterns.Count;

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
                // Hold the output while registering so no message overtakes the confirmation.
                await _writeLock.WaitAsync(_cancellation);
                try
                {
                    for (int i = 1; i < args.Length; i++)
                    {
                        if (set.Add(PubSubBroker.Name(args[i]))) await broker.SubscribeAsync(this, args[i], pattern);
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
                var names = args.Length > 1 ? args[1..] : set.Select(n => System.Text.Encoding.Latin1.GetBytes(n)).ToArray();
                if (names.Length == 0) WriteSubscriptionReply(spec.Name, null, SubscriptionCount);
                foreach (var name in names)
                {
                    if (set.Remove(PubSubBroker.Name(name))) await broker.UnsubscribeAsync(this, name, pattern);
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

    /// <summary>A published message for this connection (called by the broker, any thread).</summary>
    public async Task PushMessageAsync(byte[] channel, byte[] message, byte[]? pattern)
    {
        var frame = new RespWriter(_session.Protocol, 64 + channel.Length + message.Length);
        frame.WritePushHeader(pattern is null ? 3 : 4);
        frame.WriteBulkString(pattern is null ? "message" : "pmessage");
        if (pattern is not null) frame.WriteBulk(pattern);
        frame.WriteBulk(channel);
        frame.WriteBulk(message);
        await _writeLock.WaitAsync(_cancellation);
        try
        {
            await _writer!.WriteAsync(frame.WrittenMemory, _cancellation);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // the client is gone; its subscriptions are dropped when the connection ends
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Connection end or RESET: leave every channel and pattern.</summary>
    private async Task UnsubscribeAllAsync()
    {
        foreach (var name in _subscribedChannels.ToArray()) await _gateway.PubSub.UnsubscribeAsync(this, System.Text.Encoding.Latin1.GetBytes(name), pattern: false);
        foreach (var name in _subscribedPatterns.ToArray()) await _gateway.PubSub.UnsubscribeAsync(this, System.Text.Encoding.Latin1.GetBytes(name), pattern: true);
        _subscribedChannels.Clear();
        _subscribedPatterns.Clear();
    }
}
