using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Persistence;
using OrleansLua.Tests.Cluster;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Persistence;

/// <summary>
/// Storage going away: writes fail with a clear TRYAGAIN, reads of loaded keys keep working, the silo
/// recovers by itself when storage returns, and nothing stored is lost or corrupted. Also fencing: a
/// newer owner of a slot wins over a stale activation.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class BadStorageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(15);

    private static string Poll(RawRespClient client, object[] command, Func<string, bool> done, TimeSpan bound, out TimeSpan took)
    {
        var clock = Stopwatch.StartNew();
        string reply;
        while (!done(reply = client.Call(command)) && clock.Elapsed < bound) Thread.Sleep(50);
        took = clock.Elapsed;
        return reply;
    }

    [Fact]
    public async Task Postgres_outage_refuses_writes_with_a_reason_keeps_reads_and_recovers_by_itself()
    {
        using var postgres = PostgresServer.Start();
        string[] args = ["--storage", "postgres", "--clustering", "localhost", "--appendfsync", "always", "--postgres", postgres.ConnectionString];
        using (var silo = await SiloProcess.StartAsync("outage", args))
        {
            using var client = new RawRespClient(silo.RespPort);
            for (int i = 0; i < 50; i++) Assert.Equal("+OK\r\n", client.Call("SET", "before:" + i, "v" + i));

            postgres.Stop();
            Assert.StartsWith("-TRYAGAIN storage unavailable: PostgreSQL: ", client.Call("SET", "during:first", "x"));
            Assert.StartsWith("-TRYAGAIN storage unavailable: PostgreSQL: ", client.Call("SET", "during:refused", "x"));
            Assert.StartsWith("-TRYAGAIN storage unavailable: PostgreSQL: ", client.Call("EVAL", "return redis.call('INCR', KEYS[1])", "1", "before:1x"));
            for (int i = 0; i < 50; i++) Assert.Equal($"$2\r\nv{i}\r\n".Replace("$2", "$" + ("v" + i).Length), client.Call("GET", "before:" + i));

            postgres.Start();
            var reply = Poll(client, ["SET", "after", "ok"], r => r == "+OK\r\n", RecoveryBound, out var took);
            Assert.True(reply == "+OK\r\n", $"writes did not recover within {RecoveryBound.TotalSeconds} s: {reply}");
            output.WriteLine($"PostgreSQL back: writes accepted again after {took.TotalSeconds:F1} s");
            Assert.True(silo.Terminate(), "the silo did not stop");
        }
        using var restarted = await SiloProcess.StartAsync("outage-restart", args);
        using var check = new RawRespClient(restarted.RespPort);
        for (int i = 0; i < 50; i++) Assert.Equal($"${("v" + i).Length}\r\nv{i}\r\n", check.Call("GET", "before:" + i));
        Assert.Equal("$2\r\nok\r\n", check.Call("GET", "after"));
        Assert.Equal("$-1\r\n", check.Call("GET", "during:refused")); // refused before it ran: never applied
    }

    [Fact]
    public async Task Full_disk_under_the_embedded_store_gives_clear_errors_no_corruption_and_recovers()
    {
        var mount = Directory.CreateTempSubdirectory("olfull-").FullName;
        Run("mount", $"-t tmpfs -o size=16m tmpfs {mount}");
        try
        {
            var dataDir = Path.Combine(mount, "data");
            var filler = Path.Combine(mount, "filler");
            File.WriteAllBytes(filler, new byte[4 * 1024 * 1024]);
            var acknowledged = new List<string>();
            await using (var cluster = await DurableCluster.StartAsync(DurableCluster.Local(dataDir)))
            {
                using var client = new RawRespClient(cluster.Port);
                var value = new string('x', 64 * 1024);
                string reply = "";
                for (int i = 0; i < 400 && (reply = client.Call("SET", "big:" + i, value)) == "+OK\r\n"; i++) acknowledged.Add("big:" + i);
                Assert.Equal("-TRYAGAIN storage unavailable: disk full (embedded store)\r\n", reply);
                Assert.InRange(acknowledged.Count, 20, 300);
                Assert.Equal("-TRYAGAIN storage unavailable: disk full (embedded store)\r\n", client.Call("SET", "refused", "x"));
                Assert.Equal($"${value.Length}\r\n{value}\r\n", client.Call("GET", acknowledged[0]));

                File.Delete(filler);
                reply = Poll(client, ["SET", "after", "ok"], r => r == "+OK\r\n", RecoveryBound, out var took);
                Assert.True(reply == "+OK\r\n", $"writes did not recover: {reply}");
                output.WriteLine($"{acknowledged.Count} 64 KB values fit; room again: writes accepted after {took.TotalSeconds:F1} s");
            }
            using (var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "orleanslua.db")};Pooling=False"))
            {
                db.Open();
                using var check = db.CreateCommand();
                check.CommandText = "PRAGMA integrity_check";
                Assert.Equal("ok", check.ExecuteScalar());
            }
            await using var restarted = await DurableCluster.StartAsync(DurableCluster.Local(dataDir));
            using var after = new RawRespClient(restarted.Port);
            foreach (var key in acknowledged) Assert.Equal(":1\r\n", after.Call("EXISTS", key));
            Assert.Equal("$2\r\nok\r\n", after.Call("GET", "after"));
            Assert.Equal(":0\r\n", after.Call("EXISTS", "refused"));
        }
        finally
        {
            Run("umount", mount);
            Directory.Delete(mount, recursive: true);
        }
    }

    private static void Run(string command, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {arguments} failed (the disk-full test needs root to mount a small tmpfs): {error}");
    }

    [Fact]
    public async Task A_stale_activation_is_fenced_off_and_the_newer_owners_data_wins()
    {
        using var postgres = PostgresServer.Start();
        var settings = new Dictionary<string, string?>
        {
            ["OrleansLua:Storage"] = "postgres",
            ["OrleansLua:Postgres"] = postgres.ConnectionString,
            ["OrleansLua:AppendFsync"] = "always",
        };
        await using var cluster = await DurableCluster.StartAsync(settings);
        using var client = new RawRespClient(cluster.Port);
        Assert.Equal("+OK\r\n", client.Call("SET", "fenced", "first"));

        // Another owner claims the slot (as a duplicate activation elsewhere would) and writes to it.
        int slot = HashSlot.Of("fenced"u8);
        await using (var other = new PostgresSlotStore(postgres.ConnectionString))
        {
            await other.InitializeAsync(default);
            long epoch = await other.ClaimAsync(slot, default);
            Assert.Empty(await other.CommitAsync([new WriteSet(slot, epoch, [new KeyWrite("fenced"u8.ToArray(), ValueCodec.Serialize("newer"u8.ToArray()), -1)])], true, default));
        }

        Assert.Equal($"-TRYAGAIN slot {slot} moved to a newer activation; retry\r\n", client.Call("SET", "fenced", "stale"));
        var reply = Poll(client, ["GET", "fenced"], r => r == "$5\r\nnewer\r\n", RecoveryBound, out var took);
        Assert.Equal("$5\r\nnewer\r\n", reply);
        output.WriteLine($"the fenced slot re-activated with the newer owner's data after {took.TotalMilliseconds:F0} ms");
        Assert.Equal("+OK\r\n", client.Call("SET", "fenced", "after"));
        Assert.Equal("$5\r\nafter\r\n", client.Call("GET", "fenced"));
    }
}
