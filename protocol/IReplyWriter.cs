namespace OrleansLua.Protocol;

/// <summary>
/// Where a command writes its reply. The RESP writer encodes it for the connection's protocol;
/// the Lua bridge (scripting) turns the same calls into Lua values, so command code is written once.
/// </summary>
public interface IReplyWriter
{
    RespProtocol Protocol { get; }
    void WriteSimpleString(string value);
    void WriteError(string message);
    void WriteInteger(long value);
    void WriteBulk(ReadOnlySpan<byte> value);
    void WriteBulkString(string value);
    /// <summary>A missing value: RESP2 <c>$-1</c>, RESP3 <c>_</c>.</summary>
    void WriteNull();
    /// <summary>A missing array: RESP2 <c>*-1</c>, RESP3 <c>_</c>.</summary>
    void WriteNullArray();
    void WriteArrayHeader(int count);
    /// <summary>RESP3 set, RESP2 array.</summary>
    void WriteSetHeader(int count);
    /// <summary>RESP3 map of <paramref name="pairs"/> entries, RESP2 flat array of 2×pairs.</summary>
    void WriteMapHeader(int pairs);
    /// <summary>RESP3 double, RESP2 bulk string.</summary>
    void WriteDouble(double value);
    /// <summary>RESP3 boolean, RESP2 integer 0/1.</summary>
    void WriteBoolean(bool value);
    /// <summary>RESP3 verbatim text (txt), RESP2 bulk string.</summary>
    void WriteVerbatim(string text);

    void WriteOk() => WriteSimpleString("OK");

    /// <summary>RESP3 big number, RESP2 bulk string.</summary>
    void WriteBigNumber(string digits) => WriteBulkString(digits);
}

public enum RespProtocol : byte
{
    Resp2 = 2,
    Resp3 = 3,
}
