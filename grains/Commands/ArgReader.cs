using System.Text;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Commands;

/// <summary>Small helpers for reading command arguments the way Redis does.</summary>
public static class ArgReader
{
    public static bool Is(this byte[] arg, string word)
    {
        if (arg.Length != word.Length) return false;
        for (int i = 0; i < arg.Length; i++)
            if (Lower(arg[i]) != Lower((byte)word[i])) return false;
        return true;
    }

    private static byte Lower(byte c) => c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c | 0x20) : c;

    public static bool TryInt64(this byte[] arg, out long value) => RespNumbers.TryParseInt64(arg, out value);

    public static string Text(this byte[] arg) => Encoding.UTF8.GetString(arg);

    public static byte[] Bytes(long value) => Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
