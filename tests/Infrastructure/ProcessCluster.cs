using System.Diagnostics;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>A private PostgreSQL and N silo processes clustered through it.</summary>
public sealed class ProcessCluster : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string[] _extraArgs;

    private ProcessCluster(PostgresServer postgres, ITestOutputHelper output, string[] extraArgs) =>
        (Postgres, _output, _extraArgs) = (postgres, output, extraArgs);

    private string[] SiloArgs => ["--storage", "memory", "--clustering", "postgres", "--postgres", Postgres.ConnectionString, .. _extraArgs];

    /// <summary>Another silo joins the cluster (it is added to <see cref="Silos"/>).</summary>
    public async Task<SiloProcess> AddSiloAsync()
    {
        var silo = await SiloProcess.StartAsync($"silo{Silos.Count + 1}", SiloArgs);
        Silos.Add(silo);
        return silo;
    }

    public PostgresServer Postgres { get; }
    public List<SiloProcess> Silos { get; } = [];

    /// <summary>Starts <paramref name="silos"/> silos with memory storage (and <paramref name="extraArgs"/>) and waits until all are active.</summary>
    public static async Task<ProcessCluster> StartAsync(int silos, ITestOutputHelper output, params string[] extraArgs)
    {
        var clock = Stopwatch.StartNew();
        var cluster = new ProcessCluster(PostgresServer.Start(), output, extraArgs);
        try
        {
            var postgresUp = clock.Elapsed;
            var started = await Task.WhenAll(Enumerable.Range(1, silos).Select(i => SiloProcess.StartAsync($"silo{i}", cluster.SiloArgs)));
            cluster.Silos.AddRange(started);
            await cluster.WaitForActiveAsync(silos, TimeSpan.FromSeconds(30));
            output.WriteLine($"PostgreSQL up in {postgresUp.TotalMilliseconds:0} ms, {silos} silos active after {clock.Elapsed.TotalMilliseconds:0} ms");
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Runs a test body; on failure the silos' logs are kept and their paths written out.</summary>
    public async Task Run(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            foreach (var silo in Silos)
            {
                silo.KeepLog = true;
                _output.WriteLine($"{silo.Name} log: {silo.LogFile}");
            }
            throw;
        }
    }

    public async Task WaitForActiveAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (await StatusCountsAsync() is var counts && counts.GetValueOrDefault(MembershipTable.Active) < count)
        {
            if (clock.Elapsed > timeout) Assert.Fail($"only {counts.GetValueOrDefault(MembershipTable.Active)} of {count} silos active in PostgreSQL\n{Tails()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Time until the silo's membership row says Dead; fails the test beyond <paramref name="timeout"/>.</summary>
    public async Task<TimeSpan> WaitUntilDeadAsync(SiloProcess silo, TimeSpan timeout) =>
        await MembershipTable.WaitUntilDeadAsync(Postgres.ConnectionString, silo.SiloPort, timeout)
        ?? throw new Xunit.Sdk.XunitException($"silo {silo.SiloPort} not declared dead within {timeout}\n{Tails()}");

    private async Task<Dictionary<int, int>> StatusCountsAsync()
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT Status, count(*)::int FROM OrleansMembershipTable GROUP BY Status", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<int, int>();
        while (await reader.ReadAsync()) counts[reader.GetInt32(0)] = reader.GetInt32(1);
        return counts;
    }

    /// <summary>The end of every silo's log, for assertion messages.</summary>
    public string Tails() => string.Join("\n", Silos.Select(s => $"--- {s.Name} (RESP {s.RespPort}, silo {s.SiloPort}) ---\n{s.LogTail(25)}"));

    public void Dispose()
    {
        foreach (var silo in Silos) silo.Dispose();
        Postgres.Dispose();
    }
}
