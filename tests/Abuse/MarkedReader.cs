using System.Net.Sockets;
using System.Text;
using OrleansLua.Tests.Infrastructure;

namespace OrleansLua.Tests.Abuse;

/// <summary>
/// Sends a request followed by <c>PING</c> and returns every byte before the <c>+PONG</c>: for
/// replies that <see cref="RawRespClient"/>'s recursive reader should not walk (thousands of levels
/// deep) and for checking byte-exact what the server wrote, whatever it is.
/// </summary>
internal sealed class MarkedReader(int port) : IDisposable
{
    private static readonly byte[] Pong = "+PONG\r\n"u8.ToArray();
    private readonly TcpClient _tcp = new("127.0.0.1", port) { NoDelay = true, ReceiveTimeout = 30_000 };

    public string Call(params object[] command) => Encoding.Latin1.GetString(CallBytes(command));

    public byte[] CallBytes(params object[] command)
    {
        var stream = _tcp.GetStream();
        stream.Write([.. RawRespClient.Encode(command), .. RawRespClient.Encode("PING")]);
        var received = new MemoryStream();
        var buffer = new byte[1 << 20];
        while (received.Length < Pong.Length || !received.GetBuffer().AsSpan(0, (int)received.Length).EndsWith(Pong))
        {
            int n = stream.Read(buffer);
            if (n == 0) throw new IOException("connection closed by server");
            received.Write(buffer, 0, n);
        }
        return received.GetBuffer().AsSpan(0, (int)received.Length - Pong.Length).ToArray();
    }

    public void Dispose() => _tcp.Dispose();
}
