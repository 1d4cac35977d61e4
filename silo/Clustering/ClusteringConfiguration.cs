using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace OrleansLua.Silo.Clustering;

/// <summary>How silos find each other: localhost (one machine, development) or PostgreSQL membership.</summary>
public static class ClusteringConfiguration
{
    /// <summary>
    /// "localhost" or "postgres": --clustering (OrleansLua:Clustering), by default postgres when a connection
    /// string is given. (Not under "Orleans:Clustering": Orleans reads any value there as a provider section
    /// and fails with "Could not find Clustering provider named 'Default'".)
    /// </summary>
    public static string Mode(IConfiguration configuration) =>
        configuration["OrleansLua:Clustering"] is { Length: > 0 } mode ? mode.ToLowerInvariant()
        : string.IsNullOrWhiteSpace(configuration["OrleansLua:Postgres"]) ? "localhost" : "postgres";

    public static ISiloBuilder UseOrleansLuaClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        int siloPort = configuration.GetValue("Orleans:SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        int gatewayPort = configuration.GetValue("Orleans:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
        string? postgres = configuration["OrleansLua:Postgres"];
        string mode = Mode(configuration);
        switch (mode)
        {
            case "localhost":
                return silo.UseLocalhostClustering(siloPort, gatewayPort);
            case "postgres":
                if (string.IsNullOrWhiteSpace(postgres))
                    throw new InvalidOperationException("--clustering postgres needs --postgres \"Host=…;Port=…;Username=…;Database=…\" (OrleansLua:Postgres)");
                return silo.UsePostgresClustering(configuration, postgres, siloPort, gatewayPort);
            default:
                throw new InvalidOperationException($"Unknown --clustering '{mode}': use 'localhost' or 'postgres'");
        }
    }

    private static ISiloBuilder UsePostgresClustering(this ISiloBuilder silo, IConfiguration configuration, string connectionString,
        int siloPort, int gatewayPort)
    {
        var advertised = configuration["Orleans:AdvertisedIP"] is { Length: > 0 } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new PostgresClusteringSchema(connectionString, sp.GetRequiredService<ILogger<PostgresClusteringSchema>>()));
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = configuration["Orleans:ClusterId"] is { Length: > 0 } c ? c : "orleanslua";
            o.ServiceId = configuration["Orleans:ServiceId"] is { Length: > 0 } s ? s : "orleanslua";
        });
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
