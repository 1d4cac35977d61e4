using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace OrleansLua.Protocol;

/// <summary>Encodes replies into a growable buffer for one protocol version.</summary>
public sealed class RespWriter : IReplyWriter, IBufferWriter<byte>
{
    /// <summary>
    /// A buffer grown past this is dropped at <see cref="Reset"/>. Below the large-object heap (85 KB):
    /// a reply bigger than that is copied into a large object by <see cref="ToArray"/> anyway, and
    /// 16384 slot grains keeping 1 MB each would be 16 GB.
    /// </summary>
    private const int RetainedCapacity = 64 * 1024;
    private readonly int _initialCapacity;
    private byte[] _buffer;
    private int _length;

    public RespWriter(RespProtocol protocol, int initialCapacity = 256)
    {
        Protocol = protocol;
        _initialCapacity = initialCapacity;
        _buffer = new byte[initialCapacity];
    }

    public RespProtocol Protocol { get; set; }
    public int Length => _length;
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);
    public byte[] ToArray() => WrittenSpan.ToArray();
    /// <summary>
    /// Empties the writer. A buffer that grew past 64 KB (a big GET, a script's large reply) is let
    /// go: a shard grain's writer lives as long as its slot, and would otherwise hold its largest
    /// reply forever.
    /// </summary>
    public void Reset()
    {
        _length = 0;
        if (_buffer.Length > RetainedCapacity) _buffer = new byte[_initialCapacity];
    }
    /// <summary>Drops what was written after <paramref name="length"/> (a reply abandoned half way).</summary>
    public void Truncate(int length) => _length = Math.Min(_length, length);

    public void WriteSimpleString(string value) => WriteLine((byte)'+', value);

    public void WriteOk() => WriteRaw("+OK\r\n"u8);

    /// <summary>Told of every error reply written (INFO errorstats counts them by code).</summary>
    public Action<string>? ErrorWritten { get; set; }

    public void WriteError(string message)
    {
        ErrorWritten?.Invoke(message);
        // An error reply is one line: Redis replaces newlines so the frame stays valid.
        WriteLine((byte)'-', message.Contains('\n') || message.Contains('\r')
            ? message.Replace('\r', ' ').Replace('\n', ' ') : message);
    }

    public void WriteInteger(long value)
    {
        var span = Reserve(22);
        span[0] = (byte)':';
        Utf8Formatter.TryFormat(value, span[1..], out int n);
        span[1 + n] = (byte)'\r';
        span[2 + n] = (byte)'\n';
        _length += n + 3;
    }

    public void WriteBulk(ReadOnlySpan<byte> value)
    {
        WritePrefixed((byte)'$', value.Length);
        value.CopyTo(Reserve(value.Length + 2));
        _length += value.Length;
        WriteCrlf();
    }

    public void WriteBulkString(string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 256)
        {
            Span<byte> tmp = stackalloc byte[max];
            WriteBulk(tmp[..Encoding.UTF8.GetBytes(value, tmp)]);
        }
        else
        {
            WriteBulk(Encoding.UTF8.GetBytes(value));
        }
    }

    public void WriteNull()
    {
        if (Protocol == RespProtocol.Resp3) WriteRaw("_\r\n"u8);
        else WriteRaw("$-1\r\n"u8);
    }

    public void WriteNullArray()
    {
        if (Protocol == RespProtocol.Resp3) WriteRaw("_\r\n"u8);
        else WriteRaw("*-1\r\n"u8);
    }

    public void WriteArrayHeader(int count) => WritePrefixed((byte)'*', count);

    /// <summary>RESP3 push (out-of-band data such as Pub/Sub messages), RESP2 array.</summary>
    public void WritePushHeader(int count) =>
        WritePrefixed(Protocol == RespProtocol.Resp3 ? (byte)'>' : (byte)'*', count);

    public void WriteSetHeader(int count) =>
        WritePrefixed(Protocol == RespProtocol.Resp3 ? (byte)'~' : (byte)'*', count);

    public void WriteMapHeader(int pairs)
    {
        if (Protocol == RespProtocol.Resp3) WritePrefixed((byte)'%', pairs);
        else WritePrefixed((byte)'*', pairs * 2);
    }

    public void WriteDouble(double value)
    {
        string text = RespNumbers.FormatDouble(value);
        if (Protocol == RespProtocol.Resp3) WriteLine((byte)',', text);
        else WriteBulkString(text);
    }

    public void WriteBigNumber(string digits)
    {
        if (Protocol == RespProtocol.Resp3) WriteLine((byte)'(', digits);
        else WriteBulkString(digits);
    }

    public void WriteBoolean(bool value)
    {
        if (Protocol == RespProtocol.Resp3) WriteRaw(value ? "#t\r\n"u8 : "#f\r\n"u8);
        else WriteInteger(value ? 1 : 0);
    }

    public void WriteVerbatim(string text)
    {
        if (Protocol == RespProtocol.Resp2)
        {
            WriteBulkString(text);
            return;
        }
        byte[] body = Encoding.UTF8.GetBytes(text);
        WritePrefixed((byte)'=', body.Length + 4);
        WriteRaw("txt:"u8);
        WriteRaw(body);
        WriteCrlf();
    }

    /// <summary>Appends bytes that are already RESP (e.g. a reply produced by a shard grain).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    private void WriteLine(byte prefix, string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length) + 3;
        var span = Reserve(max);
        span[0] = prefix;
        int n = Encoding.UTF8.GetBytes(text, span[1..]);
        span[1 + n] = (byte)'\r';
        span[2 + n] = (byte)'\n';
        _length += n + 3;
    }

    private void WritePrefixed(byte prefix, long number)
    {
        var span = Reserve(24);
        span[0] = prefix;
        Utf8Formatter.TryFormat(number, span[1..], out int n);
        span[1 + n] = (byte)'\r';
        span[2 + n] = (byte)'\n';
        _length += n + 3;
    }

    private void WriteCrlf()
    {
        var span = Reserve(2);
        span[0] = (byte)'\r';
        span[1] = (byte)'\n';
        _length += 2;
    }

    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _length < size)
        {
            int newSize = Math.Max(_buffer.Length * 2, _length + size);
            Array.Resize(ref _buffer, newSize);
        }
        return _buffer.AsSpan(_length);
    }

    void IBufferWriter<byte>.Advance(int count) => _length += count;
    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint)
    {
        Reserve(Math.Max(sizeHint, 16));
        return _buffer.AsMemory(_length);
    }
    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) => Reserve(Math.Max(sizeHint, 16));
}

/// <summary>Number text exactly as Redis prints and parses it.</summary>
public static class RespNumbers
{
    /// <summary>
    /// As Redis 7.0 prints a double reply or score: C's "%.17g" (1.1 → "1.1000000000000001"),
    /// inf/-inf/nan spelled as Redis does.
    /// </summary>
    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";
        // Whole numbers below 1e17 print as plain integers; most scores (counters, timestamps) are.
        if (Math.Abs(value) < 1e17 && value == Math.Floor(value))
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        string e = value.ToString("E16", CultureInfo.InvariantCulture); // d.dddddddddddddddd E±xxx
        bool negative = e[0] == '-';
        int at = negative ? 1 : 0, ePos = e.IndexOf('E');
        string digits = (e[at] + e[(at + 2)..ePos]).TrimEnd('0');
        int exponent = int.Parse(e.AsSpan(ePos + 1), CultureInfo.InvariantCulture);
        var sb = new StringBuilder(26);
        if (negative) sb.Append('-');
        if (exponent < -4 || exponent >= 17)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
            sb.Append(exponent < 0 ? "e-" : "e+").Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (exponent >= 0)
        {
            if (digits.Length <= exponent + 1) sb.Append(digits).Append('0', exponent + 1 - digits.Length);
            else sb.Append(digits, 0, exponent + 1).Append('.').Append(digits, exponent + 1, digits.Length - exponent - 1);
        }
        else sb.Append("0.").Append('0', -exponent - 1).Append(digits);
        return sb.ToString();
    }

    /// <summary>Parses a signed 64-bit integer the way Redis's string2ll does: no spaces, no '+', no leading zeros.</summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 20) return false;
        if (text.Length == 1 && text[0] == (byte)'0') return true;
        int i = 0;
        bool negative = false;
        if (text[0] == (byte)'-')
        {
            negative = true;
            i = 1;
            if (text.Length == 1) return false;
        }
        if (text[i] < (byte)'1' || text[i] > (byte)'9') return false;
        ulong acc = 0;
        for (; i < text.Length; i++)
        {
            uint d = (uint)(text[i] - '0');
            if (d > 9) return false;
            if (acc > (ulong.MaxValue - d) / 10) return false;
            acc = acc * 10 + d;
        }
        if (negative)
        {
            if (acc > (ulong)long.MaxValue + 1) return false;
            value = (long)(0 - acc);
        }
        else
        {
            if (acc > long.MaxValue) return false;
            value = (long)acc;
        }
        return true;
    }

    /// <summary>Parses a float as Redis's strtold-based parsing accepts it (no spaces, inf allowed, nan refused).</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 5000) return false;
        if (IsSpace(text[0]) || IsSpace(text[^1])) return false;
        Span<char> chars = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        for (int i = 0; i < text.Length; i++) chars[i] = (char)text[i];
        if (chars.Equals("inf", StringComparison.OrdinalIgnoreCase) || chars.Equals("+inf", StringComparison.OrdinalIgnoreCase)
            || chars.Equals("infinity", StringComparison.OrdinalIgnoreCase) || chars.Equals("+infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = double.PositiveInfinity;
            return true;
        }
        if (chars.Equals("-inf", StringComparison.OrdinalIgnoreCase) || chars.Equals("-infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NegativeInfinity;
            return true;
        }
        if (!double.TryParse(chars, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        return !double.IsNaN(value);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f';
}
