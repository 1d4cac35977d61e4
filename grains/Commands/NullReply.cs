using OrleansLua.Protocol;

namespace OrleansLua.Grains.Commands;

/// <summary>A reply sink that discards everything (placeholder until a real writer is set).</summary>
public sealed class NullReply : IReplyWriter
{
    public static readonly NullReply Instance = new();
    public RespProtocol Protocol => RespProtocol.Resp2;
    public void WriteSimpleString(string value) { }
    public void WriteError(string message) { }
    public void WriteInteger(long value) { }
    public void WriteBulk(ReadOnlySpan<byte> value) { }
    public void WriteBulkString(string value) { }
    public void WriteNull() { }
    public void WriteNullArray() { }
    public void WriteArrayHeader(int count) { }
    public void WriteSetHeader(int count) { }
    public void WriteMapHeader(int pairs) { }
    public void WriteDouble(double value) { }
    public void WriteBoolean(bool value) { }
    public void WriteVerbatim(string text) { }
}
