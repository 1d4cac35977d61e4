using Npgsql;
using NpgsqlTypes;

namespace OrleansLua.Grains.Persistence;

/// <summary>
/// Slots in PostgreSQL, for clusters. A group commit is one transaction: it share-locks the epochs
/// of its slots (a claim by a newer activation waits for it, and a stale activation's writes are
/// skipped), then deletes and upserts all keys with one statement each. everysec commits use
/// synchronous_commit=off (PostgreSQL flushes them within 3 × wal_writer_delay, 600 ms by default).
/// </summary>
public sealed class PostgresSlotStore(string connectionString) : ISlotStore
{
    private const int SchemaVersion = 1;
    /// <summary>Connections per silo unless the connection string says otherwise: PostgreSQL allows 100 in all by default.</summary>
    private const int DefaultMaxPoolSize = 16;
    private readonly NpgsqlDataSource _data = NpgsqlDataSource.Create(WithPoolLimit(connectionString));

    private static string WithPoolLimit(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase) && !connectionString.Contains("maxpoolsize", StringComparison.OrdinalIgnoreCase))
            builder.MaxPoolSize = DefaultMaxPoolSize;
        return builder.ConnectionString;
    }

    /// <summary>Commits of different slots do not conflict; a few in parallel hide a slow one.</summary>
    public int MaxConcurrentCommits => 4;

    public async Task InitializeAsync(CancellationToken cancellation)
    {
        await Run(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            await Execute(connection, transaction, $"""
                SELECT pg_advisory_xact_lock(7291001);
                CREATE TABLE IF NOT EXISTS orleanslua_schema (version int NOT NULL);
                CREATE TABLE IF NOT EXISTS orleanslua_slots (slot int PRIMARY KEY, epoch bigint NOT NULL);
                CREATE TABLE IF NOT EXISTS orleanslua_keys (slot int NOT NULL, key bytea NOT NULL, value bytea NOT NULL,
                    expire_at bigint NOT NULL, PRIMARY KEY (slot, key));
                CREATE TABLE IF NOT EXISTS orleanslua_scripts (sha text PRIMARY KEY, body bytea NOT NULL, loaded boolean NOT NULL,
                    seq bigserial);
                CREATE TABLE IF NOT EXISTS orleanslua_settings (name text PRIMARY KEY, value text NOT NULL);
                -- settings were integers before ACL users and text parameters joined them
                ALTER TABLE orleanslua_settings ALTER COLUMN value TYPE text;
                INSERT INTO orleanslua_schema (version) SELECT {SchemaVersion} WHERE NOT EXISTS (SELECT 1 FROM orleanslua_schema);
                """, cancellation);
            await using var version = new NpgsqlCommand("SELECT max(version) FROM orleanslua_schema", connection, transaction);
            int found = (int)(await version.ExecuteScalarAsync(cancellation))!;
            if (found > SchemaVersion)
                throw new InvalidOperationException($"the database has OrleansLua schema version {found}; this build knows up to {SchemaVersion}");
            await transaction.CommitAsync(cancellation);
            return 0;
        });
    }

    public Task<long> ClaimAsync(int slot, CancellationToken cancellation) => Run(async connection =>
    {
        await using var claim = new NpgsqlCommand("""
            INSERT INTO orleanslua_slots (slot, epoch) VALUES ($1, 1)
            ON CONFLICT (slot) DO UPDATE SET epoch = orleanslua_slots.epoch + 1 RETURNING epoch
            """, connection);
        claim.Parameters.Add(new NpgsqlParameter<int> { TypedValue = slot });
        return (long)(await claim.ExecuteScalarAsync(cancellation))!;
    });

    public Task<List<StoredKey>> LoadAsync(int slot, CancellationToken cancellation) => Run(async connection =>
    {
        await using var load = new NpgsqlCommand("SELECT key, value, expire_at FROM orleanslua_keys WHERE slot = $1", connection);
        load.Parameters.Add(new NpgsqlParameter<int> { TypedValue = slot });
        var keys = new List<StoredKey>();
        await using var reader = await load.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            keys.Add(new StoredKey(reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1), reader.GetInt64(2)));
        return keys;
    });

    public Task<List<int>> StoredSlotsAsync(CancellationToken cancellation) => Run(async connection =>
    {
        await using var query = new NpgsqlCommand("SELECT DISTINCT slot FROM orleanslua_keys", connection);
        var slots = new List<int>();
        await using var reader = await query.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) slots.Add(reader.GetInt32(0));
        return slots;
    });

    public Task<IReadOnlySet<int>> CommitAsync(IReadOnlyList<WriteSet> sets, bool durable, CancellationToken cancellation) =>
        Run<IReadOnlySet<int>>(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            if (!durable) await Execute(connection, transaction, "SET LOCAL synchronous_commit = off", cancellation);
            var fenced = await FencedSlotsAsync(connection, transaction, sets, cancellation);
            // The last write of each key wins; one statement per kind keeps the round trips at three.
            var last = new Dictionary<(int Slot, byte[] Key), (int Slot, KeyWrite Write)>(SlotKeyComparer.Instance);
            foreach (var set in sets)
            {
                if (fenced.Contains(set.Slot)) continue;
                foreach (var write in set.Writes) last[(set.Slot, write.Key)] = (set.Slot, write);
            }
            var deletes = last.Values.Where(w => w.Write.Value is null).ToList();
            var upserts = last.Values.Where(w => w.Write.Value is not null).ToList();
            if (deletes.Count > 0)
            {
                await using var delete = new NpgsqlCommand("""
                    DELETE FROM orleanslua_keys k USING unnest($1::int[], $2::bytea[]) AS d(slot, key)
                    WHERE k.slot = d.slot AND k.key = d.key
                    """, connection, transaction);
                delete.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = deletes.Select(d => d.Slot).ToArray() });
                delete.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = deletes.Select(d => d.Write.Key).ToArray() });
                await delete.ExecuteNonQueryAsync(cancellation);
            }
            if (upserts.Count > 0)
            {
                await using var upsert = new NpgsqlCommand("""
                    INSERT INTO orleanslua_keys (slot, key, value, expire_at)
                    SELECT * FROM unnest($1::int[], $2::bytea[], $3::bytea[], $4::bigint[])
                    ON CONFLICT (slot, key) DO UPDATE SET value = excluded.value, expire_at = excluded.expire_at
                    """, connection, transaction);
                upsert.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = upserts.Select(u => u.Slot).ToArray() });
                upsert.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = upserts.Select(u => u.Write.Key).ToArray() });
                upsert.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = upserts.Select(u => u.Write.Value!).ToArray() });
                upsert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = upserts.Select(u => u.Write.ExpireAt).ToArray() });
                await upsert.ExecuteNonQueryAsync(cancellation);
            }
            await transaction.CommitAsync(cancellation);
            return fenced;
        });

    /// <summary>Share-locks the slots' epoch rows for the transaction and returns those whose epoch moved on.</summary>
    private static async Task<HashSet<int>> FencedSlotsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<WriteSet> sets, CancellationToken cancellation)
    {
        var expected = new Dictionary<int, long>();
        foreach (var set in sets) expected[set.Slot] = set.Epoch;
        await using var check = new NpgsqlCommand(
            "SELECT slot, epoch FROM orleanslua_slots WHERE slot = ANY($1) ORDER BY slot FOR SHARE", connection, transaction);
        check.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = expected.Keys.ToArray() });
        var fenced = new HashSet<int>(expected.Keys);
        await using var reader = await check.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            if (reader.GetInt64(1) == expected[reader.GetInt32(0)]) fenced.Remove(reader.GetInt32(0));
        return fenced;
    }

    public Task<List<StoredScript>> LoadScriptsAsync(CancellationToken cancellation) => Run(async connection =>
    {
        await using var load = new NpgsqlCommand("SELECT sha, body, loaded FROM orleanslua_scripts ORDER BY seq", connection);
        var scripts = new List<StoredScript>();
        await using var reader = await load.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            scripts.Add(new StoredScript(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetBoolean(2)));
        return scripts;
    });

    public Task SaveScriptAsync(StoredScript script, CancellationToken cancellation) => Run(async connection =>
    {
        await using var save = new NpgsqlCommand("""
            INSERT INTO orleanslua_scripts (sha, body, loaded) VALUES ($1, $2, $3)
            ON CONFLICT (sha) DO UPDATE SET loaded = orleanslua_scripts.loaded OR excluded.loaded
            """, connection);
        save.Parameters.Add(new NpgsqlParameter<string> { TypedValue = script.Sha });
        save.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = script.Body });
        save.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = script.Loaded });
        return await save.ExecuteNonQueryAsync(cancellation);
    });

    public Task DeleteScriptsAsync(IReadOnlyCollection<string>? shas, CancellationToken cancellation) => Run(async connection =>
    {
        await using var delete = shas is null
            ? new NpgsqlCommand("DELETE FROM orleanslua_scripts", connection)
            : new NpgsqlCommand("DELETE FROM orleanslua_scripts WHERE sha = ANY($1)", connection)
            {
                Parameters = { new NpgsqlParameter<string[]> { TypedValue = shas.ToArray() } },
            };
        return await delete.ExecuteNonQueryAsync(cancellation);
    });

    public Task<Dictionary<string, string>> LoadSettingsAsync(CancellationToken cancellation) => Run(async connection =>
    {
        await using var load = new NpgsqlCommand("SELECT name, value FROM orleanslua_settings", connection);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await load.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) settings[reader.GetString(0)] = reader.GetString(1);
        return settings;
    });

    public Task SaveSettingsAsync(IReadOnlyDictionary<string, string?> changes, CancellationToken cancellation) => Run(async connection =>
    {
        var saved = changes.Where(c => c.Value is not null).ToList();
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await using var save = new NpgsqlCommand("""
            INSERT INTO orleanslua_settings (name, value) SELECT * FROM unnest($1::text[], $2::text[])
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """, connection, transaction);
        save.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = saved.Select(c => c.Key).ToArray() });
        save.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = saved.Select(c => c.Value!).ToArray() });
        await save.ExecuteNonQueryAsync(cancellation);
        await using var delete = new NpgsqlCommand("DELETE FROM orleanslua_settings WHERE name = ANY($1)", connection, transaction);
        delete.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = changes.Where(c => c.Value is null).Select(c => c.Key).ToArray() });
        await delete.ExecuteNonQueryAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        return 0;
    });

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>One storage call on a pooled connection; connection and server failures become a client-facing reason.</summary>
    private async Task<T> Run<T>(Func<NpgsqlConnection, Task<T>> action)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _data.OpenConnectionAsync();
            return await action(connection);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new StorageUnavailableException("PostgreSQL: " + Reason(ex, connected: connection is not null), ex);
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    /// <summary>Npgsql words both of its timeouts "The operation has timed out": say which one ran out, and its length.</summary>
    private string Reason(Exception ex, bool connected)
    {
        if (ex is not (TimeoutException or NpgsqlException { InnerException: TimeoutException })) return SlotWriter.Describe(ex);
        var settings = new NpgsqlConnectionStringBuilder(_data.ConnectionString);
        return connected
            ? $"no reply from {settings.Host}:{settings.Port} within the {settings.CommandTimeout} s command timeout"
            : $"could not connect to {settings.Host}:{settings.Port} within the {settings.Timeout} s connect timeout";
    }

    public ValueTask DisposeAsync() => _data.DisposeAsync();

    private sealed class SlotKeyComparer : IEqualityComparer<(int Slot, byte[] Key)>
    {
        public static readonly SlotKeyComparer Instance = new();
        public bool Equals((int Slot, byte[] Key) x, (int Slot, byte[] Key) y) => x.Slot == y.Slot && x.Key.AsSpan().SequenceEqual(y.Key);
        public int GetHashCode((int Slot, byte[] Key) obj) => HashCode.Combine(obj.Slot, Keyspace.ByteArrayComparer.Instance.GetHashCode(obj.Key));
    }
}
