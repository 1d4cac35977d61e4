using System.Text;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Abuse;

/// <summary>
/// Script results nested far deeper than a recursive converter survives, or far larger than the
/// script's memory. The expected bytes are what redis-server 7.0.15 writes for the same scripts
/// (recorded side by side), except for the shared-table case, where Redis writes until it runs out
/// of memory.
/// </summary>
[Collection(ClusterCollection.Name)]
public class NestedScriptReplyTests(ClusterFixture fixture)
{
    private const string StackLimit = "-ERR reached lua stack limit\r\n";

    private static string Repeat(string s, int times) => new StringBuilder(s.Length * times).Insert(0, s, times).ToString();

    [Theory]
    // Redis's converter needs lua_checkstack(4) per value, refused past 8000 slots: 7995 arrays deep
    [InlineData("local t = {} for i = 1, 10000 do t = {t} end return t", 7995)]
    // a table that contains itself nests until the same limit
    [InlineData("local a = {} a[1] = a return a", 7995)]
    public void Deep_arrays_end_in_redis_stack_limit_error(string script, int depth)
    {
        using var c = new MarkedReader(fixture.Port);
        Assert.Equal(Repeat("*1\r\n", depth) + StackLimit, c.Call("EVAL", script, "0"));
    }

    [Fact]
    public void Nesting_just_inside_the_limit_is_written_whole()
    {
        using var c = new MarkedReader(fixture.Ports[1]);
        Assert.Equal(Repeat("*1\r\n", 7994) + "$4\r\nleaf\r\n",
            c.Call("EVAL", "local t = 'leaf' for i = 1, 7994 do t = {t} end return t", "0"));
    }

    [Fact]
    public void Nested_sets_and_maps_hit_the_limit_where_redis_does()
    {
        using var c = new MarkedReader(fixture.Port);
        // a set level holds 3 stack slots in Redis's converter (table, inner table, key)
        Assert.Equal(Repeat("*1\r\n", 2665) + StackLimit,
            c.Call("EVAL", "local t = {} for i = 1, 3000 do t = {set={[t]=true}} end return t", "0"));
        // a map's key copy needs one slot more than its value: at the last level both fail
        Assert.Equal(Repeat("*2\r\n$1\r\nk\r\n", 2664) + "*2\r\n" + StackLimit + StackLimit,
            c.Call("EVAL", "local t = {} for i = 1, 3000 do t = {map={k=t}} end return t", "0"));
    }

    [Fact]
    public void Huge_flat_table_is_written_whole()
    {
        using var c = new MarkedReader(fixture.Ports[1]);
        var expected = new StringBuilder("*1000000\r\n");
        for (int i = 1; i <= 1_000_000; i++) expected.Append(':').Append(i).Append("\r\n");
        Assert.Equal(expected.ToString(), c.Call("EVAL", "local t = {} for i = 1, 1000000 do t[i] = i end return t", "0"));
    }

    [Fact]
    public void Shared_tables_that_make_a_reply_exponential_get_an_error_instead_of_exhausting_memory()
    {
        // 2^40 tables in the reply from 40 in memory: Redis keeps writing until it is killed
        using var c = new MarkedReader(fixture.Port);
        Assert.Equal("-ERR script reply too large (more than 16777216 values or 512 MB)\r\n",
            c.Call("EVAL", "local t = {} for i = 1, 40 do t = {t, t} end return t", "0"));
        Assert.Equal(":3\r\n", c.Call("EVAL", "return 3", "0"));
    }
}
