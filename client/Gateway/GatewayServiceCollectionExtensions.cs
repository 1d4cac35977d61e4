using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OrleansLua.Client.Telemetry;
using OrleansLua.GrainInterfaces;

namespace OrleansLua.Client.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>Adds the RESP gateway as a hosted service; it needs an <see cref="IGrainFactory"/> (silo or client).</summary>
    public static IServiceCollection AddRespGateway(this IServiceCollection services, IConfiguration? configuration = null,
        Action<GatewayOptions>? configure = null)
    {
        var options = services.AddOptions<GatewayOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(GatewayOptions.Section));
        if (configure is not null) options.Configure(configure);
        services.AddOrleansLuaProcessState();
        services.AddSingleton<ClientRegistry>();
        services.AddSingleton<ServerStats>();
        services.AddSingleton<GatewayContext>();
        services.AddSingleton<RespServer>();
        services.AddSingleton<NodeAgent>();
        services.AddSingleton<SlotMapSubscriber>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SlotMapSubscriber>());
        // the node joins the cluster's node list before the listener starts, and leaves after it stops
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<NodeAgent>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<RespServer>());
        return services;
    }

    /// <summary>Command-line switches the silo and the standalone gateway share (the telemetry ones included).</summary>
    public static readonly Dictionary<string, string> SwitchMappings = new(TelemetryOptions.SwitchMappings)
    {
        ["--port"] = "Gateway:Port",
        ["--bind"] = "Gateway:Bind",
        ["--announce-ip"] = "Gateway:AnnounceIp",
        ["--announce-port"] = "Gateway:AnnouncePort",
        ["--announce-hostname"] = "Gateway:AnnounceHostname",
        ["--cluster-redirects"] = "Gateway:Settings:cluster-redirects",
        // CONFIG parameters on the command line, as redis-server takes them
        ["--requirepass"] = "Gateway:Settings:requirepass",
        ["--protected-mode"] = "Gateway:Settings:protected-mode",
        ["--maxclients"] = "Gateway:Settings:maxclients",
        ["--timeout"] = "Gateway:Settings:timeout",
    };
}
