using System.Text.Json;
using OrleansLua.GrainInterfaces.Configuration;

namespace OrleansLua.Grains.Cluster;

/// <summary>
/// How function libraries live among the cluster configuration's entries (the settings table): one entry
/// per library, "function:" + its lower-case name (library names are case-insensitive), the library as JSON.
/// </summary>
internal static class FunctionLibraries
{
    private const string Prefix = "function:";

    public static bool IsEntry(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    public static string EntryName(string library) => Prefix + library.ToLowerInvariant();

    public static string Write(FunctionLibrary library) => JsonSerializer.Serialize(library);

    public static FunctionLibrary[] Read(IReadOnlyDictionary<string, string> entries) =>
        entries.Where(e => IsEntry(e.Key)).Select(e => JsonSerializer.Deserialize<FunctionLibrary>(e.Value)!).ToArray();
}
