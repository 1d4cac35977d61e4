using System.Text;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using Xunit;

namespace OrleansLua.Tests.Unit;

/// <summary>A batch carries the specs the gateway resolved; the grain uses them, unless they come from another command table.</summary>
public sealed class ShardBatchTests
{
    private static byte[][] Args(params string[] words) => words.Select(Encoding.UTF8.GetBytes).ToArray();

    [Fact]
    public void The_grain_takes_the_gateways_specs_without_resolving_the_names_again()
    {
        // ids that disagree with the names prove which one is used
        var get = CommandTable.Find("get")!;
        var batch = new ShardBatch { Commands = [Args("SET", "k", "v")], Specs = [(ushort)get.Id], Table = CommandTable.Version };
        Assert.Same(get, batch.Spec(0, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void Specs_from_another_command_table_or_none_are_resolved_by_name()
    {
        var get = CommandTable.Find("get")!;
        var foreign = new ShardBatch { Commands = [Args("SET", "k", "v")], Specs = [(ushort)get.Id], Table = CommandTable.Version + 1 };
        Assert.Equal("set", foreign.Spec(0, out _)!.Name);
        var unresolved = new ShardBatch { Commands = [Args("CONFIG", "GET", "x"), Args("GET")] };
        Assert.Equal("config|get", unresolved.Spec(0, out _)!.Name);
        Assert.Null(unresolved.Spec(1, out var error));
        Assert.Equal("ERR wrong number of arguments for 'get' command", error);
    }

    [Fact]
    public void Single_resolves_one_command()
    {
        var dbsize = CommandTable.Find("dbsize")!;
        var batch = ShardBatch.Single(dbsize, Args("DBSIZE"), 3);
        Assert.Same(dbsize, batch.Spec(0, out _));
        Assert.Equal(3, batch.Protocol);
        Assert.True(CommandTable.ById.Count <= ushort.MaxValue, "spec ids travel as ushort");
    }
}
