using Microsoft.Extensions.Configuration;

using OrleansLua.Client.Gateway;
using OrleansLua.Grains;

namespace OrleansLua.Silo;

/// <summary>How a silo is set up from configuration and the command line.</summary>
public static class SiloConfiguration
{
    public static readonly TimeSpan ScriptCallTimeout = TimeSpan.FromMinutes(10);

    public static readonly Dictionary<string, string> SwitchMappings = new(GatewayServiceCollectionExtensions.SwitchMappings)
    {
        ["--silo-port"] = "Orleans:SiloPort",
        ["--gateway-port"] = "Orleans:GatewayPort",
    };

    public static void Configure(ISiloBuilder silo, IConfiguration configuration)
    {
        int siloPort = configuration.GetValue("Orleans:SiloPort", 11111);
        int gatewayPort = configuration.GetValue("Orleans:GatewayPort", 30000);
        silo.UseLocalhostClustering(siloPort, gatewayPort);
        silo.AddOrleansLua(configuration);
    }

    /// <summary>The grains' silo services plus the co-hosted RESP gateway (also used by test clusters).</summary>
    public static ISiloBuilder AddOrleansLua(this ISiloBuilder silo, IConfiguration? configuration = null,
        Action<GatewayOptions>? configureGateway = null)
    {
        // A script may run for minutes (until SCRIPT KILL); its caller waits, as a Redis client would.
        silo.Configure<Orleans.Configuration.SiloMessagingOptions>(o => o.ResponseTimeout = ScriptCallTimeout);
        silo.Services.AddOrleansLuaGrains();
        silo.Services.AddRespGateway(configuration, configureGateway);
        return silo;
    }
}
