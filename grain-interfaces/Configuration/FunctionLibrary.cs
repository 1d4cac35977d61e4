namespace OrleansLua.GrainInterfaces.Configuration;

/// <summary>A function a library registered with redis.register_function: its name, flags (Redis's names) and description.</summary>
[GenerateSerializer, Immutable]
public sealed record FunctionDescriptor(
    [property: Id(0)] string Name,
    [property: Id(1)] string[] Flags,
    [property: Id(2)] string? Description);

/// <summary>
/// A FUNCTION LOADed library as the cluster keeps it: its name, engine, the code exactly as loaded
/// (shebang included, what FUNCTION LIST WITHCODE answers) and the functions its load registered.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FunctionLibrary(
    [property: Id(0)] string Name,
    [property: Id(1)] string Engine,
    [property: Id(2)] byte[] Code,
    [property: Id(3)] FunctionDescriptor[] Functions)
{
    [NonSerialized] private string? _version;

    /// <summary>SHA1 of the code: which load of the library a compiled copy belongs to.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Version => _version ??= Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Code));
}

/// <summary>The libraries a node knows, with every function by name (names are case-insensitive, as in Redis). Immutable.</summary>
public sealed class FunctionCatalog
{
    public static readonly FunctionCatalog Empty = new([]);

    private readonly Dictionary<string, (FunctionLibrary Library, FunctionDescriptor Function)> _functions = new(StringComparer.OrdinalIgnoreCase);

    public FunctionCatalog(IEnumerable<FunctionLibrary> libraries)
    {
        Libraries = libraries.OrderBy(l => l.Name, StringComparer.Ordinal).ToArray();
        foreach (var library in Libraries)
            foreach (var function in library.Functions)
                _functions[function.Name] = (library, function);
    }

    /// <summary>By name, in ordinal order.</summary>
    public IReadOnlyList<FunctionLibrary> Libraries { get; }

    public int FunctionCount => _functions.Count;

    public bool TryFind(string function, out FunctionLibrary library, out FunctionDescriptor descriptor)
    {
        if (_functions.TryGetValue(function, out var found))
        {
            (library, descriptor) = found;
            return true;
        }
        library = null!;
        descriptor = null!;
        return false;
    }
}
