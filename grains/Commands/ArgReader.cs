using System.Text;
using OrleansLua.Protocol;

namespace OrleansLua.Grains.Commands;

/// <summary>Small helpers for reading command arguments the way Redis does.</summary>
public static class ArgReader
{
    public static bool Is(this byte[] arg, string word) => RespArgs.Is(arg, word);

    public static bool TryInt64(this byte[] arg, out long value) => RespNumbers.TryParseInt64(arg, out value);

    public static string Text(this byte[] arg) => Encoding.UTF8.GetString(arg);

    public static byte[] Bytes(long value) => Encoding.ASCII.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
