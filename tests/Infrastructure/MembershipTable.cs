using System.Diagnostics;
using Npgsql;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>Orleans' membership rows in PostgreSQL, as the silos' ADO.NET clustering writes them.</summary>
public static class MembershipTable
{
    public const int Active = 3, Dead = 6;

    /// <summary>
    /// Time from this call until the newest row of the silo on <paramref name="siloPort"/> says Dead (polled
    /// every 50 ms); null if not within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<TimeSpan?> WaitUntilDeadAsync(string connectionString, int siloPort, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT Status FROM OrleansMembershipTable WHERE Port = $1 ORDER BY Generation DESC LIMIT 1", connection);
        command.Parameters.AddWithValue(siloPort);
        while (clock.Elapsed < timeout)
        {
            if (await command.ExecuteScalarAsync() is int status && status == Dead) return clock.Elapsed;
            await Task.Delay(50);
        }
        return null;
    }
}
