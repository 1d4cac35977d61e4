using OrleansLua.Tests.Cluster;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Persistence;

/// <summary>
/// Group commit: with appendfsync always, every write waits for its commit, so many connections writing at once
/// must share commits — one transaction (and one fsync) for many write sets, not one each.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class GroupCommitTests(ITestOutputHelper output) : IDisposable
{
    private const int Connections = 32, WritesPerConnection = 150;
    private readonly string _dataDir = Directory.CreateTempSubdirectory("orleanslua-group-").FullName;
    private PostgresServer? _postgres;

    public void Dispose()
    {
        _postgres?.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("postgres")]
    public async Task Concurrent_durable_writes_share_commits(string storage)
    {
        var settings = storage == "local" ? DurableCluster.Local(_dataDir, "always") : new Dictionary<string, string?>
        {
            ["OrleansLua:Storage"] = "postgres",
            ["OrleansLua:Postgres"] = (_postgres = PostgresServer.Start()).ConnectionString,
            ["OrleansLua:AppendFsync"] = "always",
        };
        await using var cluster = await DurableCluster.StartAsync(settings);
        var stats = cluster.Writer.Stats;
        var before = stats.Snapshot();

        // Each connection writes its own keys (all over the slots), one at a time: a reply means that write is committed.
        var wrong = await Task.WhenAll(Enumerable.Range(0, Connections).Select(c => Task.Factory.StartNew(() =>
        {
            using var client = new RawRespClient(cluster.Port);
            int notOk = 0;
            for (int i = 0; i < WritesPerConnection; i++)
                if (client.Call("SET", $"group:{c}:{i}", i) != "+OK\r\n") notOk++;
            return notOk;
        }, TaskCreationOptions.LongRunning)));
        var after = stats.Snapshot();
        Assert.All(wrong, n => Assert.Equal(0, n));

        long commits = after.Commits - before.Commits, writeSets = after.WriteSets - before.WriteSets;
        double perCommit = writeSets / (double)Math.Max(commits, 1);
        Measurements.Report(output, $"group commit ({storage}, appendfsync always, {Connections} connections × {WritesPerConnection} SET): " +
            $"{writeSets} write sets in {commits} commits, {perCommit:F1} per commit, largest {stats.TakeMaxBatch()}, " +
            $"{(after.CommitTime - before.CommitTime).TotalMilliseconds / Math.Max(commits, 1):F2} ms per commit");
        // One write set per SET, except that writes of one slot queued behind its commit in flight share one.
        Assert.InRange(writeSets, Connections * WritesPerConnection * 9 / 10, Connections * WritesPerConnection);
        Assert.True(perCommit > 2, $"commits carried {perCommit:F2} write sets on average: writes are not batched");
    }
}
