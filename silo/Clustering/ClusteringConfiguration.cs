using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansLua.Client.Clustering;

namespace OrleansLua.Silo.Clustering;

/// <summary>
/// How silos find each other: localhost (one machine, development) or PostgreSQL membership, from the
/// settings silos and the standalone gateway share (<see cref="ClusterSettings"/>); tuned for fast failover.
/// </summary>
public static class ClusteringConfiguration
{
    public static ISiloBuilder UseOrleansLuaClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        int siloPort = configuration.GetValue("Orleans:SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        int gatewayPort = ClusterSettings.GatewayPort(configuration);
        return ClusterSettings.Mode(configuration) == "localhost"
            ? silo.UseLocalhostClustering(siloPort, gatewayPort)
            : silo.UsePostgresClustering(configuration, ClusterSettings.RequirePostgres(configuration), siloPort, gatewayPort);
    }

    private static ISiloBuilder UsePostgresClustering(this ISiloBuilder silo, IConfiguration configuration, string connectionString,
        int siloPort, int gatewayPort)
    {
        var advertised = configuration["Orleans:AdvertisedIP"] is { Length: > 0 } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;
        silo.Services.AddHostedService(sp =>
            new PostgresClusteringSchema(connectionString, sp.GetRequiredService<ILogger<PostgresClusteringSchema>>()));
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = ClusterSettings.PostgresInvariant;
            o.ConnectionString = connectionString;
        });
        silo.Configure<ClusterOptions>(o => ClusterSettings.ConfigureIds(o, configuration));
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = advertised;
            o.SiloPort = siloPort;
            o.GatewayPort = gatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, siloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, gatewayPort);
        });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            // A kill -9'd silo is declared dead in ~1.5 s instead of ~12 s (measured, FACTS.md): its slots
            // move and the gateways' retries succeed well within their budget.
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 3;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            // Heartbeats every 5 s: an Active row silent for 15 s (a whole cluster killed) counts as stale,
            // so a restarted cluster does not wait on its predecessors' rows.
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            o.NumMissedTableIAmAliveLimit = 3;
            // Dead rows of restarted silos are removed after a day instead of a week.
            o.DefunctSiloExpiration = TimeSpan.FromDays(1);
            o.DefunctSiloCleanupPeriod = TimeSpan.FromHours(1);
        });
        return silo;
    }
}
