using System.Buffers;
using System.Text;
using OrleansLua.Protocol;
using Xunit;

namespace OrleansLua.Tests.Unit;

public class RespRequestParserTests
{
    private static (ParseStatus Status, string[] Args, string? Error, long Consumed) Parse(string input)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var status = RespRequestParser.TryParse(ref reader, out var cmd, out var error);
        return (status, cmd.Select(a => Encoding.UTF8.GetString(a)).ToArray(), error, reader.Consumed);
    }

    [Fact]
    public void Multibulk_command()
    {
        var r = Parse("*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n");
        Assert.Equal(ParseStatus.Command, r.Status);
        Assert.Equal(["GET", "foo"], r.Args);
        Assert.Equal(22, r.Consumed);
    }

    [Fact]
    public void Binary_safe_bulk_with_crlf_inside()
    {
        var r = Parse("*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n");
        Assert.Equal(["ECHO", "a\r\nb"], r.Args);
    }

    [Theory]
    [InlineData("*2\r\n$3\r\nGET\r\n$3\r\nfo")]
    [InlineData("*2\r\n$3\r\nGET\r\n")]
    [InlineData("*2\r\n$3")]
    [InlineData("*2")]
    [InlineData("PING")]
    public void Incomplete_input_waits_and_consumes_nothing(string input)
    {
        var r = Parse(input);
        Assert.Equal(ParseStatus.Incomplete, r.Status);
        Assert.Equal(0, r.Consumed);
    }

    [Theory]
    [InlineData("*x\r\n", "Protocol error: invalid multibulk length")]
    [InlineData("*2000000\r\n", "Protocol error: invalid multibulk length")]
    [InlineData("*1\r\n+GET\r\n", "Protocol error: expected '$', got '+'")]
    [InlineData("*1\r\n$-5\r\n", "Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$abc\r\n", "Protocol error: invalid bulk length")]
    [InlineData("SET \"foo bar\r\n", "Protocol error: unbalanced quotes in request")]
    [InlineData("SET \"foo\"bar x\r\n", "Protocol error: unbalanced quotes in request")]
    public void Malformed_input_gets_redis_protocol_errors(string input, string expected)
    {
        var r = Parse(input);
        Assert.Equal(ParseStatus.Error, r.Status);
        Assert.Equal(expected, r.Error);
    }

    [Fact]
    public void Too_big_inline_request()
    {
        var r = Parse(new string('a', 70_000));
        Assert.Equal(ParseStatus.Error, r.Status);
        Assert.Equal("Protocol error: too big inline request", r.Error);
    }

    [Theory]
    [InlineData("PING\r\n", new[] { "PING" })]
    [InlineData("SET  k   v\n", new[] { "SET", "k", "v" })]
    [InlineData("SET k \"a b\\x41\\n\"\r\n", new[] { "SET", "k", "a bA\n" })]
    [InlineData("SET k 'it\\'s'\r\n", new[] { "SET", "k", "it's" })]
    [InlineData("\r\n", new string[0])]
    public void Inline_commands_split_like_sdssplitargs(string input, string[] expected)
    {
        var r = Parse(input);
        Assert.Equal(ParseStatus.Command, r.Status);
        Assert.Equal(expected, r.Args);
    }

    [Fact]
    public void Empty_multibulk_is_skipped_as_an_empty_command()
    {
        var r = Parse("*0\r\n");
        Assert.Equal(ParseStatus.Command, r.Status);
        Assert.Empty(r.Args);
        Assert.Equal(4, r.Consumed);
    }
}
