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

    private static Dictionary<string, string?> Postgres(PostgresServer postgres) => new()
    {
        ["OrleansLua:Storage"] = "postgres",
        ["OrleansLua:Postgres"] = postgres.ConnectionString,
        ["OrleansLua:AppendFsync"] = "always",
    };

    [Fact]
    public async Task A_slot_stuck_in_its_commit_does_not_hold_up_other_slots()
    {
        using var postgres = PostgresServer.Start();
        await using var cluster = await DurableCluster.StartAsync(Postgres(postgres));
        using var stuck = new RawRespClient(cluster.Port);
        using var other = new RawRespClient(cluster.Port);
        Assert.Equal("+OK\r\n", stuck.Call("SET", "stuck", "1"));
        Assert.Equal("+OK\r\n", other.Call("SET", "free", "1"));

        // Another transaction holds the slot's epoch row: the slot's next commit must wait for it.
        await using var db = new Npgsql.NpgsqlConnection(postgres.ConnectionString);
        await db.OpenAsync();
        await using var hold = await db.BeginTransactionAsync();
        await using (var lockRow = new Npgsql.NpgsqlCommand($"SELECT epoch FROM orleanslua_slots WHERE slot = {HashSlot.Of("stuck"u8)} FOR UPDATE", db, hold))
            await lockRow.ExecuteScalarAsync();

        var waiting = Task.Factory.StartNew(() => stuck.Call("SET", "stuck", "2"), TaskCreationOptions.LongRunning);
        await Task.Delay(300);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal("+OK\r\n", other.Call("SET", "free", i.ToString()));
            Assert.Equal($"${i.ToString().Length}\r\n{i}\r\n", other.Call("GET", "free"));
        }
        output.WriteLine($"20 durable SET+GET on another slot took {clock.ElapsedMilliseconds} ms while the stuck slot waited");
        Assert.False(waiting.IsCompleted, "the stuck slot's write was acknowledged before its commit could happen");

        await hold.RollbackAsync();
        Assert.Equal("+OK\r\n", await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("$1\r\n2\r\n", other.Call("GET", "stuck"));
    }

    [Fact]
    public async Task A_stale_activation_is_fenced_off_and_the_newer_owners_data_wins()
    {
        using var postgres = PostgresServer.Start();
        await using var cluster = await DurableCluster.StartAsync(Postgres(postgres));
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
