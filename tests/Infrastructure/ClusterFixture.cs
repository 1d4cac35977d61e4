using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansLua.Client.Gateway;
using OrleansLua.Silo;
using Xunit;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>
/// A real 2-silo Orleans cluster (TestingHost, in-process) with the RESP gateway co-hosted in each
/// silo on its own loopback port. Shared by every end-to-end test class.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;
    /// <summary>Gateway ports, one per silo.</summary>
    public int[] Ports { get; private set; } = [];
    public int Port => Ports[0];

    /// <summary>A silo-level service of every silo (they run in this process, each with its own container).</summary>
    public IEnumerable<T> SiloServices<T>() where T : notnull =>
        Cluster.Silos.Select(s => ((InProcessSiloHandle)s).SiloHost.Services.GetRequiredService<T>());

    public async Task InitializeAsync() => (Cluster, Ports) = await DeployAsync<GatewaySiloConfigurator>();

    /// <summary>Starts two in-process silos configured by <typeparamref name="TConfigurator"/>; returns them with their gateways' ports.</summary>
    public static async Task<(TestCluster Cluster, int[] Ports)> DeployAsync<TConfigurator>() where TConfigurator : ISiloConfigurator, new()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<TConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var ports = cluster.Silos
            .Select(s => ((InProcessSiloHandle)s).SiloHost.Services.GetRequiredService<RespServer>().Port)
            .ToArray();
        return (cluster, ports);
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class GatewaySiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddOrleansLua(configureGateway: o => o.Port = 0);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
