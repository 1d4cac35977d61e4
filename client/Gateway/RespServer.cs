using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansLua.Client.Gateway;

/// <summary>The RESP listener: accepts TCP connections and runs a <see cref="RespConnection"/> for each.</summary>
public sealed class RespServer(GatewayContext gateway, ILogger<RespServer> logger) : IHostedService
{
    private Socket? _listener;
    private CancellationTokenSource? _stopping;
    private Task? _acceptLoop;
    private readonly HashSet<Task> _connections = [];

    public int Port => gateway.BoundPort;

    /// <summary>Accepting connections (readiness): from start until stop begins.</summary>
    public bool Listening => _listener is not null && _stopping is { IsCancellationRequested: false };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = gateway.Options;
        var address = options.Bind is "*" or "0.0.0.0" ? IPAddress.Any : IPAddress.Parse(options.Bind);
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(new IPEndPoint(address, options.Port));
        _listener.Listen(512);
        gateway.BoundPort = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _stopping = new CancellationTokenSource();
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
        logger.LogInformation("OrleansLua RESP gateway listening on {Address}:{Port}", address, gateway.BoundPort);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(cancellation);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (cancellation.IsCancellationRequested) break;
                logger.LogWarning(ex, "Accept failed");
                continue;
            }
            socket.NoDelay = true;
            var connection = new RespConnection(socket, gateway, logger);
            var task = Task.Run(() => connection.RunAsync(cancellation), CancellationToken.None);
            lock (_connections) _connections.Add(task);
            _ = task.ContinueWith(t => { lock (_connections) _connections.Remove(t); }, TaskScheduler.Default);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping?.Cancel();
        _listener?.Dispose();
        if (_acceptLoop is not null) await _acceptLoop;
        Task[] open;
        lock (_connections) open = _connections.ToArray();
        await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        logger.LogInformation("OrleansLua RESP gateway on port {Port} stopped", gateway.BoundPort);
    }
}
