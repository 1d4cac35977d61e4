using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansLua.Client.Gateway;
using OrleansLua.Grains.Persistence;
using OrleansLua.Silo;

namespace OrleansLua.Tests.Persistence;

/// <summary>
/// A one-silo in-process cluster on durable storage. Several can be started one after another on the
/// same data directory (or database) to check what survives a restart.
/// </summary>
public sealed class DurableCluster : IAsyncDisposable
{
    private readonly TestCluster _cluster;

    private DurableCluster(TestCluster cluster, int port) => (_cluster, Port) = (cluster, port);

    public int Port { get; }

    /// <summary>The silo's storage writer (its group-commit counters, say).</summary>
    public SlotWriter Writer => ((InProcessSiloHandle)_cluster.Primary!).SiloHost.Services.GetRequiredService<SlotWriter>();

    public static async Task<DurableCluster> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = new TestClusterBuilder(1);
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(settings));
        builder.AddSiloBuilderConfigurator<Configurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var port = ((InProcessSiloHandle)cluster.Primary!).SiloHost.Services.GetRequiredService<RespServer>().Port;
        return new DurableCluster(cluster, port);
    }

    public static Dictionary<string, string?> Local(string dataDir, string appendFsync = "always") => new()
    {
        ["OrleansLua:Storage"] = "local",
        ["OrleansLua:DataDir"] = dataDir,
        ["OrleansLua:AppendFsync"] = appendFsync,
    };

    /// <summary>Graceful stop: slots deactivate and flush, then storage closes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddOrleansLua(silo.Configuration, o => o.Port = 0);
    }
}
