using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
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
        services.TryAddSingleton<ServerSettings>();
        services.AddSingleton<ClientRegistry>();
        services.AddSingleton<ServerStats>();
        services.AddSingleton<GatewayContext>();
        services.AddSingleton<RespServer>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<RespServer>());
        return services;
    }

    /// <summary>Command-line switches the silo and the standalone gateway share.</summary>
    public static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--port"] = "Gateway:Port",
        ["--bind"] = "Gateway:Bind",
    };
}
