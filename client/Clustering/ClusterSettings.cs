using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace OrleansLua.Client.Clustering;

/// <summary>
/// How a process finds the cluster — localhost (one machine, development) or PostgreSQL membership — read
/// the same way by silos and by the standalone gateway, so both join the same cluster from the same settings.
/// </summary>
public static class ClusterSettings
{
    /// <summary>The ADO.NET invariant of Npgsql, as Orleans' ADO.NET clustering names providers.</summary>
    public const string PostgresInvariant = "Npgsql";

    public const string DefaultClusterId = "orleanslua", DefaultServiceId = "orleanslua";

    /// <summary>Switches silos and the standalone gateway share (--gateway-port: the silos' Orleans gateway port).</summary>
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["--gateway-port"] = "Orleans:GatewayPort",
        ["--cluster-id"] = "Orleans:ClusterId",
        ["--service-id"] = "Orleans:ServiceId",
        ["--clustering"] = "OrleansLua:Clustering",
        ["--postgres"] = "OrleansLua:Postgres",
    };

    /// <summary>
    /// "localhost" or "postgres": --clustering (OrleansLua:Clustering), by default postgres when a connection
    /// string is given. (Not under "Orleans:Clustering": Orleans reads any value there as a provider section
    /// and fails with "Could not find Clustering provider named 'Default'".)
    /// </summary>
    public static string Mode(IConfiguration configuration)
    {
        var mode = configuration["OrleansLua:Clustering"] is { Length: > 0 } given ? given.ToLowerInvariant()
            : Postgres(configuration) is null ? "localhost" : "postgres";
        return mode is "localhost" or "postgres" ? mode
            : throw new InvalidOperationException($"Unknown --clustering '{mode}': use 'localhost' or 'postgres'");
    }

    /// <summary>--postgres with the project's timeouts (<see cref="PostgresConnection"/>); null when not given.</summary>
    public static string? Postgres(IConfiguration configuration) =>
        configuration["OrleansLua:Postgres"] is { } connectionString && !string.IsNullOrWhiteSpace(connectionString)
            ? PostgresConnection.WithTimeouts(connectionString) : null;

    /// <summary>The PostgreSQL connection string postgres clustering needs, or a message that says how to give one.</summary>
    public static string RequirePostgres(IConfiguration configuration) => Postgres(configuration)
        ?? throw new InvalidOperationException("--clustering postgres needs --postgres \"Host=…;Port=…;Username=…;Database=…\" (OrleansLua:Postgres)");

    /// <summary>--cluster-id and --service-id (ORLEANS_CLUSTER_ID / ORLEANS_SERVICE_ID in containers).</summary>
    public static void ConfigureIds(ClusterOptions options, IConfiguration configuration)
    {
        options.ClusterId = configuration["Orleans:ClusterId"] is { Length: > 0 } c ? c : DefaultClusterId;
        options.ServiceId = configuration["Orleans:ServiceId"] is { Length: > 0 } s ? s : DefaultServiceId;
    }

    /// <summary>Orleans' default (EndpointOptions.DEFAULT_GATEWAY_PORT, a server-side type).</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>--gateway-port: the silos' Orleans gateway port (localhost clustering: where the gateway connects).</summary>
    public static int GatewayPort(IConfiguration configuration) => configuration.GetValue("Orleans:GatewayPort", DefaultGatewayPort);
}
