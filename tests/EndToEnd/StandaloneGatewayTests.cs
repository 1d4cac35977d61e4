using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansLua.Client.Gateway;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.EndToEnd;

/// <summary>The gateway library hosted outside the silos, on an Orleans client connection.</summary>
[Collection(ClusterCollection.Name)]
public class StandaloneGatewayTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Gateway_on_an_orleans_client_serves_the_cluster_keyspace()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(fixture.Cluster.Client);
        builder.Services.AddSingleton<IGrainFactory>(fixture.Cluster.Client);
        builder.Services.AddRespGateway(configure: o => o.Port = 0);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            int port = host.Services.GetRequiredService<RespServer>().Port;
            var k = "standalone:" + Guid.NewGuid().ToString("N");
            using var viaClient = new RawRespClient(port);
            using var viaSilo = new RawRespClient(fixture.Port);
            Assert.Equal("+OK\r\n", viaClient.Call("SET", k, "x"));
            Assert.Equal("$1\r\nx\r\n", viaSilo.Call("GET", k));
            Assert.Equal(":1\r\n", viaClient.Call("EXISTS", k));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
