using System.Globalization;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.GrainInterfaces.Security;
using OrleansLua.Grains.Persistence;
using OrleansLua.Grains.Scripting;

namespace OrleansLua.Grains.Cluster;

/// <summary>
/// The cluster's configuration: settings and users by name (users as "user:" + name, their rules as
/// ACL LIST prints them), stored in the settings table with the version, so a new activation — after
/// its silo died, or after a full restart — carries on from the stored version. Non-reentrant: ACL
/// SETUSER from two gateways applies one after the other to the stored user. Function libraries are
/// entries too ("function:" + lower-case name, the library as JSON), so they persist and version with the rest.
/// </summary>
[KeepAlive]
public sealed class ClusterConfigGrain(SlotWriter storage, ScriptHost scripts) : Grain, IClusterConfigGrain
{
    /// <summary>The settings-table row that holds the version.</summary>
    private const string VersionEntry = "config-version";

    private readonly Dictionary<string, string> _entries = new(StringComparer.Ordinal);
    private readonly Guid _generation = Guid.NewGuid();
    private long _version;
    private long _scriptEpoch;

    private ISlotStore? Store => storage.Store;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Store is null) return;
        foreach (var (name, value) in await Store.LoadSettingsAsync(cancellationToken))
        {
            if (name == VersionEntry) _version = long.Parse(value, CultureInfo.InvariantCulture);
            else _entries[name] = value;
        }
        // stores written before the version was kept: their entries count as one change
        if (_version == 0 && _entries.Count > 0) _version = 1;
    }

    public Task<ClusterState> State() => Task.FromResult(new ClusterState
    {
        ScriptEpoch = _scriptEpoch,
        ConfigVersion = _version,
        Generation = _generation,
        Settings = _entries.Where(e => !IsUser(e.Key) && !FunctionLibraries.IsEntry(e.Key)).ToDictionary(e => e.Key, e => e.Value),
        Users = _entries.Where(e => IsUser(e.Key)).ToDictionary(e => e.Key[ClusterState.UserPrefix.Length..], e => e.Value),
        Libraries = FunctionLibraries.Read(_entries),
    });

    public async Task<ConfigChangeResult> LoadLibrary(byte[] code, bool replace)
    {
        // the library's own checks first (metadata, engine, its code), then the cluster's (name taken, function taken), as Redis orders them
        var metadata = LibraryMetadata.Parse(code, out var error);
        if (metadata is null) return new ConfigChangeResult { Error = error };
        var libraries = FunctionLibraries.Read(_entries);
        var old = Array.Find(libraries, l => l.Name.Equals(metadata.Name, StringComparison.OrdinalIgnoreCase));
        if (old is not null && !replace) return new ConfigChangeResult { Error = $"ERR Library '{metadata.Name}' already exists" };
        var library = scripts.CompileLibrary(code, out error);
        if (library is null) return new ConfigChangeResult { Error = error };
        var others = new FunctionCatalog(libraries.Where(l => l != old));
        foreach (var function in library.Functions)
            if (others.TryFind(function.Name, out _, out _))
                return new ConfigChangeResult { Error = $"ERR Function {function.Name} already exists" };
        var changes = new Dictionary<string, string?>();
        if (old is not null) changes[FunctionLibraries.EntryName(old.Name)] = null;
        changes[FunctionLibraries.EntryName(library.Name)] = FunctionLibraries.Write(library);
        await StoreAsync(changes);
        return new ConfigChangeResult { State = await State(), Name = library.Name, Count = 1 };
    }

    public async Task<ConfigChangeResult> RestoreLibraries(byte[][] codes, string policy)
    {
        // every library of the payload is run and checked first (as Redis loads them into a new context), then joined
        var restored = new List<FunctionLibrary>();
        foreach (var code in codes)
        {
            var library = scripts.CompileLibrary(code, out var error);
            if (library is null) return new ConfigChangeResult { Error = error };
            if (restored.Any(l => l.Name.Equals(library.Name, StringComparison.OrdinalIgnoreCase)))
                return new ConfigChangeResult { Error = $"ERR Library '{library.Name}' already exists" };
            restored.Add(library);
        }
        var existing = FunctionLibraries.Read(_entries);
        var current = policy == "flush" ? [] : existing;
        var kept = new List<FunctionLibrary>();
        foreach (var library in current)
        {
            if (!restored.Any(r => r.Name.Equals(library.Name, StringComparison.OrdinalIgnoreCase))) kept.Add(library);
            else if (policy != "replace") return new ConfigChangeResult { Error = $"ERR Library {library.Name} already exists" };
        }
        var keptFunctions = new FunctionCatalog(kept);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var function in restored.SelectMany(l => l.Functions))
            if (keptFunctions.TryFind(function.Name, out _, out _) || !seen.Add(function.Name))
                return new ConfigChangeResult { Error = $"ERR Function {function.Name} already exists" };
        var changes = existing.ToDictionary(l => FunctionLibraries.EntryName(l.Name), string? (_) => null);
        foreach (var library in kept.Concat(restored)) changes[FunctionLibraries.EntryName(library.Name)] = FunctionLibraries.Write(library);
        await StoreAsync(changes);
        return new ConfigChangeResult { State = await State(), Count = restored.Count };
    }

    public async Task<ConfigChangeResult> DeleteLibrary(string name)
    {
        var entry = FunctionLibraries.EntryName(name);
        if (!_entries.ContainsKey(entry)) return new ConfigChangeResult { Count = 0 };
        await StoreAsync(new Dictionary<string, string?> { [entry] = null });
        return new ConfigChangeResult { State = await State(), Count = 1 };
    }

    public async Task<ClusterState> FlushLibraries()
    {
        var entries = _entries.Keys.Where(FunctionLibraries.IsEntry).ToDictionary(e => e, string? (_) => null);
        if (entries.Count > 0) await StoreAsync(entries);
        return await State();
    }

    public async Task<ClusterState> Configure(Dictionary<string, string> settings)
    {
        var changes = settings.ToDictionary(s => s.Key, string? (s) => s.Value);
        if (settings.TryGetValue(ServerSettings.RequirePass, out var password))
        {
            // requirepass is the default user's password, as in Redis: "" makes the user nopass again
            var user = User(AclUser.DefaultName) ?? AclUser.CreateDefault();
            user.Apply("resetpass");
            user.Apply(password.Length == 0 ? "nopass" : ">" + password);
            changes[ClusterState.UserPrefix + user.Name] = user.DescribeRules();
        }
        await StoreAsync(changes);
        return await State();
    }

    public async Task<ConfigChangeResult> SetUser(string name, string[] rules)
    {
        var user = User(name) ?? (name == AclUser.DefaultName ? AclUser.CreateDefault() : new AclUser(name));
        foreach (var rule in rules)
            if (user.Apply(rule) is { } reason)
                return new ConfigChangeResult { Error = $"ERR Error in ACL SETUSER modifier '{rule}': {reason}" };
        var changes = new Dictionary<string, string?> { [ClusterState.UserPrefix + name] = user.DescribeRules() };
        // CONFIG GET requirepass follows a default user made passwordless
        if (name == AclUser.DefaultName && user.NoPass) changes[ServerSettings.RequirePass] = "";
        await StoreAsync(changes);
        return new ConfigChangeResult { State = await State(), Count = 1 };
    }

    public async Task<ConfigChangeResult> DeleteUsers(string[] names)
    {
        var existing = names.Distinct().Where(n => n != AclUser.DefaultName && _entries.ContainsKey(ClusterState.UserPrefix + n)).ToList();
        if (existing.Count > 0) await StoreAsync(existing.ToDictionary(n => ClusterState.UserPrefix + n, string? (_) => null));
        return new ConfigChangeResult { State = await State(), Count = existing.Count };
    }

    /// <summary>Not stored: after a new activation every silo drops its compiled scripts anyway (a new generation).</summary>
    public Task<ClusterState> BumpScriptEpoch()
    {
        _scriptEpoch++;
        return State();
    }

    public async Task<ClusterState> Restore(ClusterState known)
    {
        if (_version == 0 && known.ConfigVersion > 0)
        {
            foreach (var (name, value) in known.Settings) _entries[name] = value;
            foreach (var (name, rules) in known.Users) _entries[ClusterState.UserPrefix + name] = rules;
            foreach (var library in known.Libraries) _entries[FunctionLibraries.EntryName(library.Name)] = FunctionLibraries.Write(library);
            _version = known.ConfigVersion;
        }
        return await State();
    }

    /// <summary>The changes and the next version in one transaction, before anything is acknowledged.</summary>
    private async Task StoreAsync(Dictionary<string, string?> changes)
    {
        long version = _version + 1;
        if (Store is not null)
            await Store.SaveSettingsAsync(new Dictionary<string, string?>(changes) { [VersionEntry] = version.ToString(CultureInfo.InvariantCulture) }, default);
        foreach (var (name, value) in changes)
        {
            if (value is null) _entries.Remove(name);
            else _entries[name] = value;
        }
        _version = version;
    }

    private AclUser? User(string name) =>
        _entries.TryGetValue(ClusterState.UserPrefix + name, out var rules) ? AccessControl.Parse(name, rules) : null;

    private static bool IsUser(string name) => name.StartsWith(ClusterState.UserPrefix, StringComparison.Ordinal);
}
