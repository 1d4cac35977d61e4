using System.Buffers.Text;
using System.Text;

namespace OrleansLua.LoadGen.Resp;

/// <summary>
/// Encodes requests as RESP multibulk arrays straight into a reusable byte buffer, so that generating a
/// request allocates nothing (keys are formatted as prefix + number in place).
/// </summary>
public sealed class RespWriter(int capacity = 16 * 1024)
{
    private byte[] _buffer = new byte[capacity];
    private int _length;
    private int _pendingArguments; // catches a command whose declared argument count is wrong

    public int Length => _length;
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);
    public void Clear() => _length = 0;

    /// <summary>Throws when the last command got fewer arguments than its <see cref="Array"/> header said.</summary>
    public void CheckComplete()
    {
        if (_pendingArguments != 0)
            throw new InvalidOperationException($"RESP command is missing {_pendingArguments} argument(s)");
    }

    /// <summary>Starts a command of <paramref name="count"/> arguments (the command name included).</summary>
    public void Array(int count)
    {
        CheckComplete();
        _pendingArguments = count;
        Header((byte)'*', count);
    }

    public void Bulk(ReadOnlySpan<byte> value)
    {
        Argument();
        Header((byte)'$', value.Length);
        Ensure(value.Length + 2);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
        Crlf();
    }

    public void Bulk(string value) => Bulk(Encoding.UTF8.GetBytes(value));

    /// <summary>A bulk string "prefix" + decimal number, e.g. key:123, without building a string.</summary>
    public void Bulk(ReadOnlySpan<byte> prefix, long number, ReadOnlySpan<byte> suffix = default)
    {
        Argument();
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(number, digits, out int n);
        Header((byte)'$', prefix.Length + n + suffix.Length);
        Ensure(prefix.Length + n + suffix.Length + 2);
        var span = _buffer.AsSpan(_length);
        prefix.CopyTo(span);
        digits[..n].CopyTo(span[prefix.Length..]);
        suffix.CopyTo(span[(prefix.Length + n)..]);
        _length += prefix.Length + n + suffix.Length;
        Crlf();
    }

    public void Bulk(long number) => Bulk([], number);

    /// <summary>Appends bytes that already are complete RESP commands (the cluster mode's per-node send buffers).</summary>
    public void Raw(ReadOnlySpan<byte> commands)
    {
        CheckComplete();
        Ensure(commands.Length);
        commands.CopyTo(_buffer.AsSpan(_length));
        _length += commands.Length;
    }

    private void Argument()
    {
        if (--_pendingArguments < 0)
            throw new InvalidOperationException("RESP command has more arguments than its header says");
    }

    private void Header(byte type, int count)
    {
        Ensure(16);
        _buffer[_length++] = type;
        Utf8Formatter.TryFormat(count, _buffer.AsSpan(_length), out int n);
        _length += n;
        Crlf();
    }

    private void Crlf()
    {
        Ensure(2);
        _buffer[_length++] = (byte)'\r';
        _buffer[_length++] = (byte)'\n';
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
            System.Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
    }
}
