using System.Net.Sockets;
using System.Text;
using OrleansLua.Protocol;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>
/// A bare RESP client over TCP that returns each reply exactly as the server sent it, so tests
/// can assert the bytes on the wire (types, nulls, RESP2 vs RESP3).
/// </summary>
public sealed class RawRespClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    public RawRespClient(int port) : this("127.0.0.1", port)
    {
    }

    public RawRespClient(string host, int port)
    {
        _tcp = new TcpClient(host, port) { NoDelay = true };
        _stream = _tcp.GetStream();
        _stream.ReadTimeout = 10_000;
    }

    public static byte[] Encode(params object[] args)
    {
        var ms = new MemoryStream();
        void Write(string s) { var b = Encoding.UTF8.GetBytes(s); ms.Write(b); }
        Write($"*{args.Length}\r\n");
        foreach (var arg in args)
        {
            var bytes = arg as byte[] ?? Encoding.UTF8.GetBytes(Convert.ToString(arg, System.Globalization.CultureInfo.InvariantCulture)!);
            Write($"${bytes.Length}\r\n");
            ms.Write(bytes);
            Write("\r\n");
        }
        return ms.ToArray();
    }

    /// <summary>Sends one command and returns its raw reply text.</summary>
    public string Call(params object[] args)
    {
        SendRaw(Encode(args));
        return ReadReply();
    }

    public byte[] CallBytes(params object[] args)
    {
        SendRaw(Encode(args));
        return ReadReplyBytes();
    }

    public void SendRaw(byte[] bytes) => _stream.Write(bytes);
    public void SendRaw(string text) => SendRaw(Encoding.UTF8.GetBytes(text));

    /// <summary>Reads exactly one reply (any type, nested) and returns it as text.</summary>
    public string ReadReply() => Encoding.UTF8.GetString(ReadReplyBytes());

    public byte[] ReadReplyBytes()
    {
        while (true)
        {
            if (_end > _start)
            {
                try
                {
                    int length = RespReplyReader.Skip(_buffer.AsSpan(_start, _end - _start), 0);
                    if (length <= _end - _start)
                    {
                        var reply = _buffer.AsSpan(_start, length).ToArray();
                        _start += length;
                        return reply;
                    }
                }
                catch (Exception ex) when (ex is ArgumentOutOfRangeException or IndexOutOfRangeException or FormatException)
                {
                    // incomplete: read more
                }
            }
            if (_end == _buffer.Length)
            {
                if (_start > 0)
                {
                    Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                else Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) throw new IOException("connection closed by server");
            _end += n;
        }
    }

    /// <summary>True when the server has closed the connection (end of stream or a reset) within the read timeout; false if it stays open.</summary>
    public bool IsClosedByServer()
    {
        try
        {
            return _stream.Read(new byte[1], 0, 1) == 0;
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut })
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public int ReadTimeoutMs
    {
        get => _stream.ReadTimeout;
        set => _stream.ReadTimeout = value;
    }

    public void Dispose() => _tcp.Dispose();
}
