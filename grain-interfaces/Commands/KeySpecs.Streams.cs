using System.Text;
using OrleansLua.Protocol;

namespace OrleansLua.GrainInterfaces.Commands;

/// <summary>
/// XREAD / XREADGROUP: the keys are the first half of the arguments after STREAMS. The options
/// before it are parsed here, once for routing and again by the command, so a malformed request
/// gets Redis's own error before any key is looked at.
/// </summary>
public sealed class StreamReadKeys : KeySpec
{
    public override (int First, int Last, int Step) Legacy => (0, 0, 0);
    public override bool IsMovable => true;

    public override string? Collect(byte[][] args, List<int> keyIndexes)
    {
        var read = StreamReadArgs.Parse(args, out var error);
        if (read is null) return error;
        for (int i = 0; i < read.StreamCount; i++) keyIndexes.Add(read.FirstKey + i);
        return null;
    }
}

/// <summary>The options of an XREAD or XREADGROUP request, checked as Redis checks them.</summary>
public sealed class StreamReadArgs
{
    public required bool IsGroupRead { get; init; }
    /// <summary>COUNT; 0 means no limit.</summary>
    public long Count { get; private set; }
    /// <summary>BLOCK in ms (0: forever), or null without BLOCK.</summary>
    public long? BlockMs { get; private set; }
    public bool NoAck { get; private set; }
    public byte[]? Group { get; private set; }
    public byte[]? Consumer { get; private set; }
    /// <summary>Index of the first key; the IDs follow the keys.</summary>
    public int FirstKey { get; private set; }
    public int StreamCount { get; private set; }

    public int IdIndex(int stream) => FirstKey + StreamCount + stream;

    /// <summary>Null with Redis's error text when the options are malformed.</summary>
    public static StreamReadArgs? Parse(byte[][] args, out string? error)
    {
        error = null;
        var read = new StreamReadArgs { IsGroupRead = args[0].Length == "xreadgroup".Length };
        for (int i = 1; i < args.Length; i++)
        {
            int more = args.Length - i - 1;
            var option = args[i];
            if (Is(option, "BLOCK"u8) && more > 0)
            {
                if (!RespNumbers.TryParseInt64(args[++i], out long timeout))
                    error = "ERR timeout is not an integer or out of range";
                else if (timeout < 0) error = "ERR timeout is negative";
                else read.BlockMs = timeout;
            }
            else if (Is(option, "COUNT"u8) && more > 0)
            {
                if (!RespNumbers.TryParseInt64(args[++i], out long count)) error = "ERR value is not an integer or out of range";
                else read.Count = Math.Max(count, 0);
            }
            else if (Is(option, "STREAMS"u8) && more > 0)
            {
                read.FirstKey = i + 1;
                int remaining = args.Length - read.FirstKey;
                if (remaining % 2 != 0)
                    error = "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.";
                read.StreamCount = remaining / 2;
                break;
            }
            else if (Is(option, "GROUP"u8) && more >= 2)
            {
                if (!read.IsGroupRead) error = "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.";
                read.Group = args[i + 1];
                read.Consumer = args[i + 2];
                i += 2;
            }
            else if (Is(option, "NOACK"u8))
            {
                if (!read.IsGroupRead) error = "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.";
                read.NoAck = true;
            }
            else error = "ERR syntax error";
            if (error is not null) return null;
        }
        if (read.FirstKey == 0) error = "ERR syntax error";
        else if (read.IsGroupRead && read.Group is null) error = "ERR Missing GROUP option for XREADGROUP";
        return error is null ? read : null;
    }

    private static bool Is(byte[] arg, ReadOnlySpan<byte> word) => Ascii.EqualsIgnoreCase(arg, word);
}
