using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansLua.Fuzz;

public enum SessionEnd
{
    /// <summary>The server answered the marker PING: it parsed everything and is ready for more.</summary>
    Synced,
    /// <summary>The server closed the connection (after a protocol error, QUIT, …).</summary>
    ClosedByServer,
    /// <summary>No marker in time (a frame still waits for bytes, a MULTI, a blocked command): we close.</summary>
    Timeout,
}

/// <summary>
/// One fuzzing connection. A session writes a burst of frames, then <c>DISCARD</c> (ends a MULTI a
/// frame opened) and <c>PING &lt;marker&gt;</c>, and reads until the marker comes back, the server
/// closes, or the time is up. Replies are not parsed (they are whatever the frames asked for); the
/// stream is only searched for the marker and for protocol errors.
/// </summary>
public sealed class FuzzConnection : IDisposable
{
    private static readonly byte[] ProtocolError = "-ERR Protocol error"u8.ToArray();
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];

    private FuzzConnection(Socket socket) => _socket = socket;

    public static async Task<FuzzConnection> OpenAsync(IPEndPoint server, CancellationToken cancellation)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancellation);
            return new FuzzConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Protocol errors seen on this connection.</summary>
    public int ProtocolErrors { get; private set; }

    public async Task<SessionEnd> RunSessionAsync(IReadOnlyList<byte[]> frames, string marker, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        var reading = ReadUntilAsync(Encoding.ASCII.GetBytes(marker), deadline.Token);
        try
        {
            // one write: the server gets the burst in whatever pieces TCP makes of it
            await _socket.SendAsync(Concat(frames, SyncFrames(marker)), deadline.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the server closed early (a protocol error in the first frames) or stopped reading; the read tells which
        }
        return await reading;
    }

    /// <summary>Writes the frames and resets the connection at once, whatever the server still has to read or answer.</summary>
    public async Task SendAndAbortAsync(IReadOnlyList<byte[]> frames, CancellationToken cancellation)
    {
        try
        {
            await _socket.SendAsync(Concat(frames, []), cancellation);
        }
        catch (SocketException)
        {
        }
        Abort();
    }

    private static byte[] Concat(IReadOnlyList<byte[]> frames, byte[] last)
    {
        var all = new byte[frames.Sum(f => f.Length) + last.Length];
        int at = 0;
        foreach (var frame in frames.Append(last))
        {
            frame.CopyTo(all, at);
            at += frame.Length;
        }
        return all;
    }

    private static byte[] SyncFrames(string marker) =>
        [.. FrameGenerator.Encode([[.. "DISCARD"u8]]), .. FrameGenerator.Encode([[.. "PING"u8], Encoding.ASCII.GetBytes(marker)])];

    private async Task<SessionEnd> ReadUntilAsync(byte[] marker, CancellationToken cancellation)
    {
        int kept = 0; // the tail of the previous read, so a marker split over two reads is found
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(_buffer.AsMemory(kept), cancellation);
                if (n == 0) return SessionEnd.ClosedByServer;
                var seen = _buffer.AsSpan(0, kept + n);
                ProtocolErrors += Count(seen, ProtocolError, kept);
                if (seen.IndexOf(marker) >= 0) return SessionEnd.Synced;
                kept = Math.Min(seen.Length, 64);
                seen[^kept..].CopyTo(_buffer);
            }
        }
        catch (OperationCanceledException)
        {
            return SessionEnd.Timeout;
        }
        catch (SocketException)
        {
            return SessionEnd.ClosedByServer;
        }
    }

    /// <summary>Occurrences of <paramref name="needle"/> that end after <paramref name="oldBytes"/> (not counted before).</summary>
    private static int Count(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle, int oldBytes)
    {
        int count = 0;
        for (int at = 0; ; )
        {
            int found = haystack[at..].IndexOf(needle);
            if (found < 0) return count;
            at += found + needle.Length;
            if (at > oldBytes) count++;
        }
    }

    /// <summary>Closes with a reset (no TIME_WAIT here), like a client that crashed.</summary>
    public void Abort()
    {
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }
        _socket.Dispose();
    }

    public void Dispose() => Abort();
}
