using System.Text;

namespace OrleansLua.Protocol;

/// <summary>Reading request arguments (binary, ASCII keywords) the way Redis compares them.</summary>
public static class RespArgs
{
    /// <summary>True when the argument is the keyword, ignoring ASCII case (NX, nx, Nx…).</summary>
    public static bool Is(this byte[] arg, string word) => Ascii.EqualsIgnoreCase(arg, word);
}
