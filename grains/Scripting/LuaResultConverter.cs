using OrleansLua.Protocol;
using static OrleansLua.Grains.Scripting.LuaNative;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// Turns a script's return value into a reply, as Redis does: number → integer (truncated),
/// string → bulk, true → 1, false/nil → nil, {err=…} → error, {ok=…} → status, other tables →
/// array up to the first nil.
/// </summary>
internal static class LuaResultConverter
{
    private const int MaxDepth = 1000;

    public static void Write(IntPtr L, int index, IReplyWriter reply) => Write(L, index, reply, 0);

    private static void Write(IntPtr L, int index, IReplyWriter reply, int depth)
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
                if (lua_toboolean(L, index) != 0) reply.WriteInteger(1);
                else reply.WriteNull();
                break;
            case TTable:
                WriteTable(L, index, reply, depth);
                break;
            default:
                reply.WriteNull();
                break;
        }
    }

    private static void WriteTable(IntPtr L, int index, IReplyWriter reply, int depth)
    {
        if (depth >= MaxDepth || lua_checkstack(L, 4) == 0)
        {
            reply.WriteError("ERR reached lua stack limit");
            return;
        }
        int absolute = index < 0 ? lua_gettop(L) + index + 1 : index;
        if (GetField(L, absolute, "err\0"u8) == TString)
        {
            reply.WriteError(ToUtf8(L, -1));
            Pop(L, 1);
            return;
        }
        Pop(L, 1);
        if (GetField(L, absolute, "ok\0"u8) == TString)
        {
            reply.WriteSimpleString(ToUtf8(L, -1));
            Pop(L, 1);
            return;
        }
        Pop(L, 1);
        int count = 0;
        while (lua_rawgeti(L, absolute, count + 1) != TNil)
        {
            Pop(L, 1);
            count++;
        }
        Pop(L, 1);
        reply.WriteArrayHeader(count);
        for (int i = 1; i <= count; i++)
        {
            lua_rawgeti(L, absolute, i);
            Write(L, -1, reply, depth + 1);
            Pop(L, 1);
        }
    }

    /// <summary>C's (long long) cast as Redis does it on x86-64: out-of-range values become LLONG_MIN.</summary>
    private static long Truncate(double value) =>
        double.IsNaN(value) || value >= 9.2233720368547758e18 || value < -9.2233720368547758e18 ? long.MinValue : (long)value;
}
