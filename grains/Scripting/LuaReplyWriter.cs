using OrleansLua.Protocol;
using static OrleansLua.Grains.Scripting.LuaNative;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// Receives a command's reply (written for RESP2) and pushes it onto a Lua stack as Redis converts
/// replies for scripts: integer → number, bulk → string, nil → false, array → table,
/// status → {ok=…}, error → {err=…}.
/// </summary>
internal sealed class LuaReplyWriter(IntPtr state) : IReplyWriter
{
    private readonly IntPtr L = state;
    private readonly Stack<(int Remaining, int Index)> _arrays = new();

    public RespProtocol Protocol => RespProtocol.Resp2;
    /// <summary>The top-level reply was an error.</summary>
    public bool IsError { get; private set; }

    public void WriteSimpleString(string value)
    {
        NewTable(L);
        PushString(L, value);
        SetField(L, -2, "ok\0"u8);
        Completed();
    }

    public void WriteError(string message)
    {
        if (_arrays.Count == 0) IsError = true;
        PushErrorTable(L, message);
        Completed();
    }

    public void WriteInteger(long value)
    {
        lua_pushinteger(L, value);
        Completed();
    }

    public void WriteBulk(ReadOnlySpan<byte> value)
    {
        PushBytes(L, value);
        Completed();
    }

    public void WriteBulkString(string value)
    {
        PushString(L, value);
        Completed();
    }

    public void WriteNull()
    {
        lua_pushboolean(L, 0);
        Completed();
    }

    public void WriteNullArray() => WriteNull();

    public void WriteArrayHeader(int count)
    {
        lua_checkstack(L, 4);
        lua_createtable(L, count, 0);
        if (count == 0) Completed();
        else _arrays.Push((count, 0));
    }

    public void WriteSetHeader(int count) => WriteArrayHeader(count);
    public void WriteMapHeader(int pairs) => WriteArrayHeader(pairs * 2);
    public void WriteDouble(double value) => WriteBulkString(RespNumbers.FormatDouble(value));
    public void WriteBoolean(bool value) => WriteInteger(value ? 1 : 0);
    public void WriteVerbatim(string text) => WriteBulkString(text);

    /// <summary>A value is complete on the stack: store it into the enclosing table, if any.</summary>
    private void Completed()
    {
        while (_arrays.Count > 0)
        {
            var (remaining, index) = _arrays.Pop();
            lua_rawseti(L, -2, index + 1);
            if (remaining > 1)
            {
                _arrays.Push((remaining - 1, index + 1));
                return;
            }
            // the table itself is now complete: loop to store it in its parent
        }
    }

    public static void PushErrorTable(IntPtr L, string message)
    {
        NewTable(L);
        PushString(L, message);
        SetField(L, -2, "err\0"u8);
    }
}
