using System.Globalization;
using OrleansLua.Protocol;

namespace OrleansLua.GrainInterfaces.Commands;

/// <summary>Where a blocking command's timeout is, parsed with Redis's rules and error texts.</summary>
public static class BlockingTimeout
{
    /// <summary>
    /// False with <paramref name="error"/> for a malformed timeout. <paramref name="blocks"/> is false when
    /// the command does not block this time (XREAD without BLOCK); <paramref name="timeout"/> null = forever.
    /// </summary>
    public static bool TryParse(CommandSpec spec, byte[][] args, out bool blocks, out TimeSpan? timeout, out string? error)
    {
        blocks = true;
        timeout = null;
        error = null;
        switch (spec.Name)
        {
            case "blpop" or "brpop" or "bzpopmin" or "bzpopmax" or "blmove" or "brpoplpush":
                return TrySeconds(args[^1], out timeout, out error);
            case "blmpop" or "bzmpop":
                return TrySeconds(args[1], out timeout, out error);
            case "xread" or "xreadgroup":
                for (int i = 1; i < args.Length - 1; i++)
                {
                    if (!Is(args[i], "block")) continue;
                    if (!RespNumbers.TryParseInt64(args[i + 1], out long ms))
                    {
                        error = "ERR timeout is not an integer or out of range";
                        return false;
                    }
                    if (ms < 0)
                    {
                        error = "ERR timeout is negative";
                        return false;
                    }
                    timeout = ms == 0 ? null : TimeSpan.FromMilliseconds(ms);
                    return true;
                }
                blocks = false;
                return true;
            default:
                blocks = false;
                return true;
        }
    }

    /// <summary>Seconds as a float (0.001 is one millisecond, 0 is forever), as BLPOP takes them.</summary>
    private static bool TrySeconds(byte[] arg, out TimeSpan? timeout, out string? error)
    {
        timeout = null;
        error = null;
        if (!RespNumbers.TryParseDouble(arg, out double seconds) || double.IsInfinity(seconds))
        {
            error = "ERR timeout is not a float or out of range";
            return false;
        }
        if (seconds < 0)
        {
            error = "ERR timeout is negative";
            return false;
        }
        if (seconds > 1e9)
        {
            error = "ERR timeout is out of range";
            return false;
        }
        if (seconds > 0) timeout = TimeSpan.FromMilliseconds(Math.Max(1, Math.Round(seconds * 1000, MidpointRounding.AwayFromZero)));
        return true;
    }

    private static bool Is(byte[] arg, string word) =>
        arg.Length == word.Length && System.Text.Encoding.ASCII.GetString(arg).Equals(word, StringComparison.OrdinalIgnoreCase);
}
