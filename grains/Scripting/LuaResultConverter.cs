using OrleansLua.Protocol;
using static OrleansLua.Grains.Scripting.LuaNative;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// Turns a script's return value into a reply, as Redis 7 does: number → integer (truncated),
/// string → bulk, nil → null; true/false → 1/nil (or real booleans after redis.setresp(3));
/// tables: {err=…} → error, {ok=…} → status, {double=…}, {big_number=…}, {map=…}, {set=…},
/// {verbatim_string=…} → the RESP3 types (downgraded for RESP2 connections), other tables → array
/// up to the first nil. Tables are read raw: a user metatable never runs here.
/// </summary>
internal static class LuaResultConverter
{
    private const int MaxDepth = 1000;

    public static void Write(IntPtr L, int index, IReplyWriter reply, RespProtocol scriptResp) =>
        Write(L, index, reply, scriptResp, 0);

    private static void Write(IntPtr L, int index, IReplyWriter reply, RespProtocol scriptResp, int depth)
    {
        switch (lua_type(L, index))
        {
            case TNumber:
                reply.WriteInteger(lua_isinteger(L, index) != 0 ? lua_tointegerx(L, index, out _) : Truncate(lua_tonumberx(L, index, out _)));
                break;
            case TString:
                reply.WriteBulk(ToBytes(L, index));
                break;
            case TBoolean:
                bool value = lua_toboolean(L, index) != 0;
                if (scriptResp == RespProtocol.Resp3) reply.WriteBoolean(value);
                else if (value) reply.WriteInteger(1);
                else reply.WriteNull();
                break;
            case TTable:
                WriteTable(L, index, reply, scriptResp, depth);
                break;
            default:
                reply.WriteNull();
                break;
        }
    }

    private static void WriteTable(IntPtr L, int index, IReplyWriter reply, RespProtocol scriptResp, int depth)
    {
        if (depth >= MaxDepth || lua_checkstack(L, 6) == 0)
        {
            reply.WriteError("ERR reached lua stack limit");
            return;
        }
        int t = index < 0 ? lua_gettop(L) + index + 1 : index;
        if (Field(L, t, "err") == TString) { reply.WriteError(ToUtf8(L, -1)); Pop(L, 1); return; }
        Pop(L, 1);
        if (Field(L, t, "ok") == TString) { reply.WriteSimpleString(ToUtf8(L, -1)); Pop(L, 1); return; }
        Pop(L, 1);
        if (Field(L, t, "double") == TNumber) { reply.WriteDouble(lua_tonumberx(L, -1, out _)); Pop(L, 1); return; }
        Pop(L, 1);
        if (Field(L, t, "big_number") == TString) { reply.WriteBigNumber(ToUtf8(L, -1)); Pop(L, 1); return; }
        Pop(L, 1);
        if (Field(L, t, "map") == TTable) { WritePairs(L, reply, scriptResp, depth, map: true); Pop(L, 1); return; }
        Pop(L, 1);
        if (Field(L, t, "set") == TTable) { WritePairs(L, reply, scriptResp, depth, map: false); Pop(L, 1); return; }
        Pop(L, 1);
        if (Field(L, t, "verbatim_string") == TTable)
        {
            Field(L, -1, "string");
            reply.WriteVerbatim(ToUtf8(L, -1));
            Pop(L, 2);
            return;
        }
        Pop(L, 1);
        int count = 0;
        while (lua_rawgeti(L, t, count + 1) != TNil)
        {
            Pop(L, 1);
            count++;
        }
        Pop(L, 1);
        reply.WriteArrayHeader(count);
        for (int i = 1; i <= count; i++)
        {
            lua_rawgeti(L, t, i);
            Write(L, -1, reply, scriptResp, depth + 1);
            Pop(L, 1);
        }
    }

    /// <summary>The table on the stack top as a map (key, value) or a set (keys).</summary>
    private static void WritePairs(IntPtr L, IReplyWriter reply, RespProtocol scriptResp, int depth, bool map)
    {
        int t = lua_gettop(L);
        int count = 0;
        lua_pushnil(L);
        while (lua_next(L, t) != 0)
        {
            Pop(L, 1);
            count++;
        }
        if (map) reply.WriteMapHeader(count);
        else reply.WriteSetHeader(count);
        lua_pushnil(L);
        while (lua_next(L, t) != 0)
        {
            Write(L, -2, reply, scriptResp, depth + 1);
            if (map) Write(L, -1, reply, scriptResp, depth + 1);
            Pop(L, 1);
        }
    }

    private static int Field(IntPtr L, int table, string name) => RawGetField(L, table, name);

    /// <summary>C's (long long) cast as Redis does it on x86-64: out-of-range values become LLONG_MIN.</summary>
    private static long Truncate(double value) =>
        double.IsNaN(value) || value >= 9.2233720368547758e18 || value < -9.2233720368547758e18 ? long.MinValue : (long)value;
}
