using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrleansLua.Client.Clustering;
using OrleansLua.Client.Gateway;
using OrleansLua.Client.Telemetry;

namespace OrleansLua.Client.Hosting;

/// <summary>
/// The standalone gateway (client/Program.cs): an Orleans client process that serves RESP, for deployments that
/// scale the front tier apart from the silos. It finds the silos with their own clustering settings
/// (<see cref="ClusterSettings"/>: --clustering, --postgres, --cluster-id, …, or the same environment variables).
/// Co-hosting in the silo is the default and ~4× faster.
/// </summary>
public static class StandaloneGateway
{
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings =
        GatewayServiceCollectionExtensions.SwitchMappings.Concat(ClusterSettings.SwitchMappings).ToDictionary();

    /// <summary>A script may run for minutes (until SCRIPT KILL); its caller waits, as a Redis client would.</summary>
    public static readonly TimeSpan ScriptCallTimeout = TimeSpan.FromMinutes(10);

    public static void Configure(HostApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddInMemoryCollection(EnvironmentSettings.FromEnvironment());
        builder.Configuration.AddCommandLine(args, SwitchMappings.ToDictionary());
        // OpenTelemetry as on the silo (--otlp-endpoint, --metrics-port, --trace-sample-ratio); traces need Orleans' propagation.
        bool traces = builder.Services.AddOrleansLuaTelemetry(TelemetryOptions.From(builder.Configuration), "orleanslua-gateway");
        builder.UseOrleansClient(client =>
        {
            client.UseOrleansLuaClustering(builder.Configuration)
                .Configure<Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = ScriptCallTimeout);
            if (traces) client.AddActivityPropagation();
        });
        builder.Services.AddRespGateway(builder.Configuration, gateway => gateway.BoundCalls = true);
    }
}
