using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// The RESP listener: accepts TCP connections and runs a <see cref="RespConnection"/> for each.
/// Enforces maxclients and protected mode at accept; once a second closes idle clients and notices
/// clients that left while their commands run long.
/// </summary>
public sealed class RespServer(GatewayContext gateway, ILogger<RespServer> logger) : IHostedService
{
    public const string MaxClientsError = "-ERR max number of clients reached\r\n";

    public const string ProtectedModeError =
        "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. " +
        "In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis " +
        "you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' " +
        "from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not " +
        "publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just " +
        "disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then " +
        "restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
        "4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the " +
        "server to start accepting connections from the outside.\r\n";

    private Socket? _listener;
    private CancellationTokenSource? _stopping;
    private Task? _acceptLoop;
    private Timer? _sweep;
    private readonly HashSet<Task> _connections = [];

    public int Port => gateway.BoundPort;

    /// <summary>Accepting connections (readiness): from start until stop begins.</summary>
    public bool Listening => _listener is not null && _stopping is { IsCancellationRequested: false };

    /// <summary>How long a stopping gateway waits for its connections to finish the commands they read (a script may run long).</summary>
    private static readonly TimeSpan ConnectionsFinish = TimeSpan.FromSeconds(20);

    /// <summary>How long a silo's gateway waits for its node to be in the slot map before it serves anyway.</summary>
    private static readonly TimeSpan JoinWait = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = gateway.Options;
        var address = options.Bind is "*" or "0.0.0.0" ? IPAddress.Any : IPAddress.Parse(options.Bind);
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(new IPEndPoint(address, options.Port));
        _listener.Listen(512);
        gateway.BoundPort = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        // Cluster clients that connect first must find this node in CLUSTER SLOTS: connections wait in the backlog until it joined.
        if (options.JoinsSlotMap)
        {
            try
            {
                await gateway.Joined.WaitAsync(JoinWait, cancellationToken);
            }
            catch (TimeoutException)
            {
                logger.LogWarning("This silo is not in the slot map after {Wait}; the gateway serves anyway (requests are forwarded to the slots' owners)", JoinWait);
            }
        }
        _stopping = new CancellationTokenSource();
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
        _sweep = new Timer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        gateway.Acl.Changed += OnUsersChanged;
        logger.LogInformation("OrleansLua RESP gateway listening on {Address}:{Port}", address, gateway.BoundPort);
        if (!IPAddress.IsLoopback(address) && ProtectedModeApplies)
            logger.LogWarning("Protected mode: no password is set for the default user, so only loopback clients are accepted on {Address}:{Port}. " +
                "Set one (--requirepass, CONFIG SET requirepass or ACL SETUSER default) or turn protected mode off (--protected-mode no)",
                address, gateway.BoundPort);
    }

    /// <summary>Redis's protected mode: on, and the default user needs no password.</summary>
    private bool ProtectedModeApplies => gateway.Settings.ProtectedModeEnabled && !gateway.Acl.AuthRequired;

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
            if (Refusal(socket) is { } refusal)
            {
                gateway.Stats.ConnectionRejected();
                _ = RefuseAsync(socket, refusal);
                continue;
            }
            var connection = new RespConnection(socket, gateway, logger);
            var task = Task.Run(() => connection.RunAsync(cancellation), CancellationToken.None);
            lock (_connections) _connections.Add(task);
            _ = task.ContinueWith(t => { lock (_connections) _connections.Remove(t); }, TaskScheduler.Default);
        }
    }

    private string? Refusal(Socket socket)
    {
        if (gateway.Clients.Count >= gateway.Settings.MaxClientCount) return MaxClientsError;
        if (ProtectedModeApplies && socket.RemoteEndPoint is IPEndPoint remote
            && !IPAddress.IsLoopback(remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address))
            return ProtectedModeError;
        return null;
    }

    /// <summary>Redis writes the error and closes: the client reads it as the reply to its first command.</summary>
    private async Task RefuseAsync(Socket socket, string error)
    {
        try
        {
            using (socket)
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes(error), SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(1));
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or TimeoutException)
        {
            // the client went away first
        }
    }

    /// <summary>Once a second: idle clients, and clients that left while their commands run long.</summary>
    private void Sweep()
    {
        CloseIdleClients();
        var threshold = TimeSpan.FromMilliseconds(gateway.Settings.BusyReplyThresholdMs);
        foreach (var session in gateway.Clients.All)
            if (session.Executing && session.ExecutingFor >= threshold) session.CheckGone?.Invoke();
    }

    /// <summary>timeout: normal clients idle that long are closed; blocked and subscribed clients are not, as in Redis.</summary>
    private void CloseIdleClients()
    {
        long seconds = gateway.Settings.IdleTimeoutSeconds;
        if (seconds <= 0) return;
        var now = DateTime.UtcNow;
        foreach (var session in gateway.Clients.All)
        {
            if (session.Executing || session.Blocked || session.IsPubSub || (now - session.LastInteraction).TotalSeconds <= seconds) continue;
            logger.LogDebug("Closing connection {Id}: idle for more than {Seconds} s", session.Id, seconds);
            session.Kill?.Invoke();
        }
    }

    /// <summary>
    /// ACL changes anywhere in the cluster: a deleted user's connections here are closed, and a
    /// subscriber whose user lost one of its channels is disconnected, as in Redis.
    /// </summary>
    private void OnUsersChanged(IReadOnlyCollection<string> deleted)
    {
        foreach (var session in gateway.Clients.All)
        {
            if (deleted.Contains(session.User.Name)) session.Kill?.Invoke();
            else if (session.IsPubSub) session.CheckSubscriptions?.Invoke();
        }
    }

    /// <summary>
    /// A silo's gateway keeps serving while its slots move away (clients are forwarded, or with cluster-redirects
    /// get MOVED and learn the new owners); then it stops reading, lets every connection finish the commands it
    /// read and reply, and closes. A command that got no reply was not executed, so a client may resend it.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (gateway.Leaving is { } leaving)
        {
            try
            {
                await leaving.WaitAsync(cancellationToken);
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Stopping the gateway without waiting for the slots to move");
            }
        }
        gateway.Acl.Changed -= OnUsersChanged;
        if (_sweep is not null) await _sweep.DisposeAsync();
        _stopping?.Cancel();
        _listener?.Dispose();
        if (_acceptLoop is not null) await _acceptLoop;
        Task[] open;
        lock (_connections) open = _connections.ToArray();
        await Task.WhenAll(open).WaitAsync(ConnectionsFinish, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        logger.LogInformation("OrleansLua RESP gateway on port {Port} stopped", gateway.BoundPort);
    }
}
