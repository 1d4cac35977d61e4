using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrleansLua.Silo;
using OrleansLua.Client.Hosting;

// One OrleansLua silo with the RESP gateway co-hosted (in-silo grain calls are ~4× cheaper than
// calls from a separate client process).
RuntimeTuning.Apply();
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddInMemoryCollection(EnvironmentSettings.FromEnvironment());
builder.Configuration.AddCommandLine(args, SiloConfiguration.SwitchMappings);
// A silo started by hand keeps its data unless told otherwise: in PostgreSQL when given one, else in
// the embedded store under ./data.
builder.Configuration["OrleansLua:Storage"] ??= builder.Configuration["OrleansLua:Postgres"] is { Length: > 0 } ? "postgres" : "local";
LogFilters.Apply(builder.Logging);
SiloConfiguration.AddHealthEndpoints(builder.Services, builder.Configuration);
builder.UseOrleans(silo => SiloConfiguration.Configure(silo, builder.Configuration));
await builder.Build().RunAsync();
