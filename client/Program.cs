using Microsoft.Extensions.Hosting;
using OrleansLua.Client.Hosting;

// The standalone gateway: an Orleans client process that serves RESP (see StandaloneGateway).
var builder = Host.CreateApplicationBuilder(args);
StandaloneGateway.Configure(builder, args);
await builder.Build().RunAsync();
