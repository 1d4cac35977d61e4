using OrleansLua.Protocol;
using static OrleansLua.Grains.Scripting.LuaNative;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// Receives a command's reply and pushes it onto a Lua stack as Redis converts replies for scripts.
/// RESP2 (default): integer → number, bulk → string, nil → false, array → table, status → {ok=…},
/// error → {err=…}. After redis.setresp(3) the RESP3 types arrive too: map → {map={…}},
/// set → {set={…}}, double → {double=n}, null → nil, boolean → true/false, verbatim → {verbatim_string=…}.
/// </summary>
internal sealed class LuaReplyWriter(IntPtr state, RespProtocol protocol = RespProtocol.Resp2) : IReplyWriter
{
    private readonly IntPtr L = state;
    private readonly Stack<Aggregate> _open = new();

    private enum Kind { Array, Map, Set }

    private sealed class Aggregate(Kind kind, int remaining)
    {
        public Kind Kind = kind;
        public int Remaining = remaining;
        public int Index;
        public bool KeyPending = true;
    }

    public RespProtocol Protocol => protocol;
    /// <summary>The top-level reply was an error.</summary>
    public bool IsError { get; private set; }

    private bool Resp3 => protocol == RespProtocol.Resp3;

    public void WriteSimpleString(string value)
    {
        NewTable(L);
        PushString(L, value);
        SetField(L, -2, "ok\0"u8);
        Completed();
    }

    public void WriteError(string message)
    {
        if (_open.Count == 0) IsError = true;
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
        if (Resp3) lua_pushnil(L);
        else lua_pushboolean(L, 0);
        Completed();
    }

    public void WriteNullArray() => WriteNull();

    public void WriteArrayHeader(int count) => Open(Kind.Array, count);

    public void WriteSetHeader(int count)
    {
        if (Resp3) Open(Kind.Set, count);
        else Open(Kind.Array, count);
    }

    public void WriteMapHeader(int pairs)
    {
        if (Resp3) Open(Kind.Map, pairs * 2);
        else Open(Kind.Array, pairs * 2);
    }

    public void WriteDouble(double value)
    {
        if (!Resp3)
        {
            WriteBulkString(RespNumbers.FormatDouble(value));
            return;
        }
        NewTable(L);
        lua_pushnumber(L, value);
        SetField(L, -2, "double\0"u8);
        Completed();
    }

    public void WriteBoolean(bool value)
    {
        if (Resp3) lua_pushboolean(L, value ? 1 : 0);
        else lua_pushinteger(L, value ? 1 : 0);
        Completed();
    }

    public void WriteVerbatim(string text)
    {
        if (!Resp3)
        {
            WriteBulkString(text);
            return;
        }
        NewTable(L);
        NewTable(L);
        PushString(L, "txt");
        SetField(L, -2, "format\0"u8);
        PushString(L, text);
        SetField(L, -2, "string\0"u8);
        SetField(L, -2, "verbatim_string\0"u8);
        Completed();
    }

    private void Open(Kind kind, int count)
    {
        lua_checkstack(L, 6);
        if (kind == Kind.Array)
        {
            lua_createtable(L, count, 0);
        }
        else
        {
            // {map={…}} / {set={…}}: the outer table, then the inner one being filled
            NewTable(L);
            lua_createtable(L, 0, kind == Kind.Map ? count / 2 : count);
        }
        if (count == 0) Close(kind);
        else _open.Push(new Aggregate(kind, count));
    }

    /// <summary>The inner table of a map/set is finished: store it in its wrapper.</summary>
    private void Close(Kind kind)
    {
        if (kind == Kind.Map) SetField(L, -2, "map\0"u8);
        else if (kind == Kind.Set) SetField(L, -2, "set\0"u8);
        Completed();
    }

    /// <summary>A value is complete on the stack: store it into the enclosing aggregate, if any.</summary>
    private void Completed()
    {
        if (_open.Count == 0) return;
        var top = _open.Peek();
        switch (top.Kind)
        {
            case Kind.Array:
                lua_rawseti(L, -2, ++top.Index);
                break;
            case Kind.Set:
                lua_pushboolean(L, 1);
                lua_rawset(L, -3);
                break;
            case Kind.Map:
                if (top.KeyPending)
                {
                    top.KeyPending = false; // leave the key on the stack until its value arrives
                    top.Remaining--;
                    return;
                }
                lua_rawset(L, -3);
                top.KeyPending = true;
                break;
        }
        if (--top.Remaining > 0) return;
        _open.Pop();
        Close(top.Kind);
    }

    public static void PushErrorTable(IntPtr L, string message)
    {
        NewTable(L);
        PushString(L, message);
        SetField(L, -2, "err\0"u8);
    }
}
