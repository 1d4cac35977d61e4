using System.Globalization;
using OrleansLua.Protocol;

namespace OrleansLua.GrainInterfaces.Commands;

/// <summary>A blocking command's timeout (its place comes from the command table), parsed with Redis's rules and error texts.</summary>
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
        switch (spec.Timeout)
        {
            case null:
                blocks = false;
                return true;
            case { BlockOption: true }:
                for (int i = 1; i < args.Length - 1; i++)
                {
                    if (!args[i].Is("block")) continue;
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
            case { Index: var index }:
                return TrySeconds(args[index < 0 ? args.Length + index : index], out timeout, out error);
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
}
