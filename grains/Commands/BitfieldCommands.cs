namespace OrleansLua.Grains.Commands;

/// <summary>
/// BITFIELD and BITFIELD_RO: integers of 1–64 bits at any bit offset of a string, as Redis 7.0's bitops.c
/// (every operation is parsed before any runs; a write grows the string to the farthest bit it sets;
/// OVERFLOW WRAP|SAT|FAIL applies to the operations after it). Arithmetic is unchecked on purpose: it
/// follows the C code's two's-complement wrapping.
/// </summary>
public static class BitfieldCommands
{
    public static readonly IReadOnlyDictionary<string, CommandHandler> Handlers = new Dictionary<string, CommandHandler>
    {
        ["bitfield"] = c => Bitfield(c, readOnly: false),
        ["bitfield_ro"] = c => Bitfield(c, readOnly: true),
    };

    private enum Op { Get, Set, IncrBy }
    private enum Overflow { Wrap, Sat, Fail }

    private readonly record struct Operation(Op Op, long Offset, long Value, Overflow Overflow, int Bits, bool Signed);

    private const string BadType = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    private static void Bitfield(CommandContext c, bool readOnly)
    {
        var a = c.Args;
        var ops = new List<Operation>();
        var overflow = Overflow.Wrap;
        bool writes = false;
        long highestBit = 0;
        for (int j = 2; j < a.Length; j++)
        {
            int remaining = a.Length - j - 1;
            Op op;
            if (a[j].Is("get") && remaining >= 2) op = Op.Get;
            else if (a[j].Is("set") && remaining >= 3) op = Op.Set;
            else if (a[j].Is("incrby") && remaining >= 3) op = Op.IncrBy;
            else if (a[j].Is("overflow") && remaining >= 1)
            {
                var kind = a[++j];
                if (kind.Is("wrap")) overflow = Overflow.Wrap;
                else if (kind.Is("sat")) overflow = Overflow.Sat;
                else if (kind.Is("fail")) overflow = Overflow.Fail;
                else
                {
                    c.Reply.WriteError("ERR Invalid OVERFLOW type specified");
                    return;
                }
                continue;
            }
            else
            {
                c.Reply.WriteError(Errors.Syntax);
                return;
            }
            if (!TryType(a[j + 1], out bool signed, out int bits))
            {
                c.Reply.WriteError(BadType);
                return;
            }
            if (!TryOffset(c, a[j + 2], bits, out long offset)) return;
            long value = 0;
            if (op != Op.Get)
            {
                writes = true;
                highestBit = Math.Max(highestBit, offset + bits - 1);
                if (!a[j + 3].TryInt64(out value))
                {
                    c.Reply.WriteError(Errors.NotInteger);
                    return;
                }
            }
            ops.Add(new Operation(op, offset, value, overflow, bits, signed));
            j += op == Op.Get ? 2 : 3;
        }

        if (writes && readOnly)
        {
            c.Reply.WriteError("ERR BITFIELD_RO only supports the GET subcommand");
            return;
        }
        if (!StringCommands.TryGetString(c, a[1], out var current)) return;
        byte[]? updated = null;
        bool changed = false;
        if (writes)
        {
            long length = Math.Max(current?.Length ?? 0, (highestBit >> 3) + 1);
            updated = new byte[length];
            current?.CopyTo(updated, 0);
            changed = current is null || length != current.Length;
        }
        c.Reply.WriteArrayHeader(ops.Count);
        foreach (var op in ops)
        {
            if (op.Op == Op.Get)
            {
                // A GET reads the string as it is at that point of the command (earlier SETs included).
                var source = updated ?? current ?? [];
                ulong raw = GetUnsigned(source, op.Offset, op.Bits);
                c.Reply.WriteInteger(op.Signed ? SignExtend(raw, op.Bits) : (long)raw);
                continue;
            }
            if (!Apply(updated!, op, out long reply, ref changed)) c.Reply.WriteNull();
            else c.Reply.WriteInteger(reply);
        }
        if (!changed) return;
        c.Keys.Set(a[1], updated!, c.Now, keepTtl: true);
    }

    /// <summary>SET or INCRBY on the new value; false when OVERFLOW FAIL refused it (nothing written).</summary>
    private static bool Apply(byte[] value, Operation op, out long reply, ref bool changed)
    {
        unchecked
        {
            ulong oldRaw = GetUnsigned(value, op.Offset, op.Bits);
            ulong newRaw;
            bool overflowed;
            if (op.Signed)
            {
                long old = SignExtend(oldRaw, op.Bits), next;
                if (op.Op == Op.IncrBy)
                {
                    overflowed = SignedOverflow(old, op.Value, op.Bits, op.Overflow, out long limit);
                    next = overflowed ? limit : old + op.Value;
                    reply = next;
                }
                else
                {
                    overflowed = SignedOverflow(op.Value, 0, op.Bits, op.Overflow, out long limit);
                    next = overflowed ? limit : op.Value;
                    reply = old;
                }
                newRaw = (ulong)next;
            }
            else
            {
                if (op.Op == Op.IncrBy)
                {
                    overflowed = UnsignedOverflow(oldRaw, op.Value, op.Bits, op.Overflow, out ulong limit);
                    newRaw = overflowed ? limit : oldRaw + (ulong)op.Value;
                    reply = (long)newRaw;
                }
                else
                {
                    overflowed = UnsignedOverflow((ulong)op.Value, 0, op.Bits, op.Overflow, out ulong limit);
                    newRaw = overflowed ? limit : (ulong)op.Value;
                    reply = (long)oldRaw;
                }
            }
            if (overflowed && op.Overflow == Overflow.Fail) return false;
            SetUnsigned(value, op.Offset, op.Bits, newRaw);
            changed |= GetUnsigned(value, op.Offset, op.Bits) != oldRaw;
            return true;
        }
    }

    /// <summary>checkUnsignedBitfieldOverflow: whether value + incr leaves the type's range, and what to store then.</summary>
    private static bool UnsignedOverflow(ulong value, long incr, int bits, Overflow mode, out ulong limit)
    {
        unchecked
        {
            ulong max = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
            long maxIncr = (long)(max - value), minIncr = -(long)value;
            limit = 0;
            bool over = value > max || incr > 0 && incr > maxIncr;
            bool under = !over && incr < 0 && incr < minIncr;
            if (!over && !under) return false;
            if (mode == Overflow.Wrap) limit = (value + (ulong)incr) & ~(ulong.MaxValue << bits);
            else if (mode == Overflow.Sat) limit = over ? max : 0;
            return true;
        }
    }

    /// <summary>checkSignedBitfieldOverflow: the same for signed types (wrapping keeps two's complement of that width).</summary>
    private static bool SignedOverflow(long value, long incr, int bits, Overflow mode, out long limit)
    {
        unchecked
        {
            long max = bits == 64 ? long.MaxValue : (1L << (bits - 1)) - 1, min = -max - 1;
            long maxIncr = (long)((ulong)max - (ulong)value), minIncr = min - value;
            limit = 0;
            bool over = value > max || bits != 64 && incr > maxIncr || value >= 0 && incr > 0 && incr > maxIncr;
            bool under = !over && (value < min || bits != 64 && incr < minIncr || value < 0 && incr < 0 && incr < minIncr);
            if (!over && !under) return false;
            if (mode == Overflow.Wrap) limit = SignExtend((ulong)value + (ulong)incr, bits);
            else if (mode == Overflow.Sat) limit = over ? max : min;
            return true;
        }
    }

    /// <summary>"i1".."i64" or "u1".."u63" (lower case only, as Redis).</summary>
    private static bool TryType(byte[] arg, out bool signed, out int bits)
    {
        signed = arg.Length > 0 && arg[0] == (byte)'i';
        bits = 0;
        bool unsigned = arg.Length > 0 && arg[0] == (byte)'u';
        if (!signed && !unsigned || !arg[1..].TryInt64(out long width) || width < 1 || width > (signed ? 64 : 63)) return false;
        bits = (int)width;
        return true;
    }

    /// <summary>A bit offset, or "#N" for the N-th field of this width.</summary>
    private static bool TryOffset(CommandContext c, byte[] arg, int bits, out long offset)
    {
        if (arg.Length > 0 && arg[0] == (byte)'#')
        {
            offset = 0;
            if (!arg[1..].TryInt64(out long index) || index < 0 || index > long.MaxValue / bits || (index * bits >> 3) >= StringCommands.MaxStringLength)
            {
                c.Reply.WriteError("ERR bit offset is not an integer or out of range");
                return false;
            }
            offset = index * bits;
            return true;
        }
        return BitmapCommands.TryOffset(c, arg, out offset);
    }

    private static ulong GetUnsigned(byte[] value, long offset, int bits)
    {
        ulong result = 0;
        for (int j = 0; j < bits; j++, offset++)
        {
            long index = offset >> 3;
            int bit = index < value.Length ? (value[index] >> (7 - (int)(offset & 7))) & 1 : 0;
            result = result << 1 | (uint)bit;
        }
        return result;
    }

    private static void SetUnsigned(byte[] value, long offset, int bits, ulong raw)
    {
        for (int j = 0; j < bits; j++, offset++)
        {
            int mask = 1 << (7 - (int)(offset & 7));
            bool set = (raw >> (bits - 1 - j) & 1) != 0;
            value[offset >> 3] = (byte)(set ? value[offset >> 3] | mask : value[offset >> 3] & ~mask);
        }
    }

    /// <summary>The low <paramref name="bits"/> of <paramref name="raw"/> as a two's-complement integer of that width.</summary>
    private static long SignExtend(ulong raw, int bits)
    {
        if (bits == 64) return unchecked((long)raw);
        raw &= ~(ulong.MaxValue << bits);
        return unchecked((long)((raw & 1UL << (bits - 1)) != 0 ? raw | ulong.MaxValue << bits : raw));
    }
}
