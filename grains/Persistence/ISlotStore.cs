namespace OrleansLua.Grains.Persistence;

/// <summary>One key as stored: a serialized value (<see cref="ValueCodec"/>) or null for a deletion.</summary>
public readonly record struct KeyWrite(byte[] Key, byte[]? Value, long ExpireAt);

/// <summary>A slot's changes since its last commit, fenced by the epoch its activation claimed.</summary>
public sealed record WriteSet(int Slot, long Epoch, IReadOnlyList<KeyWrite> Writes);

/// <summary>A stored key read back when a slot activates.</summary>
public readonly record struct StoredKey(byte[] Key, byte[] Value, long ExpireAt);

/// <summary>A script kept in the cluster-wide cache: SCRIPT LOADed ones are never evicted.</summary>
[GenerateSerializer, Immutable]
public readonly record struct StoredScript([property: Id(0)] string Sha, [property: Id(1)] byte[] Body, [property: Id(2)] bool Loaded);

/// <summary>
/// Where slots persist. Implementations are thread-safe. Every commit is conditional on each slot's
/// epoch, so an activation that lost its claim can never overwrite a newer owner's writes.
/// </summary>
public interface ISlotStore : IAsyncDisposable
{
    /// <summary>How many group commits may run at once (each on its own connection).</summary>
    int MaxConcurrentCommits { get; }

    /// <summary>Creates or upgrades the schema.</summary>
    Task InitializeAsync(CancellationToken cancellation);

    /// <summary>Claims a slot for a new activation: bumps and returns its epoch. Waits for commits in flight.</summary>
    Task<long> ClaimAsync(int slot, CancellationToken cancellation);

    Task<List<StoredKey>> LoadAsync(int slot, CancellationToken cancellation);

    /// <summary>The slots that hold keys (activated at startup so whole-keyspace commands see them).</summary>
    Task<List<int>> StoredSlotsAsync(CancellationToken cancellation);

    /// <summary>
    /// Commits the write sets of every slot whose epoch still matches in one transaction, durably
    /// (fsync) when <paramref name="durable"/>. Returns the slots that were fenced off (skipped).
    /// Throws <see cref="StorageUnavailableException"/> when nothing could be committed.
    /// </summary>
    Task<IReadOnlySet<int>> CommitAsync(IReadOnlyList<WriteSet> sets, bool durable, CancellationToken cancellation);

    Task<List<StoredScript>> LoadScriptsAsync(CancellationToken cancellation);
    Task SaveScriptAsync(StoredScript script, CancellationToken cancellation);
    /// <summary>Deletes the given scripts, or all of them when <paramref name="shas"/> is null (SCRIPT FLUSH).</summary>
    Task DeleteScriptsAsync(IReadOnlyCollection<string>? shas, CancellationToken cancellation);

    /// <summary>The cluster's configuration: CONFIG SET values and ACL users, by name.</summary>
    Task<Dictionary<string, string>> LoadSettingsAsync(CancellationToken cancellation);
    /// <summary>Writes the changed entries in one transaction; a null value deletes its entry.</summary>
    Task SaveSettingsAsync(IReadOnlyDictionary<string, string?> changes, CancellationToken cancellation);
}

/// <summary>Storage could not be reached or refused the write; the message says why (never credentials).</summary>
public sealed class StorageUnavailableException(string reason, Exception? inner = null)
    : Exception("TRYAGAIN storage unavailable: " + reason, inner)
{
    public string Reason { get; } = reason;
}
