using Orleans.TestingHost;
using OrleansLua.Silo;
using Xunit;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>
/// A real 2-silo cluster whose gateways were started with <c>--requirepass</c> (<see cref="Password"/>):
/// for AUTH, ACL, CONFIG and INFO tests that change cluster-wide state without disturbing the shared
/// <see cref="ClusterFixture"/>. Tests restore what they change.
/// </summary>
public sealed class SecureClusterFixture : IAsyncLifetime
{
    public const string Password = "s3cret-pass";

    public TestCluster Cluster { get; private set; } = null!;
    public int[] Ports { get; private set; } = [];

    public async Task InitializeAsync() => (Cluster, Ports) = await ClusterFixture.DeployAsync<Configurator>();

    /// <summary>A raw client on gateway <paramref name="gateway"/>, authenticated as the default user.</summary>
    public RawRespClient Admin(int gateway = 0)
    {
        var client = new RawRespClient(Ports[gateway]);
        Assert.Equal("+OK\r\n", client.Call("AUTH", Password));
        return client;
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddOrleansLua(configureGateway: o =>
            {
                o.Port = 0;
                o.Settings["requirepass"] = Password;
            });
    }
}

[CollectionDefinition(Name)]
public sealed class SecureClusterCollection : ICollectionFixture<SecureClusterFixture>
{
    public const string Name = "secure cluster";
}
