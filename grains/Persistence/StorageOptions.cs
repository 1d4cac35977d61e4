namespace OrleansLua.Grains.Persistence;

public enum StorageKind
{
    /// <summary>Keys live in memory only (a cache, and the test clusters).</summary>
    Memory,
    /// <summary>An embedded SQLite database under <see cref="StorageOptions.DataDir"/>: one silo on one machine.</summary>
    Local,
    /// <summary>PostgreSQL: any number of silos.</summary>
    Postgres,
}

/// <summary>Like Redis appendfsync: when a write is acknowledged relative to its commit.</summary>
public enum AppendFsync
{
    /// <summary>Reply only after the write's commit is durable.</summary>
    Always,
    /// <summary>Reply at once; commit in the background within a bounded window.</summary>
    Everysec,
}

public sealed class StorageOptions
{
    public StorageKind Kind { get; set; } = StorageKind.Memory;
    public string DataDir { get; set; } = "data";
    public AppendFsync AppendFsync { get; set; } = AppendFsync.Everysec;
    public string? PostgresConnectionString { get; set; }

    /// <summary>everysec: how long a slot gathers changes before handing them to the writer.</summary>
    public TimeSpan EverysecFlushDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most write sets in one group commit, unless one call hands over more (an everysec tick's commit together).</summary>
    public int MaxWriteSetsPerCommit { get; set; } = 1024;

    public static StorageKind ParseKind(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "memory" => StorageKind.Memory,
        "local" => StorageKind.Local,
        "postgres" or "postgresql" => StorageKind.Postgres,
        _ => throw new ArgumentException($"--storage must be memory, local or postgres, not '{text}'"),
    };

    public static AppendFsync ParseAppendFsync(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "everysec" => AppendFsync.Everysec,
        "always" => AppendFsync.Always,
        _ => throw new ArgumentException($"--appendfsync must be always or everysec, not '{text}'"),
    };
}
