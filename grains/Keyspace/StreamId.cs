using System.Buffers.Binary;

namespace OrleansLua.Grains.Keyspace;

/// <summary>A stream entry ID, &lt;ms&gt;-&lt;seq&gt;: two unsigned 64-bit numbers, ordered by ms then seq.</summary>
public readonly record struct StreamId(ulong Ms, ulong Seq) : IComparable<StreamId>
{
    public static readonly StreamId Zero = new(0, 0);
    public static readonly StreamId Max = new(ulong.MaxValue, ulong.MaxValue);

    /// <summary>Redis copies an ID argument into a 128-byte buffer: longer ones are invalid.</summary>
    private const int MaxTextLength = 127;

    public bool IsZero => Ms == 0 && Seq == 0;

    public int CompareTo(StreamId other) => Ms != other.Ms ? Ms.CompareTo(other.Ms) : Seq.CompareTo(other.Seq);

    public static bool operator <(StreamId a, StreamId b) => a.CompareTo(b) < 0;
    public static bool operator >(StreamId a, StreamId b) => a.CompareTo(b) > 0;
    public static bool operator <=(StreamId a, StreamId b) => a.CompareTo(b) <= 0;
    public static bool operator >=(StreamId a, StreamId b) => a.CompareTo(b) >= 0;

    /// <summary>The next ID (seq overflow carries into ms); false at <see cref="Max"/>.</summary>
    public bool TryIncrement(out StreamId next)
    {
        next = Seq < ulong.MaxValue ? new(Ms, Seq + 1) : Ms < ulong.MaxValue ? new(Ms + 1, 0) : this;
        return this != Max;
    }

    /// <summary>The previous ID (seq underflow borrows from ms); false at <see cref="Zero"/>.</summary>
    public bool TryDecrement(out StreamId previous)
    {
        previous = Seq > 0 ? new(Ms, Seq - 1) : Ms > 0 ? new(Ms - 1, ulong.MaxValue) : this;
        return !IsZero;
    }

    public override string ToString() => $"{Ms}-{Seq}";

    /// <summary>The 16-byte big-endian form Redis uses as radix tree key (so byte order is ID order).</summary>
    public void WriteBigEndian(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, Ms);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Seq);
    }

    /// <summary>
    /// Parses an ID argument as Redis's streamParseID does: "-" and "+" are the smallest and largest
    /// IDs unless <paramref name="strict"/>, a missing "-seq" part becomes <paramref name="missingSeq"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, ulong missingSeq, bool strict, out StreamId id)
    {
        id = default;
        if (text.Length == 1 && text[0] is (byte)'-' or (byte)'+')
        {
            if (strict) return false;
            id = text[0] == (byte)'-' ? Zero : Max;
            return true;
        }
        return TryParseParts(text, missingSeq, allowAutoSeq: false, out id, out _);
    }

    /// <summary>
    /// Parses XADD's explicit ID: "&lt;ms&gt;-&lt;seq&gt;", "&lt;ms&gt;" (seq 0) or "&lt;ms&gt;-*"
    /// (<paramref name="seqGiven"/> false: the stream picks the sequence).
    /// </summary>
    public static bool TryParseForAdd(ReadOnlySpan<byte> text, out StreamId id, out bool seqGiven)
    {
        id = default;
        seqGiven = true;
        if (text.Length == 1 && text[0] is (byte)'-' or (byte)'+') return false;
        return TryParseParts(text, 0, allowAutoSeq: true, out id, out seqGiven);
    }

    private static bool TryParseParts(ReadOnlySpan<byte> text, ulong missingSeq, bool allowAutoSeq, out StreamId id, out bool seqGiven)
    {
        id = default;
        seqGiven = true;
        if (text.Length > MaxTextLength) return false;
        int dash = text.IndexOf((byte)'-');
        var msText = dash < 0 ? text : text[..dash];
        if (!TryParseUInt64(msText, out ulong ms)) return false;
        ulong seq = missingSeq;
        if (dash >= 0)
        {
            var seqText = text[(dash + 1)..];
            if (allowAutoSeq && seqText is [(byte)'*'])
            {
                seq = 0;
                seqGiven = false;
            }
            else if (!TryParseUInt64(seqText, out seq)) return false;
        }
        id = new(ms, seq);
        return true;
    }

    private static bool TryParseUInt64(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        if (digits.Length == 0) return false;
        foreach (byte b in digits)
        {
            uint d = (uint)(b - '0');
            if (d > 9 || value > (ulong.MaxValue - d) / 10) return false;
            value = value * 10 + d;
        }
        return true;
    }
}
