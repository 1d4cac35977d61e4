using System.Diagnostics;
using OrleansLua.Tests.Cluster;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Persistence;

/// <summary>
/// Durability with real silo processes: kill -9 under load, full restarts, graceful shutdown with
/// everysec. Counts are exact: acknowledged ≤ final ≤ attempted, every acknowledged member present.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// Kill -9 until all 16384 slots answer GET with their acknowledged value through a survivor, under the
    /// workload: the killed silo's ~5,500 slots re-activate and load from PostgreSQL (8.9 s measured).
    /// </summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(20);
    private readonly List<SiloProcess> _silos = [];
    private readonly string _dataDir = Directory.CreateTempSubdirectory("orleanslua-crash-").FullName;
    private PostgresServer? _postgres;

    public void Dispose()
    {
        foreach (var silo in _silos) silo.Dispose();
        _postgres?.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    private async Task<SiloProcess[]> StartPostgresSilos(int count, string appendFsync)
    {
        _postgres ??= PostgresServer.Start();
        string[] args = ["--storage", "postgres", "--appendfsync", appendFsync, "--postgres", _postgres.ConnectionString, "--cluster-id", "crash"];
        var silos = await Task.WhenAll(Enumerable.Range(0, count).Select(i => SiloProcess.StartAsync($"durable{i}", args)));
        _silos.AddRange(silos);
        return silos;
    }

    private async Task<SiloProcess> StartLocalSilo(string appendFsync, int? port = null)
    {
        var silo = await SiloProcess.StartAsync("local", ["--storage", "local", "--data-dir", _dataDir, "--appendfsync", appendFsync], respPort: port);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>GET of every slot's probe key must answer its own slot number (written before the crash, acknowledged).</summary>
    private static int WrongSlotValues(int port)
    {
        using var client = new RawRespClient(port);
        int wrong = 0;
        const int chunk = 1024;
        for (int start = 0; start < DurableWorkload.KeyPerSlot.Length; start += chunk)
        {
            var batch = new MemoryStream();
            for (int i = start; i < start + chunk; i++) batch.Write(RawRespClient.Encode("GET", DurableWorkload.KeyPerSlot[i]));
            client.SendRaw(batch.ToArray());
            for (int i = start; i < start + chunk; i++)
                if (client.ReadReply() != $"${i.ToString().Length}\r\n{i}\r\n") wrong++;
        }
        return wrong;
    }

    [Fact]
    public async Task Kill_9_of_one_of_three_postgres_silos_loses_no_acknowledged_write_and_a_full_restart_keeps_everything()
    {
        var silos = await StartPostgresSilos(3, "always");
        int[] ports = silos.Select(s => s.RespPort).ToArray();
        Assert.Equal(0, DurableWorkload.ProbeAllSlots(ports[0], write: true)); // every slot active and holding a value

        var workload = new DurableWorkload(ports);
        var running = workload.Run(connections: 20);
        await Task.Delay(3000);
        long beforeKill = workload.Operations;

        var victim = silos[1];
        workload.MarkDead(victim.RespPort);
        victim.Kill();
        var killedAt = workload.Now;
        var detection = MembershipTable.WaitUntilDeadAsync(_postgres!.ConnectionString, victim.SiloPort, PostgresMembershipTests.DetectionBound);

        // Until every slot answers with its acknowledged value through a surviving gateway.
        var recovery = Stopwatch.StartNew();
        int wrong;
        while ((wrong = WrongSlotValues(ports[0])) > 0 && recovery.Elapsed < RecoveryBound) await Task.Delay(100);
        var recovered = recovery.Elapsed;
        var detected = await detection;
        Measurements.Report(output, $"kill -9 of 1 of 3 silos (postgres, appendfsync always, 20 connections): declared dead after " +
            $"{(detected is { } d ? $"{d.TotalMilliseconds:0} ms" : "(not within the bound)")} (bound {PostgresMembershipTests.DetectionBound.TotalSeconds:0} s); " +
            $"every slot answered again {recovered.TotalSeconds:F1} s after the kill (bound {RecoveryBound.TotalSeconds:0} s)");
        Assert.True(detected is not null, $"the killed silo was not declared dead within {PostgresMembershipTests.DetectionBound.TotalSeconds} s\n{silos[0].LogTail()}");
        Assert.True(wrong == 0, $"{wrong} slots still wrong or unavailable {RecoveryBound.TotalSeconds} s after the kill.\n{silos[0].LogTail()}");

        await Task.Delay(2000);
        workload.Stop();
        await running;
        var problems = workload.Verify(ports[2], out long acknowledged);
        Measurements.Report(output, $"kill -9 workload: {beforeKill} ops before the kill, {workload.Operations} in all, " +
            $"{acknowledged} acknowledged increments+members checked; " +
            $"last client error {(workload.LastError - killedAt)?.TotalSeconds:F1} s after it; errors: " +
            string.Join(", ", workload.Errors.Select(e => $"{e.Key} ×{e.Value}")));
        Assert.Empty(problems);
        Assert.True(workload.Operations > beforeKill + 100, "the workload made progress after the kill");

        // Full restart: stop the survivors gracefully, start three new silos, everything is there —
        // the script cache too.
        var counters = CounterValues(ports[0]);
        string sha;
        using (var client = new RawRespClient(ports[2])) sha = client.Call("SCRIPT", "LOAD", "return redis.call('GET', KEYS[1])").Split("\r\n")[1];
        foreach (var silo in silos.Where(s => !s.HasExited)) Assert.True(silo.Terminate(), $"{silo.Name} did not stop");
        var restarted = await StartPostgresSilos(3, "always");
        Assert.Equal(counters, CounterValues(restarted[2].RespPort));
        Assert.Empty(workload.Verify(restarted[1].RespPort, out _));
        Assert.Equal(0, WrongSlotValues(restarted[0].RespPort));
        using var after = new RawRespClient(restarted[1].RespPort);
        Assert.Equal(counters[0], after.Call("EVALSHA", sha, "1", DurableWorkload.CounterKey(0)));
    }

    private static string[] CounterValues(int port)
    {
        using var client = new RawRespClient(port);
        return Enumerable.Range(0, DurableWorkload.Counters).Select(k => client.Call("GET", DurableWorkload.CounterKey(k))).ToArray();
    }

    [Fact]
    public async Task Kill_9_of_a_local_store_silo_loses_no_acknowledged_write()
    {
        var silo = await StartLocalSilo("always");
        Assert.Equal(0, DurableWorkload.ProbeAllSlots(silo.RespPort, write: true));
        var workload = new DurableWorkload([silo.RespPort]);
        var running = workload.Run(connections: 20);
        await Task.Delay(3000);
        silo.Kill();
        workload.Stop();
        await running;

        var restart = Stopwatch.StartNew();
        var restarted = await StartLocalSilo("always", silo.RespPort);
        var serving = restart.Elapsed; // the gateway listens once every slot with stored keys has loaded
        Assert.Equal(0, WrongSlotValues(restarted.RespPort));
        var problems = workload.Verify(restarted.RespPort, out long acknowledged);
        Measurements.Report(output, $"kill -9 (local store, always): {workload.Operations} ops, {acknowledged} acknowledged increments+members present " +
            $"after a restart that answered PING with all 16384 slots loaded {serving.TotalSeconds:F1} s after it was started");
        Assert.Empty(problems);
        Assert.True(acknowledged > 200, $"only {acknowledged} writes were acknowledged");
    }

    [Fact]
    public async Task A_second_silo_on_the_same_data_dir_exits_with_a_clear_message_and_the_first_keeps_serving()
    {
        var first = await StartLocalSilo("always");
        using (var client = new RawRespClient(first.RespPort)) Assert.Equal("+OK\r\n", client.Call("SET", "owner", "first"));

        using (var second = await SiloProcess.StartAsync("local-second", ["--storage", "local", "--data-dir", _dataDir], wait: false))
        {
            Assert.True(second.WaitForExit(TimeSpan.FromSeconds(60)), $"the second silo is still running:\n{second.LogTail()}");
            Assert.NotEqual(0, second.ExitCode);
            Assert.Contains($"--data-dir {_dataDir} is in use by another OrleansLua process", second.LogTail(200));
        }
        using (var client = new RawRespClient(first.RespPort))
        {
            Assert.Equal("+OK\r\n", client.Call("SET", "after", "second"));
            Assert.Equal("$5\r\nfirst\r\n", client.Call("GET", "owner"));
        }

        // kill -9 leaves no stale lock: the kernel released it with the process.
        first.Kill();
        var restarted = await StartLocalSilo("always", first.RespPort);
        using var check = new RawRespClient(restarted.RespPort);
        Assert.Equal("$6\r\nsecond\r\n", check.Call("GET", "after"));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("postgres")]
    public async Task Sigterm_with_everysec_stores_every_acknowledged_write(string storage)
    {
        var silo = storage == "local" ? await StartLocalSilo("everysec") : (await StartPostgresSilos(1, "everysec"))[0];
        const int keys = 20_000;
        using (var client = new RawRespClient(silo.RespPort))
        {
            var batch = new MemoryStream();
            for (int i = 0; i < keys; i++) batch.Write(RawRespClient.Encode("SET", "k" + i, "v" + i));
            client.SendRaw(batch.ToArray());
            for (int i = 0; i < keys; i++) Assert.Equal("+OK\r\n", client.ReadReply());
        }
        Assert.True(silo.Terminate(), "the silo did not stop within 30 s");

        var restarted = storage == "local" ? await StartLocalSilo("everysec") : (await StartPostgresSilos(1, "everysec"))[0];
        using var check = new RawRespClient(restarted.RespPort);
        Assert.Equal($":{keys}\r\n", check.Call("DBSIZE"));
        var gets = new MemoryStream();
        for (int i = 0; i < keys; i++) gets.Write(RawRespClient.Encode("GET", "k" + i));
        check.SendRaw(gets.ToArray());
        for (int i = 0; i < keys; i++) Assert.Equal($"${("v" + i).Length}\r\nv{i}\r\n", check.ReadReply());
    }
}
