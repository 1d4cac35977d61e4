using Microsoft.Data.Sqlite;

namespace OrleansLua.Grains.Persistence;

/// <summary>
/// The embedded store for one silo on one machine: a SQLite database in WAL mode under the data
/// directory. One connection, used by one caller at a time; commits are group commits from the
/// <see cref="SlotWriter"/>. Durable commits use synchronous=FULL (fsync per commit) and update the keys
/// in place; everysec ones append their write sets as one row of a log table (synchronous=NORMAL, with a WAL
/// checkpoint — an fsync — at least once a second), because an upsert per key costs several times what the
/// write itself cost: the log is folded into the keys table in the background (each key once, however often
/// it changed meanwhile), a slot's load reads the keys table with its log rows on top, and start and
/// shutdown fold what is left.
/// </summary>
public sealed class SqliteSlotStore : ISlotStore
{
    /// <summary>2: the everysec log table (a version-1 binary would not read it).</summary>
    private const int SchemaVersion = 2;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);
    /// <summary>The log is folded once it holds this much, or is this old: memory for the fold, time for the next start.</summary>
    private const long FoldAfterBytes = 64 << 20;
    private static readonly TimeSpan FoldAfter = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly string _path;
    private readonly bool _durable;
    private SqliteConnection? _connection;
    private SqliteCommand? _upsert, _delete, _append;
    /// <summary>Slots with rows in the log, and the log's size since the last fold.</summary>
    private readonly HashSet<int> _logged = [];
    private long _loggedBytes;
    private long _lastFold = Environment.TickCount64;
    /// <summary>The epoch of every claimed slot: this process is the file's only writer (<see cref="DataDirectoryLock"/>), so no query is needed to fence.</summary>
    private readonly Dictionary<int, long> _epochs = [];
    private Timer? _checkpoints;
    private DataDirectoryLock? _directoryLock;

    public SqliteSlotStore(string dataDir, bool durable)
    {
        Directory.CreateDirectory(dataDir);
        _path = Path.GetFullPath(Path.Combine(dataDir, "orleanslua.db"));
        _durable = durable;
    }

    /// <summary>One connection, one writer: SQLite serializes writers anyway.</summary>
    public int MaxConcurrentCommits => 1;

    public async Task InitializeAsync(CancellationToken cancellation)
    {
        _directoryLock = DataDirectoryLock.Acquire(Path.GetDirectoryName(_path)!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        await _connection.OpenAsync(cancellation);
        Execute($"""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous={(_durable ? "FULL" : "NORMAL")};
            CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS slots (slot INTEGER PRIMARY KEY, epoch INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS keys (slot INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,
                expire_at INTEGER NOT NULL, PRIMARY KEY (slot, key)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS scripts (sha TEXT PRIMARY KEY, body BLOB NOT NULL, loaded INTEGER NOT NULL,
                seq INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, writes BLOB NOT NULL);
            INSERT INTO schema_version (version) SELECT {SchemaVersion} WHERE NOT EXISTS (SELECT 1 FROM schema_version);
            """);
        using (var version = Command("SELECT max(version) FROM schema_version"))
        {
            long found = (long)version.ExecuteScalar()!;
            if (found > SchemaVersion)
                throw new InvalidOperationException($"{_path} has schema version {found}; this OrleansLua knows up to {SchemaVersion}");
            if (found < SchemaVersion) Execute($"INSERT INTO schema_version (version) VALUES ({SchemaVersion})");
        }
        _upsert = Command("""
            INSERT INTO keys (slot, key, value, expire_at) VALUES ($slot, $key, $value, $expire)
            ON CONFLICT (slot, key) DO UPDATE SET value = excluded.value, expire_at = excluded.expire_at
            """, "$slot", "$key", "$value", "$expire");
        _delete = Command("DELETE FROM keys WHERE slot = $slot AND key = $key", "$slot", "$key");
        _append = Command("INSERT INTO log (writes) VALUES ($writes)", "$writes");
        using (var logged = Command("SELECT count(*) FROM log"))
            if ((long)logged.ExecuteScalar()! > 0) Fold(); // what the last run logged and did not fold (a crash)
        if (!_durable) _checkpoints = new Timer(_ => Checkpoint(), null, CheckpointInterval, CheckpointInterval);
    }

    /// <summary>
    /// Without its own fsync: one process owns the file, and the WAL is sequential, so the next durable
    /// commit makes the claim durable too (16384 slots activating must not cost 16384 fsyncs).
    /// </summary>
    public Task<long> ClaimAsync(int slot, CancellationToken cancellation) => Locked(() =>
    {
        using var claim = Command("""
            INSERT INTO slots (slot, epoch) VALUES ($slot, 1)
            ON CONFLICT (slot) DO UPDATE SET epoch = epoch + 1 RETURNING epoch
            """, "$slot");
        claim.Parameters[0].Value = slot;
        if (_durable) Execute("PRAGMA synchronous=NORMAL");
        try
        {
            return _epochs[slot] = (long)claim.ExecuteScalar()!;
        }
        finally
        {
            if (_durable) Execute("PRAGMA synchronous=FULL");
        }
    });

    public Task<List<StoredKey>> LoadAsync(int slot, CancellationToken cancellation) => Locked(() =>
    {
        if (_logged.Contains(slot)) Fold();
        using var load = Command("SELECT key, value, expire_at FROM keys WHERE slot = $slot", "$slot");
        load.Parameters[0].Value = slot;
        var keys = new List<StoredKey>();
        using var reader = load.ExecuteReader();
        while (reader.Read()) keys.Add(new StoredKey((byte[])reader[0], (byte[])reader[1], reader.GetInt64(2)));
        return keys;
    });

    public Task<List<int>> StoredSlotsAsync(CancellationToken cancellation) => Locked(() =>
    {
        if (_logged.Count > 0) Fold();
        using var query = Command("SELECT DISTINCT slot FROM keys");
        var slots = new List<int>();
        using var reader = query.ExecuteReader();
        while (reader.Read()) slots.Add(reader.GetInt32(0));
        return slots;
    });

    public Task<IReadOnlySet<int>> CommitAsync(IReadOnlyList<WriteSet> sets, bool durable, CancellationToken cancellation) =>
        Locked<IReadOnlySet<int>>(() =>
        {
            var fenced = new HashSet<int>();
            if (durable && _logged.Count > 0) Fold(); // in place after logged writes would be overwritten by them
            using (var transaction = _connection!.BeginTransaction())
            {
                foreach (var set in sets)
                    if (!_epochs.TryGetValue(set.Slot, out long epoch) || epoch != set.Epoch) fenced.Add(set.Slot);
                var current = sets.Where(set => !fenced.Contains(set.Slot) && set.Writes.Count > 0);
                if (!durable) Append(current, transaction);
                else
                    foreach (var set in current)
                        foreach (var write in set.Writes) Apply(set.Slot, write, transaction);
                transaction.Commit();
            }
            if (_loggedBytes > FoldAfterBytes || _logged.Count > 0 && Environment.TickCount64 - _lastFold > FoldAfter.TotalMilliseconds) Fold();
            return fenced;
        });

    private void Append(IEnumerable<WriteSet> sets, SqliteTransaction transaction)
    {
        var writes = WriteSetEncoding.Encode(sets);
        if (writes.Length == 0) return;
        _append!.Transaction = transaction;
        _append.Parameters[0].Value = writes;
        _append.ExecuteNonQuery();
        foreach (var set in sets) _logged.Add(set.Slot);
        _loggedBytes += writes.Length;
    }

    /// <summary>Moves the log into the keys table in one transaction: each key's last logged state, once.</summary>
    private void Fold()
    {
        var last = new Dictionary<int, Dictionary<byte[], KeyWrite>>();
        using var transaction = _connection!.BeginTransaction();
        using (var read = Command("SELECT writes FROM log ORDER BY seq"))
        {
            read.Transaction = transaction;
            using var reader = read.ExecuteReader();
            while (reader.Read())
                foreach (var (slot, write) in WriteSetEncoding.Decode((byte[])reader[0]))
                {
                    if (!last.TryGetValue(slot, out var keys)) last[slot] = keys = new(Keyspace.ByteArrayComparer.Instance);
                    keys[write.Key] = write;
                }
        }
        foreach (var (slot, keys) in last)
            foreach (var write in keys.Values) Apply(slot, write, transaction);
        using (var clear = Command("DELETE FROM log"))
        {
            clear.Transaction = transaction;
            clear.ExecuteNonQuery();
        }
        transaction.Commit();
        _logged.Clear();
        _loggedBytes = 0;
        _lastFold = Environment.TickCount64;
    }

    private void Apply(int slot, KeyWrite write, SqliteTransaction transaction)
    {
        var command = write.Value is null ? _delete! : _upsert!;
        command.Transaction = transaction;
        command.Parameters[0].Value = slot;
        command.Parameters[1].Value = write.Key;
        if (write.Value is not null)
        {
            command.Parameters[2].Value = write.Value;
            command.Parameters[3].Value = write.ExpireAt;
        }
        command.ExecuteNonQuery();
    }

    public Task<List<StoredScript>> LoadScriptsAsync(CancellationToken cancellation) => Locked(() =>
    {
        using var load = Command("SELECT sha, body, loaded FROM scripts ORDER BY seq");
        var scripts = new List<StoredScript>();
        using var reader = load.ExecuteReader();
        while (reader.Read()) scripts.Add(new StoredScript(reader.GetString(0), (byte[])reader[1], reader.GetInt64(2) != 0));
        return scripts;
    });

    public Task SaveScriptAsync(StoredScript script, CancellationToken cancellation) => Locked(() =>
    {
        using var save = Command("""
            INSERT INTO scripts (sha, body, loaded, seq) VALUES ($sha, $body, $loaded, (SELECT coalesce(max(seq), 0) + 1 FROM scripts))
            ON CONFLICT (sha) DO UPDATE SET loaded = max(loaded, excluded.loaded)
            """, "$sha", "$body", "$loaded");
        save.Parameters[0].Value = script.Sha;
        save.Parameters[1].Value = script.Body;
        save.Parameters[2].Value = script.Loaded ? 1 : 0;
        return save.ExecuteNonQuery();
    });

    public Task DeleteScriptsAsync(IReadOnlyCollection<string>? shas, CancellationToken cancellation) => Locked(() =>
    {
        if (shas is null) return Execute("DELETE FROM scripts");
        using var transaction = _connection!.BeginTransaction();
        using var delete = Command("DELETE FROM scripts WHERE sha = $sha", "$sha");
        delete.Transaction = transaction;
        foreach (var sha in shas)
        {
            delete.Parameters[0].Value = sha;
            delete.ExecuteNonQuery();
        }
        transaction.Commit();
        return 0;
    });

    public Task<Dictionary<string, string>> LoadSettingsAsync(CancellationToken cancellation) => Locked(() =>
    {
        using var load = Command("SELECT name, value FROM settings");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = load.ExecuteReader();
        // GetString: stores written before text settings hold integers, which read back as their text
        while (reader.Read()) settings[reader.GetString(0)] = reader.GetString(1);
        return settings;
    });

    public Task SaveSettingsAsync(IReadOnlyDictionary<string, string?> changes, CancellationToken cancellation) => Locked(() =>
    {
        using var transaction = _connection!.BeginTransaction();
        using var save = Command("INSERT INTO settings (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            "$name", "$value");
        using var delete = Command("DELETE FROM settings WHERE name = $name", "$name");
        save.Transaction = delete.Transaction = transaction;
        foreach (var (name, value) in changes)
        {
            var command = value is null ? delete : save;
            command.Parameters[0].Value = name;
            if (value is not null) command.Parameters[1].Value = value;
            command.ExecuteNonQuery();
        }
        transaction.Commit();
        return 0;
    });

    /// <summary>everysec: moves the WAL into the database file with an fsync, bounding what a power loss can take.</summary>
    private void Checkpoint()
    {
        if (!_lock.Wait(0)) return; // a commit is running; the next tick will do
        try
        {
            Execute("PRAGMA wal_checkpoint(PASSIVE)");
        }
        catch (SqliteException)
        {
            // Disk full or the like: the commits report it; the next tick tries again.
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Runs one storage call alone on the connection, mapping SQLite failures to a client-facing reason.</summary>
    private async Task<T> Locked<T>(Func<T> action)
    {
        await _lock.WaitAsync();
        try
        {
            return action();
        }
        catch (SqliteException ex)
        {
            throw new StorageUnavailableException(Reason(ex), ex);
        }
        finally
        {
            _lock.Release();
        }
    }

    private static string Reason(SqliteException ex) => ex.SqliteErrorCode switch
    {
        13 => "disk full (embedded store)",      // SQLITE_FULL
        10 => "I/O error in the embedded store", // SQLITE_IOERR
        _ => "embedded store: " + SlotWriter.Describe(ex),
    };

    private int Execute(string sql)
    {
        using var command = Command(sql);
        return command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = _connection!.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (_checkpoints is not null) await _checkpoints.DisposeAsync();
        await _lock.WaitAsync();
        try
        {
            if (_connection is null) return;
            try
            {
                if (_logged.Count > 0) Fold(); // the next start then reads the keys table alone
            }
            catch (SqliteException)
            {
                // Disk full or the like: the log stays, and the next start folds it.
            }
            _upsert?.Dispose();
            _delete?.Dispose();
            _append?.Dispose();
            await _connection.DisposeAsync();
            _connection = null;
        }
        finally
        {
            _directoryLock?.Dispose(); // after the connection has closed: no write of this process follows
            _lock.Release();
        }
    }
}
