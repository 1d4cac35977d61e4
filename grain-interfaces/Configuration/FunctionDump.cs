using System.Buffers.Binary;

namespace OrleansLua.GrainInterfaces.Configuration;

/// <summary>
/// FUNCTION DUMP / RESTORE payloads as redis-server 7.0 writes them: per library the RDB function opcode
/// (245) and its code as an RDB string, then the RDB version (10, little-endian) and the CRC64 (Jones) of
/// everything before it. Strings are LZF-compressed as rdbSaveRawString compresses them.
/// </summary>
public static class FunctionDump
{
    private const byte FunctionOpcode = 245, OldFunctionOpcode = 246;
    private const ushort RdbVersion = 10;

    public static byte[] Write(IEnumerable<FunctionLibrary> libraries)
    {
        var payload = new List<byte>();
        foreach (var library in libraries)
        {
            payload.Add(FunctionOpcode);
            // as rdbSaveRawString with rdbcompression yes: LZF when the string is longer than 20 bytes and it saves 4
            var compressed = library.Code.Length > 20 ? Lzf.Compress(library.Code, library.Code.Length - 4) : null;
            if (compressed is null)
            {
                WriteLength(payload, library.Code.Length);
                payload.AddRange(library.Code);
            }
            else
            {
                payload.Add(0xC3);
                WriteLength(payload, compressed.Length);
                WriteLength(payload, library.Code.Length);
                payload.AddRange(compressed);
            }
        }
        payload.Add(RdbVersion & 0xff);
        payload.Add(RdbVersion >> 8);
        var crc = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(crc, Crc64.Compute(payload.ToArray()));
        payload.AddRange(crc);
        return payload.ToArray();
    }

    /// <summary>The libraries' codes, or Redis's error (with "ERR ").</summary>
    public static List<byte[]>? Read(byte[] payload, out string? error)
    {
        error = null;
        if (payload.Length < 10 || BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(payload.Length - 10)) > RdbVersion
            || Crc64.Compute(payload.AsSpan(0, payload.Length - 8)) != BinaryPrimitives.ReadUInt64LittleEndian(payload.AsSpan(payload.Length - 8)))
        {
            error = "ERR DUMP payload version or checksum are wrong";
            return null;
        }
        var codes = new List<byte[]>();
        int pos = 0, end = payload.Length - 10;
        try
        {
            while (pos < end)
            {
                byte type = payload[pos++];
                if (type != FunctionOpcode && type != OldFunctionOpcode)
                {
                    error = "ERR given type is not a function";
                    return null;
                }
                if (type == OldFunctionOpcode)
                {
                    error = "ERR failed loading the given functions payload";
                    return null;
                }
                codes.Add(ReadString(payload, ref pos));
            }
            return codes;
        }
        catch (IndexOutOfRangeException)
        {
            error = "ERR failed loading the given functions payload";
            return null;
        }
        catch (ArgumentException)
        {
            error = "ERR failed loading the given functions payload";
            return null;
        }
    }

    private static void WriteLength(List<byte> output, int length)
    {
        if (length < 1 << 6) output.Add((byte)length);
        else if (length < 1 << 14)
        {
            output.Add((byte)(0x40 | (length >> 8)));
            output.Add((byte)length);
        }
        else
        {
            output.Add(0x80);
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)length);
            output.AddRange(bytes);
        }
    }

    /// <summary>An RDB length; <paramref name="encoded"/>: the special-encoding form (11xxxxxx), whose low bits are returned.</summary>
    private static long ReadLength(byte[] data, ref int pos, out bool encoded)
    {
        byte first = data[pos++];
        encoded = false;
        switch (first >> 6)
        {
            case 0: return first & 0x3f;
            case 1: return ((first & 0x3f) << 8) | data[pos++];
            case 2:
                if (first == 0x80) { long v = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos)); pos += 4; return v; }
                if (first == 0x81) { long v = (long)BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(pos)); pos += 8; return v; }
                throw new ArgumentException("bad length");
            default:
                encoded = true;
                return first & 0x3f;
        }
    }

    private static byte[] ReadString(byte[] data, ref int pos)
    {
        long length = ReadLength(data, ref pos, out bool encoded);
        if (!encoded)
        {
            var plain = data.AsSpan(pos, checked((int)length)).ToArray();
            pos += (int)length;
            return plain;
        }
        switch (length)
        {
            case 0: return System.Text.Encoding.ASCII.GetBytes(((sbyte)data[pos++]).ToString(System.Globalization.CultureInfo.InvariantCulture));
            case 1: { var v = BinaryPrimitives.ReadInt16LittleEndian(data.AsSpan(pos)); pos += 2; return System.Text.Encoding.ASCII.GetBytes(v.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
            case 2: { var v = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(pos)); pos += 4; return System.Text.Encoding.ASCII.GetBytes(v.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
            case 3:
                int compressed = checked((int)ReadLength(data, ref pos, out _));
                int size = checked((int)ReadLength(data, ref pos, out _));
                var result = Lzf.Decompress(data.AsSpan(pos, compressed), size);
                pos += compressed;
                return result;
            default: throw new ArgumentException("unknown string encoding");
        }
    }

    /// <summary>liblzf as Redis builds it (HLOG 16, VERY_FAST, offsets), so DUMP writes the bytes redis-server writes.</summary>
    private static class Lzf
    {
        private const int MaxLiteral = 1 << 5, MaxOffset = 1 << 13, MaxReference = (1 << 8) + (1 << 3);

        private static int Index(uint h) => (int)(((h >> 8) - h * 5) & 0xffff);

        /// <summary>lzf_compress: null when the result would not fit in <paramref name="outLength"/> bytes.</summary>
        public static byte[]? Compress(ReadOnlySpan<byte> input, int outLength)
        {
            // Redis leaves the hash table uninitialised (stack garbage it then bounds-checks); zeroes find the same matches but by chance
            var table = new int[1 << 16];
            var output = new byte[outLength + 8];
            int ip = 0, op = 0, end = input.Length, outEnd = outLength, lit = 0;
            op++; // start run
            uint hval = (uint)((input[0] << 8) | input[1]);
            while (ip < end - 2)
            {
                hval = (hval << 8) | input[ip + 2];
                int slot = Index(hval);
                int reference = table[slot];
                table[slot] = ip;
                int offset = ip - reference - 1;
                if (reference > 0 && offset < MaxOffset && input[reference + 2] == input[ip + 2]
                    && input[reference] == input[ip] && input[reference + 1] == input[ip + 1])
                {
                    int length = 2;
                    int maxLength = Math.Min(end - ip - length, MaxReference);
                    if (op + 3 + 1 >= outEnd && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outEnd) return null;
                    output[op - lit - 1] = (byte)(lit - 1); // stop run
                    op -= lit == 0 ? 1 : 0; // undo run if length is zero
                    bool mismatch = false;
                    if (maxLength > 16)
                        for (int i = 0; i < 16 && !mismatch; i++)
                        {
                            length++;
                            mismatch = input[reference + length] != input[ip + length];
                        }
                    if (!mismatch)
                        do length++;
                        while (length < maxLength && input[reference + length] == input[ip + length]);
                    length -= 2; // now #octets - 1
                    ip++;
                    if (length < 7) output[op++] = (byte)((offset >> 8) + (length << 5));
                    else
                    {
                        output[op++] = (byte)((offset >> 8) + (7 << 5));
                        output[op++] = (byte)(length - 7);
                    }
                    output[op++] = (byte)offset;
                    lit = 0;
                    op++; // start run
                    ip += length + 1;
                    if (ip >= end - 2) break;
                    ip -= 2;
                    hval = (uint)((input[ip] << 8) | input[ip + 1]);
                    hval = (hval << 8) | input[ip + 2];
                    table[Index(hval)] = ip;
                    ip++;
                    hval = (hval << 8) | input[ip + 2];
                    table[Index(hval)] = ip;
                    ip++;
                }
                else
                {
                    if (op >= outEnd) return null;
                    lit++;
                    output[op++] = input[ip++];
                    if (lit == MaxLiteral)
                    {
                        output[op - lit - 1] = (byte)(lit - 1);
                        lit = 0;
                        op++;
                    }
                }
            }
            if (op + 3 > outEnd) return null;
            while (ip < end)
            {
                lit++;
                output[op++] = input[ip++];
                if (lit == MaxLiteral)
                {
                    output[op - lit - 1] = (byte)(lit - 1);
                    lit = 0;
                    op++;
                }
            }
            output[op - lit - 1] = (byte)(lit - 1); // end run
            op -= lit == 0 ? 1 : 0;
            return output.AsSpan(0, op).ToArray();
        }

        public static byte[] Decompress(ReadOnlySpan<byte> input, int size)
        {
            var output = new byte[size];
            int ip = 0, op = 0;
            while (ip < input.Length)
            {
                int ctrl = input[ip++];
                if (ctrl < 32)
                {
                    ctrl++;
                    input.Slice(ip, ctrl).CopyTo(output.AsSpan(op));
                    ip += ctrl;
                    op += ctrl;
                }
                else
                {
                    int length = ctrl >> 5;
                    int reference = op - ((ctrl & 0x1f) << 8) - 1;
                    if (length == 7) length += input[ip++];
                    reference -= input[ip++];
                    length += 2;
                    if (reference < 0 || op + length > size) throw new ArgumentException("bad LZF data");
                    for (int i = 0; i < length; i++) output[op++] = output[reference++];
                }
            }
            if (op != size) throw new ArgumentException("bad LZF length");
            return output;
        }
    }

    /// <summary>Redis's CRC-64 (Jones polynomial, reflected, no final xor).</summary>
    internal static class Crc64
    {
        private static readonly ulong[] Table = BuildTable();

        private static ulong[] BuildTable()
        {
            const ulong polynomial = 0x95ac9329ac4bc9b5; // 0xad93d23594c935a9 reflected
            var table = new ulong[256];
            for (ulong i = 0; i < 256; i++)
            {
                ulong crc = i;
                for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1;
                table[i] = crc;
            }
            return table;
        }

        public static ulong Compute(ReadOnlySpan<byte> data)
        {
            ulong crc = 0;
            foreach (byte b in data) crc = Table[(byte)(crc ^ b)] ^ (crc >> 8);
            return crc;
        }
    }
}
