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
/// <remarks>
/// Nesting is walked with an explicit stack, not recursion: a script can return a table nested
/// thousands deep (or a cycle), and a stack overflow would kill the silo. The depth limit is
/// Redis's own: its converter calls lua_checkstack(4) for every value, which Lua 5.1 refuses past
/// LUAI_MAXCSTACK (8000) slots; that value becomes "ERR reached lua stack limit" and the enclosing
/// aggregate goes on. Frame heights replay the slots Redis's converter holds per level (array 1,
/// map key 4 / value 3, set 3), so the error lands exactly where Redis 7.0 puts it: inside 7995
/// nested arrays, 2665 nested sets.
/// </remarks>
internal static class LuaResultConverter
{
    private const int RedisMaxCStack = 8000;
    /// <summary>
    /// A reply may not hold more values or bytes than this. Tables shared inside the result
    /// (<c>t = {t, t}</c>, forty times) make a reply exponentially larger than the script's memory;
    /// Redis writes it until it runs out of memory. 2^24 values is 4× what a default 64 MB script
    /// heap can hold; 512 MB is proto-max-bulk-len, and the largest string must still pass with its
    /// framing (hence the extra megabyte).
    /// </summary>
    internal const int MaxReplyValues = 1 << 24;
    internal const int MaxReplyBytes = 513 * 1024 * 1024;
    internal const string ReplyTooLargeError = "ERR script reply too large (more than 16777216 values or 512 MB)";
    /// <summary>Redis's stack height at the result: the error handler below it, then the result.</summary>
    private const int ResultHeight = 2;

    private enum Kind { Array, Map, Set }

    /// <summary>
    /// An aggregate being written. Its table stays on the Lua stack until it is done; for a map or set
    /// the inner table and the iteration key sit above it.
    /// </summary>
    private struct Frame
    {
        public Kind Kind;
        /// <summary>Absolute stack index of the array, or of the inner table of {map=…}/{set=…}.</summary>
        public int Table;
        public int Count;
        public int Next;
        /// <summary>Redis's stack height at this table's slot.</summary>
        public int Height;
        /// <summary>Map: the key is written; its value is on the stack top.</summary>
        public bool ValuePending;
    }

    public static void Write(IntPtr L, int index, IReplyWriter reply, RespProtocol scriptResp)
    {
        int stackTop = lua_gettop(L);
        var bytes = reply as RespWriter; // the only writer a script's result goes to; others are not capped
        int start = bytes?.Length ?? 0;
        lua_pushvalue(L, index);
        List<Frame>? frames = null;
        WriteTop(L, reply, scriptResp, ResultHeight, ref frames);
        int values = 1;
        while (frames is { Count: > 0 })
        {
            if (bytes is not null && (values > MaxReplyValues || bytes.Length - start > MaxReplyBytes))
            {
                bytes.Truncate(start);
                bytes.WriteError(ReplyTooLargeError);
                lua_settop(L, stackTop);
                return;
            }
            // copy out: WriteTop may add frames, which can move the list's storage
            var frame = frames[^1];
            int height;
            switch (frame.Kind)
            {
                case Kind.Array:
                    if (frame.Next > frame.Count)
                    {
                        frames.RemoveAt(frames.Count - 1);
                        Pop(L, 1);
                        continue;
                    }
                    lua_rawgeti(L, frame.Table, frame.Next++);
                    height = frame.Height + 1; // table, element
                    break;
                case Kind.Map when frame.ValuePending:
                    frame.ValuePending = false;
                    height = frame.Height + 3; // table, inner, key, value
                    break;
                default:
                    if (lua_next(L, frame.Table) == 0)
                    {
                        frames.RemoveAt(frames.Count - 1);
                        Pop(L, 2); // inner table and its wrapper
                        continue;
                    }
                    if (frame.Kind == Kind.Set) Pop(L, 1); // the set's "true"
                    else frame.ValuePending = true;
                    lua_pushvalue(L, frame.Kind == Kind.Set ? -1 : -2); // a copy of the key: the key stays for lua_next
                    height = frame.Height + (frame.Kind == Kind.Set ? 3 : 4);
                    break;
            }
            frames[^1] = frame;
            values++;
            WriteTop(L, reply, scriptResp, height, ref frames);
        }
    }

    /// <summary>
    /// Writes the value on the stack top and pops it, or, for an array/map/set, writes its header and
    /// leaves it on the stack with a frame for the loop in <see cref="Write"/>.
    /// </summary>
    private static void WriteTop(IntPtr L, IReplyWriter reply, RespProtocol scriptResp, int height, ref List<Frame>? frames)
    {
        if (height + 4 > RedisMaxCStack || lua_checkstack(L, 6) == 0)
        {
            reply.WriteError("ERR reached lua stack limit");
            Pop(L, 1);
            return;
        }
        switch (lua_type(L, -1))
        {
            case TNumber:
                reply.WriteInteger(lua_isinteger(L, -1) != 0 ? lua_tointegerx(L, -1, out _) : Truncate(lua_tonumberx(L, -1, out _)));
                break;
            case TString:
                reply.WriteBulk(ToBytes(L, -1));
                break;
            case TBoolean:
                bool value = lua_toboolean(L, -1) != 0;
                if (scriptResp == RespProtocol.Resp3) reply.WriteBoolean(value);
                else if (value) reply.WriteInteger(1);
                else reply.WriteNull();
                break;
            case TTable:
                WriteTable(L, reply, height, frames ??= []);
                return;
            default:
                reply.WriteNull();
                break;
        }
        Pop(L, 1);
    }

    private static void WriteTable(IntPtr L, IReplyWriter reply, int height, List<Frame> frames)
    {
        int t = lua_gettop(L);
        if (Field(L, t, "err") == TString) { reply.WriteError(ToUtf8(L, -1)); Pop(L, 2); return; }
        Pop(L, 1);
        if (Field(L, t, "ok") == TString) { reply.WriteSimpleString(ToUtf8(L, -1)); Pop(L, 2); return; }
        Pop(L, 1);
        if (Field(L, t, "double") == TNumber) { reply.WriteDouble(lua_tonumberx(L, -1, out _)); Pop(L, 2); return; }
        Pop(L, 1);
        if (Field(L, t, "big_number") == TString) { reply.WriteBigNumber(ToUtf8(L, -1)); Pop(L, 2); return; }
        Pop(L, 1);
        foreach (var (name, kind) in (ReadOnlySpan<(string, Kind)>)[("map", Kind.Map), ("set", Kind.Set)])
        {
            if (Field(L, t, name) == TTable)
            {
                int count = CountPairs(L, t + 1);
                if (kind == Kind.Map) reply.WriteMapHeader(count);
                else reply.WriteSetHeader(count);
                frames.Add(new Frame { Kind = kind, Table = t + 1, Height = height });
                lua_pushnil(L); // first key for lua_next
                return;
            }
            Pop(L, 1);
        }
        if (Field(L, t, "verbatim_string") == TTable)
        {
            Field(L, -1, "string");
            reply.WriteVerbatim(ToUtf8(L, -1));
            Pop(L, 3);
            return;
        }
        Pop(L, 1);
        int length = 0;
        while (lua_rawgeti(L, t, length + 1) != TNil)
        {
            Pop(L, 1);
            length++;
        }
        Pop(L, 1);
        reply.WriteArrayHeader(length);
        frames.Add(new Frame { Kind = Kind.Array, Table = t, Count = length, Next = 1, Height = height });
    }

    private static int CountPairs(IntPtr L, int table)
    {
        int count = 0;
        lua_pushnil(L);
        while (lua_next(L, table) != 0)
        {
            Pop(L, 1);
            count++;
        }
        return count;
    }

    private static int Field(IntPtr L, int table, string name) => RawGetField(L, table, name);

    /// <summary>C's (long long) cast as Redis does it on x86-64: out-of-range values become LLONG_MIN.</summary>
    private static long Truncate(double value) =>
        double.IsNaN(value) || value >= 9.2233720368547758e18 || value < -9.2233720368547758e18 ? long.MinValue : (long)value;
}
