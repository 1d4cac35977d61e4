using System.Data.Common;
using Npgsql;

namespace OrleansLua.Client.Clustering;

/// <summary>
/// Timeouts for every PostgreSQL connection string the project is given (--postgres: slot storage and
/// membership alike), where the string does not set its own. Npgsql's defaults (15 s to connect, 30 s per
/// command) would hold a client's write that long when the database is unreachable; with these, a write
/// answers <c>-TRYAGAIN storage unavailable: PostgreSQL: …</c> within a few seconds instead.
/// </summary>
public static class PostgresConnection
{
    /// <summary>Establishing a connection (TCP, TLS, authentication): a reachable server on a LAN takes milliseconds.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// One statement: a group commit of 1024 write sets, a slot's load or a membership update takes milliseconds
    /// to a few hundred; a claim waits at most for a commit in flight.
    /// </summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The connection string with <see cref="ConnectTimeout"/> and <see cref="CommandTimeout"/> unless it sets them.</summary>
    public static string WithTimeouts(string connectionString)
    {
        // Which keywords the string itself gives (Npgsql's builder reports defaults as if they were set).
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("timeout")) builder.Timeout = (int)ConnectTimeout.TotalSeconds;
        if (!given.Contains("commandtimeout")) builder.CommandTimeout = (int)CommandTimeout.TotalSeconds;
        return builder.ConnectionString;
    }
}
