using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansLua.Fuzz;

/// <summary>
/// A well-behaved client next to the fuzzing ones. A check is PING → +PONG, GET of the canary set
/// at the start → its exact value, and SET/GET of a fresh value round-tripping, each within the
/// time limit. Any other answer, a timeout or a lost connection is a failure (and the next check
/// opens a new connection).
/// </summary>
public sealed class Bystander(IPEndPoint server, string canaryKey, TimeSpan timeout) : IDisposable
{
    private readonly string _canaryValue = $"canary-{Guid.NewGuid():N}";
    private Socket? _socket;
    private readonly byte[] _buffer = new byte[4096];
    private int _checks;

    public int Checks => _checks;
    public int Failures { get; private set; }
    public string? FirstFailure { get; private set; }

    /// <summary>Sets the canary; a failure here means the server is not usable at all.</summary>
    public async Task SetUpAsync(CancellationToken cancellation)
    {
        string? failure = await ExchangeAsync(["SET", canaryKey, _canaryValue], "+OK\r\n", cancellation);
        if (failure is not null) throw new IOException($"cannot set the canary key: {failure}");
    }

    public async Task<bool> CheckAsync(CancellationToken cancellation)
    {
        _checks++;
        string fresh = $"v{_checks}-{Random.Shared.Next()}";
        string? failure =
            await ExchangeAsync(["PING"], "+PONG\r\n", cancellation)
            ?? await ExchangeAsync(["GET", canaryKey], Bulk(_canaryValue), cancellation)
            ?? await ExchangeAsync(["SET", canaryKey + ":rw", fresh], "+OK\r\n", cancellation)
            ?? await ExchangeAsync(["GET", canaryKey + ":rw"], Bulk(fresh), cancellation);
        if (failure is null) return true;
        Failures++;
        FirstFailure ??= $"check {_checks}: {failure}";
        _socket?.Dispose();
        _socket = null;
        return false;
    }

    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    /// <returns>null when the reply is exactly <paramref name="expected"/>, else what went wrong.</returns>
    private async Task<string?> ExchangeAsync(string[] command, string expected, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(timeout);
        var want = Encoding.ASCII.GetBytes(expected);
        int got = 0;
        try
        {
            if (_socket is null)
            {
                _socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await _socket.ConnectAsync(server, deadline.Token);
            }
            await _socket.SendAsync(FrameGenerator.Encode(command.Select(Encoding.ASCII.GetBytes).ToArray()), deadline.Token);
            while (got < want.Length)
            {
                int n = await _socket.ReceiveAsync(_buffer.AsMemory(got, want.Length - got), deadline.Token);
                if (n == 0) return $"{command[0]}: connection closed by the server";
                got += n;
            }
            return _buffer.AsSpan(0, got).SequenceEqual(want)
                ? null
                : $"{command[0]}: expected {Escape(want)}, got {Escape(_buffer.AsSpan(0, got))}";
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return $"{command[0]}: no complete reply within {timeout.TotalSeconds:0.#} s (got {Escape(_buffer.AsSpan(0, got))})";
        }
        catch (SocketException ex)
        {
            return $"{command[0]}: {ex.Message}";
        }
    }

    private static string Escape(ReadOnlySpan<byte> bytes) =>
        Encoding.ASCII.GetString(bytes).Replace("\r", "\\r").Replace("\n", "\\n");

    public void Dispose() => _socket?.Dispose();
}
