using System.Text.RegularExpressions;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>Reads fields of an INFO reply.</summary>
public static class InfoText
{
    /// <summary>The value of "name:value" in INFO text, or "" when absent.</summary>
    public static string Field(string info, string name) =>
        Regex.Match(info, $"(?m)^{Regex.Escape(name)}:(.*)\r$").Groups[1].Value;
}
