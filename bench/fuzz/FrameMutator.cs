using System.Text;

namespace OrleansLua.Fuzz;

/// <summary>
/// Breaks a valid command the ways a buggy or hostile client would: bit flips, truncation, wrong
/// or absurd <c>*</c>/<c>$</c> counts, missing CRLFs, inline commands with (unbalanced) quotes,
/// nested aggregates and RESP3 type bytes where a request has none, oversized lines.
/// </summary>
public sealed class FrameMutator(Random random)
{
    private static readonly string[] Counts =
    [
        "-1", "-2", "0", "1048576", "1048577", "1073741825", "2147483648", "99999999999999999999", "abc", "", " 3", "3 ", "+3", "0x3",
    ];

    private static readonly string[] BulkLengths =
    [
        "-1", "-2", "0", "536870912", "536870913", "2147483648", "99999999999999999999", "x", "", " 2", "2 ", "+2",
    ];

    private const string Resp3Types = "%~#_,(=!>|:+-";

    public byte[] Mutate(byte[][] command) => random.Next(12) switch
    {
        0 => FlipBits(FrameGenerator.Encode(command)),
        1 => Truncate(FrameGenerator.Encode(command)),
        2 => ShiftBulkLength(command),
        3 => ReplaceHeader(command, '*', Counts),
        4 => ReplaceHeader(command, '$', BulkLengths),
        5 => DropCrlf(FrameGenerator.Encode(command)),
        6 => Inline(command),
        7 => Nested(command),
        8 => Resp3Type(command),
        9 => Splice(FrameGenerator.Encode(command)),
        10 => random.Next(4) == 0 ? Oversized() : FlipBits(FrameGenerator.Encode(command)),
        _ => Repeat(FrameGenerator.Encode(command)),
    };

    private byte[] FlipBits(byte[] frame)
    {
        for (int n = random.Next(1, 5); n > 0; n--)
            frame[random.Next(frame.Length)] ^= (byte)(1 << random.Next(8));
        return frame;
    }

    private byte[] Truncate(byte[] frame) => frame[..random.Next(1, frame.Length)];

    /// <summary>A <c>$n</c> a few bytes off: the payload then eats the next header, or stops short of it.</summary>
    private byte[] ShiftBulkLength(byte[][] command)
    {
        int at = random.Next(command.Length), shift = random.Next(-3, 4);
        return Encode(command, command.Length.ToString(), i => (i == at ? Math.Max(0, command[i].Length + shift) : command[i].Length).ToString());
    }

    /// <summary>The multibulk count (<c>*</c>) or one bulk length (<c>$</c>) replaced by an absurd value.</summary>
    private byte[] ReplaceHeader(byte[][] command, char prefix, string[] values)
    {
        string value = values[random.Next(values.Length)];
        int at = random.Next(command.Length);
        return prefix == '*'
            ? Encode(command, value, i => command[i].Length.ToString())
            : Encode(command, command.Length.ToString(), i => i == at ? value : command[i].Length.ToString());
    }

    private static byte[] Encode(byte[][] command, string count, Func<int, string> length)
    {
        var frame = new MemoryStream();
        frame.Write(Encoding.ASCII.GetBytes($"*{count}\r\n"));
        for (int i = 0; i < command.Length; i++)
        {
            frame.Write(Encoding.ASCII.GetBytes($"${length(i)}\r\n"));
            frame.Write(command[i]);
            frame.Write("\r\n"u8);
        }
        return frame.ToArray();
    }

    private byte[] DropCrlf(byte[] frame)
    {
        var crlfs = new List<int>();
        for (int i = 0; i + 1 < frame.Length; i++)
            if (frame[i] == '\r' && frame[i + 1] == '\n') crlfs.Add(i);
        if (crlfs.Count == 0) return frame;
        int at = crlfs[random.Next(crlfs.Count)];
        int drop = random.Next(3); // \r, \n or both
        var list = frame.ToList();
        if (drop == 2) list.RemoveRange(at, 2);
        else list.RemoveAt(at + drop);
        return list.ToArray();
    }

    /// <summary>The command as an inline line: plain, quoted, escaped, or with quotes left open.</summary>
    private byte[] Inline(byte[][] command)
    {
        var line = new StringBuilder();
        foreach (var arg in command)
        {
            string text = Encoding.Latin1.GetString(arg).Replace("\r", "").Replace("\n", "");
            line.Append(random.Next(8) switch
            {
                0 => $"\"{text.Replace("\"", "\\\"")}\"",
                1 => $"'{text.Replace("'", "\\'")}'",
                2 => $"\"{text}\\x41\\n\\t\\\\\"",
                3 => $"\"{text}",          // unbalanced
                4 => $"'{text}'x",         // closing quote not followed by a space
                5 => $"\"\\x{random.Next(256):x2}\\xZZ\"",
                _ => text.Length == 0 ? "\"\"" : text,
            });
            line.Append(random.Next(6) == 0 ? "\t" : " ");
        }
        line.Append(random.Next(3) == 0 ? "\n" : "\r\n");
        return Encoding.Latin1.GetBytes(line.ToString());
    }

    /// <summary>Aggregates inside a request (a request holds only bulk strings).</summary>
    private byte[] Nested(byte[][] command)
    {
        int depth = random.Next(1, 64);
        var frame = new MemoryStream();
        for (int i = 0; i < depth; i++) frame.Write(Encoding.ASCII.GetBytes($"*{random.Next(1, 3)}\r\n"));
        frame.Write(FrameGenerator.Encode(command));
        return frame.ToArray();
    }

    /// <summary>A RESP3 (or reply-only) type byte where a request expects <c>*</c> or <c>$</c>.</summary>
    private byte[] Resp3Type(byte[][] command)
    {
        char type = Resp3Types[random.Next(Resp3Types.Length)];
        string body = type switch
        {
            '%' => "%1\r\n+a\r\n+b\r\n",
            '~' => "~2\r\n:1\r\n:2\r\n",
            '#' => "#t\r\n",
            '_' => "_\r\n",
            ',' => ",1.5\r\n",
            '(' => "(3492890328409238509324850943850943825024385\r\n",
            '=' => "=7\r\ntxt:abc\r\n",
            '!' => "!3\r\nerr\r\n",
            '>' => ">2\r\n+a\r\n+b\r\n",
            '|' => "|1\r\n+k\r\n+v\r\n",
            _ => $"{type}1\r\n",
        };
        if (random.Next(2) == 0) return Encoding.ASCII.GetBytes(body);
        var frame = FrameGenerator.Encode(command).ToList();
        int dollar = frame.IndexOf((byte)'$', random.Next(frame.Count));
        if (dollar >= 0) frame[dollar] = (byte)type;
        else frame.InsertRange(frame.Count, Encoding.ASCII.GetBytes(body));
        return frame.ToArray();
    }

    /// <summary>Part of the frame duplicated into the middle of it.</summary>
    private byte[] Splice(byte[] frame)
    {
        int from = random.Next(frame.Length), length = random.Next(1, frame.Length - from + 1), at = random.Next(frame.Length);
        return [.. frame[..at], .. frame.AsSpan(from, length), .. frame[at..]];
    }

    /// <summary>Lines past Redis's 64 KB inline limit: an inline request, a <c>*</c> count, a <c>$</c> length.</summary>
    private byte[] Oversized() => random.Next(3) switch
    {
        0 => Encoding.ASCII.GetBytes(new string('A', 70_000)),
        1 => Encoding.ASCII.GetBytes("*" + new string('1', 70_000)),
        _ => Encoding.ASCII.GetBytes("*1\r\n$" + new string('9', 70_000)),
    };

    /// <summary>The same frame many times in one write (a pipeline burst).</summary>
    private byte[] Repeat(byte[] frame)
    {
        int times = random.Next(2, 50);
        var burst = new byte[frame.Length * times];
        for (int i = 0; i < times; i++) frame.CopyTo(burst, i * frame.Length);
        return burst;
    }
}
