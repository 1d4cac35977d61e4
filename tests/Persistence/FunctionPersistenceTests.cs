using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Persistence;

/// <summary>Function libraries are cluster configuration: a restarted silo (embedded store) has them before its gateway answers.</summary>
public sealed class FunctionPersistenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orleanslua-functions-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string[] Calls(int port, params string[][] commands)
    {
        using var client = new RawRespClient(port);
        return commands.Select(c => client.Call(c)).ToArray();
    }

    [Fact]
    public async Task Loaded_libraries_survive_a_restart_and_deleted_ones_stay_deleted()
    {
        await using (var first = await DurableCluster.StartAsync(DurableCluster.Local(_dir)))
        {
            Assert.Equal(["$4\r\nkept\r\n", "$4\r\ngone\r\n", "+OK\r\n", ":1\r\n"], Calls(first.Port,
                ["FUNCTION", "LOAD", "#!lua name=kept\nredis.register_function{function_name='kept_incr', callback=function(keys) return redis.call('INCR', keys[1]) end, description='counts'}"],
                ["FUNCTION", "LOAD", "#!lua name=gone\nredis.register_function('gone_f', function() return 1 end)"],
                ["FUNCTION", "DELETE", "gone"],
                ["FCALL", "kept_incr", "1", "n"]));
        }
        await using var second = await DurableCluster.StartAsync(DurableCluster.Local(_dir));
        Assert.Equal([":2\r\n", "-ERR Function not found\r\n",
                "*1\r\n*6\r\n$12\r\nlibrary_name\r\n$4\r\nkept\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*1\r\n*6\r\n$4\r\nname\r\n$9\r\nkept_incr\r\n$11\r\ndescription\r\n$6\r\ncounts\r\n$5\r\nflags\r\n*0\r\n"],
            Calls(second.Port, ["FCALL", "kept_incr", "1", "n"], ["FCALL", "gone_f", "0"], ["FUNCTION", "LIST"]));
    }
}
