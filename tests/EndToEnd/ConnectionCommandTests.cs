using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.EndToEnd;

[Collection(ClusterCollection.Name)]
public class ConnectionCommandTests(ClusterFixture fixture)
{
    private readonly RawRespClient _c = new(fixture.Port);

    [Fact]
    public void Ping_echo_select_time()
    {
        Assert.Equal("+PONG\r\n", _c.Call("PING"));
        Assert.Equal("$2\r\nhi\r\n", _c.Call("PING", "hi"));
        Assert.Equal("-ERR wrong number of arguments for 'ping' command\r\n", _c.Call("PING", "a", "b"));
        Assert.Equal("$3\r\nabc\r\n", _c.Call("ECHO", "abc"));
        Assert.Equal("+OK\r\n", _c.Call("SELECT", "0"));
        Assert.Equal("-ERR SELECT is not allowed in cluster mode\r\n", _c.Call("SELECT", "1"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", _c.Call("SELECT", "x"));
        var time = _c.Call("TIME").Split("\r\n");
        Assert.Equal("*2", time[0]);
        Assert.InRange(long.Parse(time[2]), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
    }

    [Fact]
    public void Unknown_commands_keep_the_connection()
    {
        Assert.Equal("-ERR unknown command 'foo', with args beginning with: 'a' \r\n", _c.Call("foo", "a"));
        Assert.Equal("-ERR unknown subcommand 'nope'. Try CLIENT HELP.\r\n", _c.Call("CLIENT", "nope"));
        Assert.Equal("+PONG\r\n", _c.Call("PING"));
    }

    [Fact]
    public void Client_name_id_setinfo_list()
    {
        Assert.Equal("$-1\r\n", _c.Call("CLIENT", "GETNAME"));
        Assert.Equal("+OK\r\n", _c.Call("CLIENT", "SETNAME", "bull:{queue}:w:a=b"));
        Assert.Equal("$18\r\nbull:{queue}:w:a=b\r\n", _c.Call("CLIENT", "GETNAME"));
        Assert.Equal("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", _c.Call("CLIENT", "SETNAME", "a b"));
        Assert.Equal("+OK\r\n", _c.Call("CLIENT", "SETINFO", "LIB-NAME", "tests"));
        Assert.Equal("+OK\r\n", _c.Call("CLIENT", "SETINFO", "lib-ver", "1.0"));
        Assert.Equal("-ERR Unrecognized option 'foo'\r\n", _c.Call("CLIENT", "SETINFO", "foo", "x"));
        var id = _c.Call("CLIENT", "ID");
        Assert.Matches(@"^:\d+\r\n$", id);
        var list = _c.Call("CLIENT", "LIST");
        var mine = list.Split('\n').Single(l => l.Contains("name=bull:{queue}:w:a=b "));
        Assert.Contains($"id={id[1..^2]} addr=127.0.0.1:", mine);
        Assert.Contains(" db=0 ", mine);
        Assert.Contains(" cmd=client|list ", mine);
        Assert.Contains(" lib-name=tests lib-ver=1.0", mine);
        Assert.Contains($"id={id[1..^2]} ", _c.Call("CLIENT", "INFO"));
        Assert.Equal("+OK\r\n", _c.Call("CLIENT", "NO-EVICT", "on"));
        Assert.Equal("-ERR wrong number of arguments for 'client|setname' command\r\n", _c.Call("CLIENT", "SETNAME"));
    }

    [Fact]
    public void Info_reports_sections_clients_rely_on()
    {
        var info = _c.Call("INFO");
        Assert.Contains("# Server\r\nredis_version:7.2.4\r\n", info);
        Assert.Contains("maxmemory_policy:noeviction\r\n", info);
        Assert.Contains("# Clients\r\nconnected_clients:", info);
        Assert.Contains("# Keyspace\r\n", info);
        var server = _c.Call("INFO", "server");
        Assert.DoesNotContain("# Clients", server);
        _c.Call("SET", "info:key", "1");
        Assert.Matches(@"db0:keys=\d+,expires=\d+,avg_ttl=0", _c.Call("INFO", "keyspace"));
    }

    [Fact]
    public void Hello_switches_protocol_and_reports_the_server()
    {
        Assert.Equal("-NOPROTO unsupported protocol version\r\n", _c.Call("HELLO", "4"));
        Assert.Equal("-ERR Protocol version is not an integer or out of range\r\n", _c.Call("HELLO", "x"));
        Assert.Equal("-ERR Syntax error in HELLO option 'bogus'\r\n", _c.Call("HELLO", "3", "bogus"));
        var hello = _c.Call("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "me");
        Assert.StartsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.2.4\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:", hello);
        Assert.EndsWith("$4\r\nmode\r\n$7\r\ncluster\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n", hello);
        Assert.Equal("$2\r\nme\r\n", _c.Call("CLIENT", "GETNAME"));
        Assert.StartsWith("*14\r\n", _c.Call("HELLO", "2"));
    }

    [Fact]
    public void Resp3_encodes_nulls_maps_and_doubles()
    {
        var k = "resp3:" + Guid.NewGuid().ToString("N");
        _c.Call("HELLO", "3");
        Assert.Equal("_\r\n", _c.Call("GET", k));
        Assert.Equal("*2\r\n_\r\n_\r\n", _c.Call("MGET", k, k + "x"));
        Assert.StartsWith("%", _c.Call("CONFIG", "GET", "maxmemory-policy"));
        Assert.Equal("%1\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n", _c.Call("CONFIG", "GET", "maxmemory-policy"));
        Assert.StartsWith("=", _c.Call("INFO", "server"));
        var cmdInfo = _c.Call("COMMAND", "INFO", "get");
        Assert.StartsWith("*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@fast\r\n+@string\r\n~0\r\n", cmdInfo);
        _c.Call("HELLO", "2");
        Assert.Equal("$-1\r\n", _c.Call("GET", k));
        Assert.Equal("*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n", _c.Call("CONFIG", "GET", "maxmemory-policy"));
    }

    [Fact]
    public void Command_introspection_reads_the_table()
    {
        Assert.Matches(@"^:\d+\r\n$", _c.Call("COMMAND", "COUNT"));
        Assert.Equal("*1\r\n*-1\r\n", _c.Call("COMMAND", "INFO", "nosuch"));
        Assert.StartsWith("*1\r\n*10\r\n$3\r\nset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n", _c.Call("COMMAND", "INFO", "set"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nc\r\n", _c.Call("COMMAND", "GETKEYS", "MSET", "a", "b", "c", "d"));
        Assert.Equal("-ERR The command has no key arguments\r\n", _c.Call("COMMAND", "GETKEYS", "PING"));
        Assert.Equal("-ERR Invalid command specified\r\n", _c.Call("COMMAND", "GETKEYS", "NOPE", "x"));
        Assert.Equal("-ERR Invalid number of arguments specified for command\r\n", _c.Call("COMMAND", "GETKEYS", "GET"));
        Assert.Equal("*1\r\n$1\r\ns\r\n", _c.Call("COMMAND", "GETKEYS", "XGROUP", "CREATE", "s", "g", "$"));
        Assert.Equal("-ERR Invalid arguments specified for command\r\n", _c.Call("COMMAND", "GETKEYS", "EVAL", "return 1", "5"));
        Assert.Equal("*2\r\n$3\r\nget\r\n*6\r\n$7\r\nsummary\r\n$34\r\nReturns the string value of a key.\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n",
            _c.Call("COMMAND", "DOCS", "get"));
        Assert.Contains("$6\r\nclient\r\n", _c.Call("COMMAND", "LIST"));
    }

    [Fact]
    public void Command_and_command_docs_are_well_formed_for_every_command()
    {
        var count = _c.Call("COMMAND", "COUNT");
        Assert.StartsWith($"*{count[1..^2]}\r\n", _c.Call("COMMAND"));
        Assert.StartsWith($"*{int.Parse(count[1..^2]) * 2}\r\n", _c.Call("COMMAND", "DOCS"));
        _c.Call("HELLO", "3");
        Assert.StartsWith($"*{count[1..^2]}\r\n", _c.Call("COMMAND"));
        Assert.StartsWith($"%{count[1..^2]}\r\n", _c.Call("COMMAND", "DOCS"));
    }

    [Fact]
    public void Cluster_keyslot_and_info()
    {
        Assert.Equal(":12182\r\n", _c.Call("CLUSTER", "KEYSLOT", "foo"));
        Assert.Equal(":3443\r\n", _c.Call("CLUSTER", "KEYSLOT", "{user1000}.following"));
        Assert.Contains("cluster_state:ok\r\n", _c.Call("CLUSTER", "INFO"));
        Assert.Contains("cluster_known_nodes:2\r\n", _c.Call("CLUSTER", "INFO"));
    }

    [Fact]
    public void Quit_replies_ok_and_closes()
    {
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("+OK\r\n", c.Call("QUIT"));
        Assert.True(c.IsClosedByServer());
    }
}
