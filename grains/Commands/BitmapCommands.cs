using System.Numerics;
using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.Commands;

/// <summary>
/// Bitmaps: bit operations on string values, as Redis 7.0's bitops.c (bit 0 is the most significant bit of
/// the first byte). Strings are immutable here, so a write builds the new value (a script's undo journal
/// and the write set keep the old one).
/// </summary>
public static class BitmapCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
        ["setbit"] = SetBit,
        ["getbit"] = GetBit,
        ["bitcount"] = BitCount,
        ["bitpos"] = BitPos,
        ["bitop"] = BitOp,
    };

    private const string BadOffset = "ERR bit offset is not an integer or out of range";
    private const string BadBit = "ERR bit is not an integer or out of range";

    /// <summary>A bit offset: non-negative, its byte within the longest string (Redis's getBitOffsetFromArgument).</summary>
    internal static bool TryOffset(CommandContext c, byte[] arg, out long offset)
    {
        if (arg.TryInt64(out offset) && offset >= 0 && (offset >> 3) < StringCommands.MaxStringLength) return true;
        c.Reply.WriteError(BadOffset);
        return false;
    }

    public static void SetBit(CommandContext c)
    {
        if (!TryOffset(c, c.Args[2], out long offset)) return;
        if (!c.Args[3].TryInt64(out long on) || (on & ~1L) != 0)
        {
            c.Reply.WriteError(BadBit);
            return;
        }
        var key = c.Args[1];
        if (!StringCommands.TryGetString(c, key, out var value)) return;
        long index = offset >> 3;
        int mask = 1 << (7 - (int)(offset & 7));
        bool was = value is not null && index < value.Length && (value[index] & mask) != 0;
        bool grows = value is null || index >= value.Length;
        if (grows || was != (on == 1))
        {
            var updated = new byte[Math.Max(value?.Length ?? 0, index + 1)];
            value?.CopyTo(updated, 0);
            updated[index] = (byte)(on == 1 ? updated[index] | mask : updated[index] & ~mask);
            c.Keys.Set(key, updated, c.Now, keepTtl: true);
        }
        c.Reply.WriteInteger(was ? 1 : 0);
    }

    public static void GetBit(CommandContext c)
    {
        if (!TryOffset(c, c.Args[2], out long offset)) return;
        if (!StringCommands.TryGetString(c, c.Args[1], out var value)) return;
        long index = offset >> 3;
        bool set = value is not null && index < value.Length && (value[index] & (1 << (7 - (int)(offset & 7)))) != 0;
        c.Reply.WriteInteger(set ? 1 : 0);
    }

    /// <summary>BITCOUNT key [start end [BYTE|BIT]]: the key is looked up before the range is parsed, as in Redis.</summary>
    public static void BitCount(CommandContext c)
    {
        var a = c.Args;
        if (!StringCommands.TryGetString(c, a[1], out var value)) return;
        if (value is null)
        {
            c.Reply.WriteInteger(0);
            return;
        }
        long first = 0, last = value.LongLength * 8 - 1;
        if (a.Length is 4 or 5)
        {
            if (!a[2].TryInt64(out long start) || !a[3].TryInt64(out long end))
            {
                c.Reply.WriteError(Errors.NotInteger);
                return;
            }
            if (start < 0 && end < 0 && start > end)
            {
                c.Reply.WriteInteger(0);
                return;
            }
            bool bits = false;
            if (a.Length == 5 && !TryUnit(c, a[4], out bits)) return;
            (first, last) = BitRange(value.LongLength, start, end, bits);
        }
        else if (a.Length != 2)
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        c.Reply.WriteInteger(first > last ? 0 : CountBits(value, first, last));
    }

    /// <summary>BITPOS key bit [start [end [BYTE|BIT]]].</summary>
    public static void BitPos(CommandContext c)
    {
        var a = c.Args;
        if (!a[2].TryInt64(out long bit))
        {
            c.Reply.WriteError(Errors.NotInteger);
            return;
        }
        if (bit is not (0 or 1))
        {
            c.Reply.WriteError("ERR The bit argument must be 1 or 0.");
            return;
        }
        if (!StringCommands.TryGetString(c, a[1], out var value)) return;
        if (value is null)
        {
            // A missing key is an endless run of zeros.
            c.Reply.WriteInteger(bit == 1 ? -1 : 0);
            return;
        }
        long first = 0, last = value.LongLength * 8 - 1;
        bool endGiven = a.Length >= 5;
        if (a.Length is 4 or 5 or 6)
        {
            if (!a[3].TryInt64(out long start))
            {
                c.Reply.WriteError(Errors.NotInteger);
                return;
            }
            bool bits = false;
            if (a.Length == 6 && !TryUnit(c, a[5], out bits)) return;
            long end = bits ? value.LongLength * 8 - 1 : value.LongLength - 1;
            if (endGiven && !a[4].TryInt64(out end))
            {
                c.Reply.WriteError(Errors.NotInteger);
                return;
            }
            (first, last) = BitRange(value.LongLength, start, end, bits);
        }
        else if (a.Length != 3)
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        if (first > last)
        {
            c.Reply.WriteInteger(-1);
            return;
        }
        long found = FindBit(value, first, last, bit == 1);
        // Past a range with no explicit end, the string continues with zeros.
        if (found < 0 && bit == 0 && !endGiven) found = (last / 8 + 1) * 8;
        c.Reply.WriteInteger(found);
    }

    /// <summary>BITOP AND|OR|XOR|NOT destkey key [key …]: the result's length is the longest source's; an empty result deletes destkey.</summary>
    public static void BitOp(CommandContext c)
    {
        var a = c.Args;
        char op = a[1].Is("and") ? '&' : a[1].Is("or") ? '|' : a[1].Is("xor") ? '^' : a[1].Is("not") ? '~' : '\0';
        if (op == '\0')
        {
            c.Reply.WriteError(Errors.Syntax);
            return;
        }
        if (op == '~' && a.Length != 4)
        {
            c.Reply.WriteError("ERR BITOP NOT must be called with a single source key.");
            return;
        }
        var sources = new byte[a.Length - 3][];
        int longest = 0;
        for (int i = 0; i < sources.Length; i++)
        {
            if (!StringCommands.TryGetString(c, a[i + 3], out var value)) return;
            sources[i] = value ?? [];
            longest = Math.Max(longest, sources[i].Length);
        }
        if (longest == 0)
        {
            c.Keys.Delete(a[2], c.Now);
            c.Reply.WriteInteger(0);
            return;
        }
        var result = new byte[longest];
        sources[0].CopyTo(result, 0);
        if (op == '~')
            for (int j = 0; j < result.Length; j++) result[j] = (byte)~result[j];
        for (int i = 1; i < sources.Length; i++)
        {
            var source = sources[i];
            for (int j = 0; j < result.Length; j++)
            {
                byte b = j < source.Length ? source[j] : (byte)0;
                result[j] = op switch { '&' => (byte)(result[j] & b), '|' => (byte)(result[j] | b), _ => (byte)(result[j] ^ b) };
            }
        }
        c.Keys.Set(a[2], result, c.Now);
        c.Reply.WriteInteger(longest);
    }

    private static bool TryUnit(CommandContext c, byte[] arg, out bool bits)
    {
        bits = arg.Is("bit");
        if (bits || arg.Is("byte")) return true;
        c.Reply.WriteError(Errors.Syntax);
        return false;
    }

    /// <summary>A start/end pair in bytes or bits (negative from the end, clamped) as an inclusive range of bits.</summary>
    private static (long First, long Last) BitRange(long length, long start, long end, bool bits)
    {
        long total = bits ? length * 8 : length;
        if (start < 0) start += total;
        if (end < 0) end += total;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= total) end = total - 1;
        return bits ? (start, end) : (start * 8, end * 8 + 7);
    }

    private static long CountBits(byte[] value, long first, long last)
    {
        long count = 0;
        for (long i = first >> 3; i <= last >> 3; i++) count += BitOperations.PopCount((uint)(value[i] & ByteMask(i, first, last)));
        return count;
    }

    /// <summary>The first bit equal to <paramref name="one"/> in [first, last], or -1.</summary>
    private static long FindBit(byte[] value, long first, long last, bool one)
    {
        for (long i = first >> 3; i <= last >> 3; i++)
        {
            int mask = ByteMask(i, first, last);
            int bits = (one ? value[i] : ~value[i]) & mask;
            if (bits != 0) return i * 8 + BitOperations.LeadingZeroCount((uint)bits) - 24;
        }
        return -1;
    }

    /// <summary>The bits of byte <paramref name="index"/> that lie in [first, last].</summary>
    private static int ByteMask(long index, long first, long last)
    {
        int mask = 0xFF;
        if (index == first >> 3) mask &= 0xFF >> (int)(first & 7);
        if (index == last >> 3) mask &= 0xFF << (7 - (int)(last & 7)) & 0xFF;
        return mask;
    }
}
