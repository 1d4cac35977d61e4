using Orleans.TestingHost;
using OrleansLua.Silo;
using Xunit;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>
/// A test class whose every test gets its own two in-process silos (co-hosted gateways on free ports), so a
/// test may add, stop or move things without disturbing others.
/// </summary>
public abstract class TwoSiloClusterTest : IAsyncLifetime
{
    protected TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<Configurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddOrleansLua(configureGateway: o => o.Port = 0);
    }
}
