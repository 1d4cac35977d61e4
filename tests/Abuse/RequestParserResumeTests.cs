using System.Buffers;
using System.Text;
using OrleansLua.Protocol;
using Xunit;

namespace OrleansLua.Tests.Abuse;

/// <summary>The parser's side of slow clients: a command fed in pieces is read once, piece by piece.</summary>
public class RequestParserResumeTests
{
    private static ParseStatus Feed(byte[] bytes, ref PartialCommand? partial, out byte[][] command, out long consumed)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var status = RespRequestParser.TryParse(ref reader, RequestLimits.Default, ref partial, out command, out _);
        consumed = reader.Consumed;
        return status;
    }

    [Fact]
    public void A_command_fed_a_byte_at_a_time_resumes_after_each_whole_argument()
    {
        var frame = Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\n");
        PartialCommand? partial = null;
        var pending = new List<byte>();
        var consumedAt = new List<int>();
        int fed = 0;
        byte[][] command = [];
        foreach (byte b in frame)
        {
            pending.Add(b);
            fed++;
            var status = Feed([.. pending], ref partial, out command, out long consumed);
            if (consumed > 0) consumedAt.Add(fed);
            pending.RemoveRange(0, (int)consumed); // what the connection releases to its pipe
            if (status == ParseStatus.Command) break;
            Assert.Equal(ParseStatus.Incomplete, status);
            Assert.Equal(fed >= 4, partial is not null); // state exists once the "*3" header is read
        }
        Assert.Equal(frame.Length, fed);
        Assert.Equal(["SET", "key", "va\r\nl"], command.Select(a => Encoding.ASCII.GetString(a)));
        Assert.Null(partial);
        Assert.Empty(pending);
        // the header and each argument are released as soon as they are whole
        Assert.Equal([4, 13, 22, frame.Length], consumedAt);
    }

    [Fact]
    public void A_huge_multibulk_header_does_not_allocate_its_argument_array_up_front()
    {
        PartialCommand? partial = null;
        var bytes = Encoding.ASCII.GetBytes("*1048576\r\n$1\r\na\r\n$1");
        Feed(bytes, ref partial, out _, out _); // JIT and first-use costs out of the measurement
        partial = null;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var status = Feed(bytes, ref partial, out _, out long consumed);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ParseStatus.Incomplete, status);
        Assert.Equal(17, consumed);
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated for a header and one argument");
    }

    [Fact]
    public void Without_state_an_incomplete_command_still_consumes_nothing()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("*2\r\n$3\r\nGET\r\n$3\r\nfo"u8.ToArray()));
        Assert.Equal(ParseStatus.Incomplete, RespRequestParser.TryParse(ref reader, out _, out _));
        Assert.Equal(0, reader.Consumed);
    }
}
