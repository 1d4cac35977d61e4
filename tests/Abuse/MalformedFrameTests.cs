using System.Net.Sockets;
using System.Text;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Abuse;

/// <summary>
/// Malformed frames the differential fuzzing found answered differently from redis-server 7.0.15;
/// the expected bytes are Redis's. Redis ends a multibulk header line at the first '\r' and skips
/// the byte after it unseen, finds lines with strchr (a NUL means no line yet), and writes the
/// offending byte of "expected '$'" raw.
/// </summary>
[Collection(ClusterCollection.Name)]
public class MalformedFrameTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData("*2\r$4\r\npttl\r\n$2\r\n38\r\n", "-ERR Protocol error: expected '$', got '4'\r\n")]
    [InlineData("*1\r\n$4\nping\r\n", "-ERR Protocol error: invalid bulk length\r\n")]
    [InlineData("*1\r\n\r\n", "-ERR Protocol error: expected '$', got ' '\r\n")]
    [InlineData("*1\r\n\u00a4\r\n", "-ERR Protocol error: expected '$', got '\u00a4'\r\n")]
    public void Broken_headers_get_redis_error_bytes_and_close(string frame, string expected)
    {
        using var c = new Raw(fixture.Port);
        c.Send(Encoding.Latin1.GetBytes(frame));
        Assert.Equal(expected, c.ReadUntilClosed());
    }

    [Fact]
    public void The_byte_after_a_header_cr_is_skipped_whatever_it_is()
    {
        string key = "abuse:hkeys:" + Guid.NewGuid().ToString("N");
        using var c = new Raw(fixture.Port);
        c.Send(Encoding.Latin1.GetBytes($"*2\rJ$5\r\nhkeys\r\n${key.Length}\r\n{key}\r\nPING\r\n"));
        Assert.Equal("*0\r\n+PONG\r\n", c.ReadAtLeast(11));
    }

    [Theory]
    [InlineData("*1\r\nx")]          // the '$' is checked once its line is complete
    [InlineData("PI\0NG\r\nPING\r\n")] // strchr stops at the NUL: no line yet
    public void Frames_redis_waits_on_get_no_reply(string frame)
    {
        using var c = new Raw(fixture.Port);
        c.Send(Encoding.Latin1.GetBytes(frame));
        Assert.Equal("", c.ReadFor(TimeSpan.FromMilliseconds(500)));
    }

    private sealed class Raw(int port) : IDisposable
    {
        private readonly Socket _socket = Connect(port);

        private static Socket Connect(int port)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 10_000 };
            s.Connect("127.0.0.1", port);
            return s;
        }

        public void Send(byte[] bytes) => _socket.Send(bytes);

        public string ReadUntilClosed()
        {
            var all = new MemoryStream();
            var buffer = new byte[4096];
            for (int n; (n = _socket.Receive(buffer)) > 0;) all.Write(buffer, 0, n);
            return Encoding.Latin1.GetString(all.ToArray());
        }

        public string ReadAtLeast(int count)
        {
            var all = new MemoryStream();
            var buffer = new byte[4096];
            while (all.Length < count)
            {
                int n = _socket.Receive(buffer);
                if (n == 0) break;
                all.Write(buffer, 0, n);
            }
            return Encoding.Latin1.GetString(all.ToArray());
        }

        public string ReadFor(TimeSpan time)
        {
            _socket.ReceiveTimeout = (int)time.TotalMilliseconds;
            var buffer = new byte[4096];
            try
            {
                int n = _socket.Receive(buffer);
                return n == 0 ? "<closed>" : Encoding.Latin1.GetString(buffer, 0, n);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                return "";
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
