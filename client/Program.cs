using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrleansLua.Client.Gateway;
using OrleansLua.Client.Telemetry;

// The standalone gateway: an Orleans client process that serves RESP, for deployments that scale
// the front tier apart from the silos. Co-hosting in the silo is the default and ~4× faster.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddCommandLine(args, GatewayServiceCollectionExtensions.SwitchMappings);
int siloGatewayPort = builder.Configuration.GetValue("Orleans:GatewayPort", 30000);
// OpenTelemetry as on the silo (--otlp-endpoint, --metrics-port, --trace-sample-ratio); traces need Orleans' propagation.
bool traces = builder.Services.AddOrleansLuaTelemetry(TelemetryOptions.From(builder.Configuration), "orleanslua-gateway");
builder.UseOrleansClient(client =>
{
    client.UseLocalhostClustering(siloGatewayPort)
        // A script may run for minutes (until SCRIPT KILL); its caller waits, as a Redis client would.
        .Configure<Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(10));
    if (traces) client.AddActivityPropagation();
});
builder.Services.AddRespGateway(builder.Configuration);
await builder.Build().RunAsync();
