using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace OrleansLua.Client.Clustering;

/// <summary>How the standalone gateway (an Orleans client) finds the silos: the silos' own clustering settings.</summary>
public static class ClientClustering
{
    /// <summary>How often the client re-reads the membership table for gateways (Orleans' default: 1 minute), so new silos get traffic soon.</summary>
    public static readonly TimeSpan GatewayListRefresh = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromSeconds(1);

    public static IClientBuilder UseOrleansLuaClustering(this IClientBuilder client, IConfiguration configuration)
    {
        if (ClusterSettings.Mode(configuration) == "localhost")
            client.UseLocalhostClustering(ClusterSettings.GatewayPort(configuration));
        else
        {
            var connectionString = ClusterSettings.RequirePostgres(configuration);
            // The gateway may reach a new database before any silo: it applies the (idempotent) schema itself.
            client.Services.AddHostedService(sp => new PostgresClusteringSchema(connectionString, sp.GetRequiredService<ILogger<PostgresClusteringSchema>>()));
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = ClusterSettings.PostgresInvariant;
                o.ConnectionString = connectionString;
            });
            client.Configure<ClusterOptions>(o => ClusterSettings.ConfigureIds(o, configuration));
            client.Configure<Orleans.Configuration.GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefresh);
        }
        // No silo up yet (a Deployment's pods start in any order): keep trying instead of exiting. The RESP
        // port opens only once connected, so probes on it say whether this gateway can serve.
        client.Services.AddSingleton<IClientConnectionRetryFilter, RetryUntilConnected>();
        return client;
    }

    private sealed class RetryUntilConnected(ILogger<RetryUntilConnected> logger) : IClientConnectionRetryFilter
    {
        private int _attempts;

        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            if (_attempts++ % 10 == 0)
                logger.LogWarning("No connection to the cluster yet (attempt {Attempt}: {Type}: {Message}); retrying every {Delay} s",
                    _attempts, exception.GetType().Name, exception.Message.Split('\n')[0], ConnectRetryDelay.TotalSeconds);
            await Task.Delay(ConnectRetryDelay, cancellationToken);
            return true;
        }
    }
}
