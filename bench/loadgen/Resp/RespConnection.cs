using System.Net;
using System.Net.Sockets;

namespace OrleansLua.LoadGen.Resp;

/// <summary>
/// One raw TCP connection speaking RESP: sends pre-encoded bytes and keeps a receive buffer that the
/// caller parses in place. No per-request allocation; <see cref="CallAsync"/> is the slow, simple path
/// for setup and verification commands.
/// </summary>
public sealed class RespConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private byte[] _receive = new byte[64 * 1024];
    private int _start, _end;

    private RespConnection(Socket socket, int port)
    {
        _socket = socket;
        Port = port;
    }

    public int Port { get; }

    public static async Task<RespConnection> ConnectAsync(string host, int port, CancellationToken cancel)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (IPAddress.TryParse(host, out var address))
                await socket.ConnectAsync(new IPEndPoint(address, port), cancel);
            else
                await socket.ConnectAsync(host, port, cancel);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"cannot connect to {host}:{port}: {e.Message}", e);
        }
        return new RespConnection(socket, port);
    }

    /// <summary>The received bytes not consumed yet.</summary>
    public ReadOnlySpan<byte> Unread => _receive.AsSpan(_start, _end - _start);

    public void Consume(int count) => _start += count;

    /// <summary>Reads more bytes into the buffer; false when the server closed the connection.</summary>
    public async ValueTask<bool> ReceiveAsync()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _receive.Length)
        {
            // Keep the partial reply: move it to the front, or grow when it fills the whole buffer.
            int unread = _end - _start;
            if (_start == 0) Array.Resize(ref _receive, _receive.Length * 2);
            else Buffer.BlockCopy(_receive, _start, _receive, 0, unread);
            _start = 0;
            _end = unread;
        }
        int n = await _socket.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None);
        _end += n;
        return n > 0;
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            int n = await _socket.SendAsync(data, SocketFlags.None);
            data = data[n..];
        }
    }

    /// <summary>Blocking send, for the open-loop pacer thread (the in-flight window keeps socket buffers from filling).</summary>
    public void Send(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
            data = data[_socket.Send(data, SocketFlags.None)..];
    }

    /// <summary>Sends one command and waits for its reply (setup and verification only).</summary>
    public async Task<RespValue> CallAsync(params string[] args)
    {
        var writer = new RespWriter();
        writer.Array(args.Length);
        foreach (var arg in args) writer.Bulk(arg);
        writer.CheckComplete();
        await SendAsync(writer.Written);
        while (true)
        {
            int pos = 0;
            if (RespReader.TryParse(Unread, ref pos, out var value))
            {
                Consume(pos);
                return value;
            }
            if (!await ReceiveAsync())
                throw new IOException($"port {Port}: connection closed by the server");
        }
    }

    /// <summary>Aborts a blocked receive (used when in-flight replies do not arrive in time at the end).</summary>
    public void Abort()
    {
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
