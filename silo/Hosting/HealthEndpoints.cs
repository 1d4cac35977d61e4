using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansLua.Client.Gateway;

namespace OrleansLua.Silo.Hosting;

/// <summary>
/// HTTP probes for orchestrators on <c>--health-port</c>: <c>/health/live</c> answers 200 while the process
/// serves requests at all (also while it starts and drains); <c>/health/started</c> answers 503 until the silo
/// has become active with its RESP gateway listening (every slot with stored keys loaded), then 200 for good;
/// <c>/health/ready</c> answers 200 only while the silo is active and the gateway listening, and 503 from the
/// moment shutdown begins, so a load balancer stops sending new clients before the silo drains.
/// </summary>
public sealed class HealthEndpoints(HealthOptions options, RespServer gateway, IHostApplicationLifetime lifetime, ILogger<HealthEndpoints> logger)
    : IHostedLifecycleService, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly HttpListener _listener = new();
    private volatile bool _siloActive, _stopping, _started;
    private Task? _serving;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(HealthEndpoints), ServiceLifecycleStage.Active,
        _ => { _siloActive = true; return Task.CompletedTask; },
        _ => { _siloActive = false; return Task.CompletedTask; });

    public bool Ready => _siloActive && !_stopping && gateway.Listening;

    /// <summary>Ready once; stays true through drain (a startup probe only runs until it first succeeds).</summary>
    public bool Started => _started || (_started = _siloActive && gateway.Listening);

    /// <summary>
    /// Listens from the host's first start step (before any hosted service starts, e.g. while the silo waits for
    /// PostgreSQL) to its last stop step (after the silo has drained): liveness answers throughout.
    /// </summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // SIGTERM: not ready at once, while the gateway and the silo drain.
        lifetime.ApplicationStopping.Register(() => _stopping = true);
        int port = options.Port;
        _listener.Prefixes.Add($"http://+:{port}/health/");
        _listener.Start();
        _serving = Task.Run(ServeAsync, CancellationToken.None);
        logger.LogInformation("Health endpoints on http://*:{Port}/health/live, /health/started and /health/ready", port);
        return Task.CompletedTask;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }
            var (status, body) = context.Request.Url?.AbsolutePath.TrimEnd('/') switch
            {
                "/health/live" => (200, "live"),
                "/health/started" => Started ? (200, "started") : (503, _siloActive ? "gateway not listening" : "starting"),
                "/health/ready" => Ready ? (200, "ready") : (503, _stopping ? "shutting down" : _siloActive ? "gateway not listening" : "silo not active"),
                _ => (404, "not found"),
            };
            context.Response.StatusCode = status;
            var bytes = Encoding.UTF8.GetBytes(body + "\n");
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength64 = bytes.Length;
            try
            {
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
            {
                // the prober went away
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        _siloActive = false;
        _listener.Stop();
        _listener.Close();
        if (_serving is not null) await _serving;
    }
}

/// <summary>--health-port: where the probes listen (off when 0).</summary>
public sealed record HealthOptions(int Port);
