using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrleansLua.Silo;

// One OrleansLua silo with the RESP gateway co-hosted (in-silo grain calls are ~4× cheaper than
// calls from a separate client process).
var builder = Host.CreateApplicationBuilder(args);
// A silo started by hand keeps its data (embedded store under ./data) unless told otherwise.
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OrleansLua:Storage"] = "local" });
builder.Configuration.AddCommandLine(args, SiloConfiguration.SwitchMappings);
builder.UseOrleans(silo => SiloConfiguration.Configure(silo, builder.Configuration));
await builder.Build().RunAsync();
