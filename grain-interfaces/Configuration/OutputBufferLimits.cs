using System.Globalization;

namespace OrleansLua.GrainInterfaces.Configuration;

/// <summary>A client class's output-buffer limit: disconnect above Hard bytes, or above Soft bytes for SoftSeconds.</summary>
public readonly record struct OutputBufferLimit(long Hard, long Soft, long SoftSeconds)
{
    public bool IsUnlimited => Hard == 0 && Soft == 0;
}

/// <summary>client-output-buffer-limit: one limit per client class (normal, replica, pubsub), as Redis parses it.</summary>
public sealed class OutputBufferLimits
{
    public const string Default = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

    private static readonly string[] Classes = ["normal", "slave", "pubsub"];
    private readonly OutputBufferLimit[] _limits = new OutputBufferLimit[3];

    public OutputBufferLimit Normal => _limits[0];
    public OutputBufferLimit PubSub => _limits[2];

    public static OutputBufferLimits Parse(string text)
    {
        var limits = new OutputBufferLimits();
        if (!limits.TryUpdate(Default, out _) || !limits.TryUpdate(text, out _))
            throw new FormatException($"invalid client-output-buffer-limit '{text}'");
        return limits;
    }

    /// <summary>Applies "class hard soft seconds …" groups (all or nothing); false with Redis's reason.</summary>
    public bool TryUpdate(string text, out string? error)
    {
        error = null;
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length % 4 != 0)
        {
            error = "Wrong number of arguments in buffer limit configuration.";
            return false;
        }
        var staged = (OutputBufferLimit[])_limits.Clone();
        for (int i = 0; i < words.Length; i += 4)
        {
            int index = Array.IndexOf(Classes, words[i].ToLowerInvariant() is "replica" ? "slave" : words[i].ToLowerInvariant());
            if (index < 0)
            {
                error = "Invalid client class specified in buffer limit configuration.";
                return false;
            }
            if (!SettingDefinition.TryParseNumber(words[i + 1], true, out long hard) || hard < 0 ||
                !SettingDefinition.TryParseNumber(words[i + 2], true, out long soft) || soft < 0 ||
                !long.TryParse(words[i + 3], NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
            {
                error = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
                return false;
            }
            staged[index] = new OutputBufferLimit(hard, soft, seconds);
        }
        staged.CopyTo(_limits, 0);
        return true;
    }

    public override string ToString() =>
        string.Join(' ', Classes.Select((name, i) => $"{name} {_limits[i].Hard} {_limits[i].Soft} {_limits[i].SoftSeconds}"));
}
