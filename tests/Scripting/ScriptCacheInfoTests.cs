using OrleansLua.Tests.Infrastructure;
using static OrleansLua.Tests.Infrastructure.InfoText;
using Xunit;

namespace OrleansLua.Tests.Scripting;

/// <summary>INFO memory's number_of_cached_scripts: the scripts the cluster's registry knows, the same through every gateway.</summary>
[Collection(ClusterCollection.Name)]
public class ScriptCacheInfoTests(ClusterFixture fixture)
{
    [Fact]
    public void Number_of_cached_scripts_counts_the_clusters_scripts_until_script_flush_async()
    {
        using var a = new RawRespClient(fixture.Ports[0]);
        using var b = new RawRespClient(fixture.Ports[1]);
        Assert.Equal("+OK\r\n", a.Call("SCRIPT", "FLUSH"));
        Assert.Equal("0", Field(a.Call("INFO", "memory"), "number_of_cached_scripts"));
        var run = Guid.NewGuid().ToString("N");
        for (int j = 0; j < 100; j++) a.Call("SCRIPT", "LOAD", $"return '{run}' .. {j}");
        Assert.Equal("100", Field(a.Call("INFO", "Memory"), "number_of_cached_scripts"));
        Assert.Equal("$6\r\nabc101\r\n", b.Call("EVAL", $"return 'abc' .. 101 -- {run}", "0"));
        Assert.Equal("101", Field(b.Call("INFO", "memory"), "number_of_cached_scripts"));
        Assert.Equal("+OK\r\n", b.Call("SCRIPT", "FLUSH", "ASYNC"));
        Assert.Equal("0", Field(a.Call("INFO", "memory"), "number_of_cached_scripts"));
    }
}
