using System.Collections.Frozen;

namespace OrleansLua.GrainInterfaces.Security;

/// <summary>
/// This process's copy of the cluster's ACL users. Replaced as a whole when the cluster's state
/// changes (ACL SETUSER/DELUSER or CONFIG SET requirepass on any node); <see cref="Version"/> lets a
/// connection notice that its user changed without a lookup per command.
/// </summary>
public sealed class AccessControl
{
    private FrozenDictionary<string, AclUser> _users = new Dictionary<string, AclUser>
    {
        [AclUser.DefaultName] = AclUser.CreateDefault(),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private int _version;

    public int Version => Volatile.Read(ref _version);

    /// <summary>
    /// Raised after the users changed, with the names of those deleted: their connections are closed,
    /// and subscribers whose channels were taken away are disconnected, as Redis does.
    /// </summary>
    public event Action<IReadOnlyCollection<string>>? Changed;

    public AclUser Default => _users[AclUser.DefaultName];

    public AclUser? Find(string name) => Volatile.Read(ref _users).GetValueOrDefault(name);

    public IEnumerable<AclUser> Users => Volatile.Read(ref _users).Values.OrderBy(u => u.Name, StringComparer.Ordinal);

    /// <summary>With no password for the default user, every connection starts authenticated as it.</summary>
    public bool AuthRequired
    {
        get
        {
            var user = Default;
            return !(user.NoPass && user.Enabled);
        }
    }

    /// <summary>Takes the cluster's users (name → rules as ACL LIST prints them); a missing default user is Redis's default.</summary>
    public void Load(IReadOnlyDictionary<string, string> described)
    {
        var users = new Dictionary<string, AclUser>(StringComparer.Ordinal) { [AclUser.DefaultName] = AclUser.CreateDefault() };
        foreach (var (name, rules) in described)
        {
            var user = Parse(name, rules);
            if (user is not null) users[name] = user;
            // a stored default user that no longer parses must not fall back to the passwordless one
            else if (name == AclUser.DefaultName) users[name] = new AclUser(name);
        }
        var old = Volatile.Read(ref _users);
        Volatile.Write(ref _users, users.ToFrozenDictionary(StringComparer.Ordinal));
        Interlocked.Increment(ref _version);
        Changed?.Invoke(old.Keys.Where(n => !users.ContainsKey(n)).ToList());
    }

    /// <summary>A user from its described rules (as stored); null if a rule no longer applies (a command removed, say).</summary>
    public static AclUser? Parse(string name, string rules)
    {
        var user = new AclUser(name);
        foreach (var rule in rules.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (user.Apply(rule) is not null && !rule.StartsWith('-')) return null;
        return user;
    }
}
