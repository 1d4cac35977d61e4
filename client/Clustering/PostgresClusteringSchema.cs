using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrleansLua.Client.Clustering;

/// <summary>
/// Applies the membership schema (embedded PostgresClustering.sql, idempotent) before Orleans reads its
/// stored queries: the NuGet provider ships no SQL. Waits a bounded time for a database that is still starting.
/// Silos and the standalone gateway both apply it, so either may be the first to reach a new database.
/// </summary>
public sealed class PostgresClusteringSchema(string connectionString, ILogger<PostgresClusteringSchema> logger) : IHostedLifecycleService
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    public static string Script { get; } = LoadScript();

    // StartingAsync runs before any hosted service's StartAsync: before the silo's lifecycle (whose membership
    // table manager reads OrleansQuery) and before the Orleans client connects (its gateway list provider does).
    public Task StartingAsync(CancellationToken cancellationToken) => ApplyAsync(connectionString, logger, DefaultWait, cancellationToken);
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task ApplyAsync(string connectionString, ILogger? logger, TimeSpan wait, CancellationToken cancellation = default)
    {
        var target = Describe(connectionString);
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(100);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellation);
                await using var command = new NpgsqlCommand(Script, connection);
                await command.ExecuteNonQueryAsync(cancellation);
                logger?.LogInformation("Orleans membership schema is in place on PostgreSQL {Target} ({Elapsed} ms, attempt {Attempt})",
                    target, clock.ElapsedMilliseconds, attempt);
                return;
            }
            catch (Exception ex) when (IsNotUpYet(ex) && !cancellation.IsCancellationRequested)
            {
                if (clock.Elapsed + delay > wait)
                    throw new InvalidOperationException(
                        $"PostgreSQL at {target} did not accept connections within {wait.TotalSeconds:0} s ({attempt} attempts): {ex.Message}", ex);
                if (attempt == 1 || attempt % 20 == 0)
                    logger?.LogWarning("PostgreSQL at {Target} is not up yet ({Message}); retrying for up to {Wait} s",
                        target, ex.Message, wait.TotalSeconds);
                await Task.Delay(delay, cancellation);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new InvalidOperationException($"Applying the Orleans membership schema on PostgreSQL at {target} failed: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Refused/reset connections and a server that is starting or shutting down: worth waiting for.</summary>
    private static bool IsNotUpYet(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState is "57P03" or "57P01" or "57P02" or "53300", // cannot_connect_now, admin/crash shutdown, too many connections
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>host:port/database for messages, without credentials.</summary>
    private static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{b.Host}:{b.Port}/{b.Database ?? b.Username}";
        }
        catch (ArgumentException)
        {
            return "(unparsable connection string)";
        }
    }

    private static string LoadScript()
    {
        var assembly = typeof(PostgresClusteringSchema).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("PostgresClustering.sql", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
