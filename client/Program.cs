using Microsoft.Extensions.Hosting;
using OrleansLua.Client.Hosting;

// The standalone gateway: an Orleans client process that serves RESP (see StandaloneGateway).
RuntimeTuning.Apply();
var builder = Host.CreateApplicationBuilder(args);
LogFilters.Apply(builder.Logging);
StandaloneGateway.Configure(builder, args);
await builder.Build().RunAsync();
