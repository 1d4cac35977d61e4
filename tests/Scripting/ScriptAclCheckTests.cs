using OrleansLua.Tests.Infrastructure;
using static OrleansLua.Tests.Infrastructure.TestValues;
using Xunit;

namespace OrleansLua.Tests.Scripting;

/// <summary>redis.acl_check_cmd, as redis-server 7.0.15 answers the suite's "Script ACL check".</summary>
[Collection(SecureClusterCollection.Name)]
public class ScriptAclCheckTests(SecureClusterFixture fixture)
{
    [Fact]
    public void Acl_check_cmd_answers_for_the_scripts_user()
    {
        using var admin = fixture.Admin();
        var user = "acl-check-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal("+OK\r\n", admin.Call("ACL", "SETUSER", user, "on", ">123", "+@scripting", "+set", "~x*"));
        try
        {
            using var c = new RawRespClient(fixture.Ports[1]);
            Assert.Equal("+OK\r\n", c.Call("AUTH", user, "123"));
            Assert.Equal(":1\r\n", c.Call("EVAL", "return redis.acl_check_cmd('set','xx',1)", "1", "xx"));
            Assert.Equal("$-1\r\n", c.Call("EVAL", "return redis.acl_check_cmd('hset','xx','f',1)", "1", "xx"));
            // a key the user may not touch; the keyless script itself runs
            Assert.Equal("$-1\r\n", c.Call("EVAL", "return redis.acl_check_cmd('set','yy',1)", "0"));
            const string invalid = "return redis.acl_check_cmd('invalid-cmd','arg')";
            Assert.Equal($"-ERR Invalid command passed to redis.acl_check_cmd() script: {Sha(invalid)}, on @user_script:1.\r\n",
                c.Call("EVAL", invalid, "0"));
        }
        finally
        {
            Assert.Equal(":1\r\n", admin.Call("ACL", "DELUSER", user));
        }
    }

    [Theory]
    [InlineData("return redis.acl_check_cmd('flushall')", ":1")]
    [InlineData("return redis.acl_check_cmd('config','get','x')", ":1")]
    [InlineData("return redis.acl_check_cmd('set')", ":1")] // arity is not checked, as in Redis
    [InlineData("return redis.acl_check_cmd('config','nosuch')", "-ERR Invalid command passed to redis.acl_check_cmd()")]
    [InlineData("return redis.acl_check_cmd()", "-ERR Please specify at least one argument for this redis lib call")]
    [InlineData("return redis.acl_check_cmd('get', {})", "-ERR Lua redis lib command arguments must be strings or integers")]
    [InlineData("local ok, e = pcall(redis.acl_check_cmd, 'nosuch') return e", "$51\r\nERR Invalid command passed to redis.acl_check_cmd()")]
    public void Acl_check_cmd_for_the_default_user(string script, string expected)
    {
        using var c = fixture.Admin();
        var reply = c.Call("EVAL", script, "0");
        Assert.Equal(expected.StartsWith('-') ? $"{expected} script: {Sha(script)}, on @user_script:1.\r\n" : expected + "\r\n", reply);
    }
}
