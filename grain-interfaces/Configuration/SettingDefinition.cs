using System.Globalization;

namespace OrleansLua.GrainInterfaces.Configuration;

/// <summary>How a CONFIG parameter's text is read: Redis's parsing rules per kind.</summary>
public enum SettingKind
{
    /// <summary>A plain integer within the definition's bounds.</summary>
    Integer,
    /// <summary>Bytes, with Redis's memory units (1k = 1000, 1kb = 1024, …).</summary>
    Memory,
    /// <summary>yes / no.</summary>
    YesNo,
    /// <summary>Any text (requirepass).</summary>
    Text,
    /// <summary>client-output-buffer-limit: "class hard soft seconds" groups.</summary>
    OutputBufferLimit,
    /// <summary>save: "" or "seconds changes" pairs (seconds ≥ 1, changes ≥ 0).</summary>
    SavePoints,
}

/// <summary>One CONFIG parameter OrleansLua honours: its default, how it parses, its bounds.</summary>
public sealed record SettingDefinition(string Name, SettingKind Kind, string Default, long Min = 0, long Max = long.MaxValue)
{
    /// <summary>Parses and normalises a value; returns Redis's error text, or null.</summary>
    public string? TryNormalize(string text, string current, out string normalized, out long number)
    {
        normalized = text;
        number = 0;
        switch (Kind)
        {
            case SettingKind.Integer:
            case SettingKind.Memory:
                if (!TryParseNumber(text, Kind == SettingKind.Memory, out number))
                    return Kind == SettingKind.Memory
                        ? Failed("argument must be a memory value")
                        : Failed("argument couldn't be parsed into an integer");
                if (number < Min || number > Max) return Failed($"argument must be between {Min} and {Max} inclusive");
                normalized = number.ToString(CultureInfo.InvariantCulture);
                return null;
            case SettingKind.YesNo:
                var lower = text.ToLowerInvariant();
                if (lower is not ("yes" or "no")) return Failed("argument must be 'yes' or 'no'");
                normalized = lower;
                number = lower == "yes" ? 1 : 0;
                return null;
            case SettingKind.OutputBufferLimit:
                var limits = OutputBufferLimits.Parse(current);
                if (!limits.TryUpdate(text, out var error)) return Failed(error!);
                normalized = limits.ToString();
                return null;
            case SettingKind.SavePoints:
                var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length % 2 != 0) return Failed("Invalid save parameters");
                for (int i = 0; i < words.Length; i++)
                    if (!long.TryParse(words[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long point) || point < (i % 2 == 0 ? 1 : 0))
                        return Failed("Invalid save parameters");
                normalized = string.Join(' ', words.Select(w => long.Parse(w, CultureInfo.InvariantCulture)));
                return null;
            default:
                return null;
        }
    }

    private string Failed(string reason) => $"ERR CONFIG SET failed (possibly related to argument '{Name}') - {reason}";

    /// <summary>Integers, with Redis's memory units (k, kb, m, mb, g, gb) where the setting is a size.</summary>
    public static bool TryParseNumber(string text, bool memory, out long value)
    {
        text = text.Trim().ToLowerInvariant();
        long unit = 1;
        if (memory)
        {
            foreach (var (suffix, factor) in Units)
            {
                if (!text.EndsWith(suffix, StringComparison.Ordinal)) continue;
                unit = factor;
                text = text[..^suffix.Length];
                break;
            }
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)) return false;
        if (unit != 1 && (value > long.MaxValue / unit || value < long.MinValue / unit)) return false;
        value *= unit;
        return true;
    }

    private static readonly (string Suffix, long Factor)[] Units =
        [("kb", 1024L), ("mb", 1L << 20), ("gb", 1L << 30), ("k", 1000L), ("m", 1_000_000L), ("g", 1_000_000_000L)];
}
