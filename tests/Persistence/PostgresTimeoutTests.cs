using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Npgsql;
using OrleansLua.Client.Clustering;
using OrleansLua.Grains.Persistence;
using OrleansLua.Silo;
using Xunit;

namespace OrleansLua.Tests.Persistence;

/// <summary>The project's PostgreSQL timeouts: an unreachable database fails a storage call in seconds, with a reason.</summary>
public sealed class PostgresTimeoutTests
{
    [Theory]
    [InlineData("Host=db;Database=d", 3, 10)]
    [InlineData("Host=db;Database=d;Timeout=5;Command Timeout=30", 5, 30)]
    [InlineData("Host=db;Database=d;CommandTimeout=7", 3, 7)]
    [InlineData("Host=db;Database=d;timeout=15", 15, 10)]
    public void Timeouts_apply_where_the_connection_string_sets_none(string given, int connect, int command)
    {
        var result = new NpgsqlConnectionStringBuilder(PostgresConnection.WithTimeouts(given));
        Assert.Equal(connect, result.Timeout);
        Assert.Equal(command, result.CommandTimeout);
        Assert.Equal("db", result.Host);
    }

    [Fact]
    public void Storage_and_membership_get_the_same_connection_string_with_timeouts()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrleansLua:Storage"] = "postgres",
            ["OrleansLua:Postgres"] = "Host=db;Database=d",
        }).Build();
        var storage = SiloConfiguration.StorageFrom(configuration).PostgresConnectionString;
        Assert.Equal(ClusterSettings.RequirePostgres(configuration), storage);
        Assert.Equal(PostgresConnection.ConnectTimeout.TotalSeconds, new NpgsqlConnectionStringBuilder(storage).Timeout);
        Assert.Equal(PostgresConnection.CommandTimeout.TotalSeconds, new NpgsqlConnectionStringBuilder(storage).CommandTimeout);
    }

    [Fact]
    public async Task A_database_that_accepts_but_never_answers_fails_a_storage_call_within_the_connect_timeout()
    {
        // TCP connects (the kernel's backlog accepts), then the server never says a word: what a hung or
        // half-reachable database looks like to Npgsql.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var store = new PostgresSlotStore(PostgresConnection.WithTimeouts($"Host=127.0.0.1;Port={port};Username=u;Database=d;Pooling=false"));

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.ClaimAsync(1, default));
        var took = clock.Elapsed;
        Assert.Equal($"PostgreSQL: could not connect to 127.0.0.1:{port} within the 3 s connect timeout", failure.Reason);
        Assert.InRange(took, PostgresConnection.ConnectTimeout - TimeSpan.FromMilliseconds(500), PostgresConnection.ConnectTimeout + TimeSpan.FromSeconds(2));
    }
}
