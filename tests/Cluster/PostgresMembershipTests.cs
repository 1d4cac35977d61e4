using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Npgsql;
using OrleansLua.GrainInterfaces;
using OrleansLua.Client.Clustering;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Cluster;

/// <summary>Tests that start real silo processes: alone, so no other test competes for the 2 cores while they measure.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessClusterCollection
{
    public const string Name = "process cluster";
}

/// <summary>
/// Three silo processes clustered through PostgreSQL membership, each with its co-hosted gateway; one is
/// killed with SIGKILL while clients keep going through the others.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class PostgresMembershipTests(ITestOutputHelper output)
{
    /// <summary>
    /// Kill -9 to the silo's row saying Dead: 1.2–2.1 s measured with the tuning of silo/Clustering/ClusteringConfiguration.cs;
    /// Orleans' defaults take 11–13 s (FACTS.md), which must fail here.
    /// </summary>
    public static readonly TimeSpan DetectionBound = TimeSpan.FromSeconds(6);

    /// <summary>Kill -9 until every one of the 16384 slots answered SET again (memory storage): 3.4 s measured.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(null, null, "localhost")]
    [InlineData(null, "Host=h;Database=d", "postgres")]
    [InlineData("localhost", "Host=h;Database=d", "localhost")]
    [InlineData("Postgres", null, "postgres")]
    public void Clustering_mode_defaults_to_postgres_when_a_connection_string_is_given(string? mode, string? postgres, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OrleansLua:Clustering"] = mode, ["OrleansLua:Postgres"] = postgres })
            .Build();
        Assert.Equal(expected, ClusterSettings.Mode(configuration));
    }

    [Fact]
    public async Task Private_postgres_keeps_committed_data_across_a_fast_stop_and_start()
    {
        var clock = Stopwatch.StartNew();
        using var postgres = PostgresServer.Start();
        var first = clock.Elapsed;
        clock.Restart();
        using var second = PostgresServer.Start();
        output.WriteLine($"PostgreSQL started in {first.TotalMilliseconds:0} ms (the first one in a test run also makes the template), then {clock.Elapsed.TotalMilliseconds:0} ms");

        await PostgresClusteringSchema.ApplyAsync(postgres.ConnectionString, null, TimeSpan.FromSeconds(10));
        await PostgresClusteringSchema.ApplyAsync(postgres.ConnectionString, null, TimeSpan.FromSeconds(10)); // idempotent
        Assert.Equal("10", postgres.Psql(PostgresServer.DatabaseName, "SELECT count(*) FROM OrleansQuery"));
        postgres.Psql(PostgresServer.DatabaseName, "CREATE TABLE t (v int); INSERT INTO t VALUES (42)");
        int port = postgres.Port;
        postgres.Stop();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var connection = new NpgsqlConnection(postgres.ConnectionString);
            await connection.OpenAsync();
        });
        postgres.Start();
        Assert.Equal(port, postgres.Port);
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT v FROM t", connection);
            Assert.Equal(42, await command.ExecuteScalarAsync());
        }
        // Each server has its own data.
        Assert.Equal("0", second.Psql(PostgresServer.DatabaseName, "SELECT count(*) FROM pg_tables WHERE tablename = 't'"));
    }

    [Fact]
    public async Task Every_gateway_serves_every_slot_and_a_killed_silos_slots_answer_again_within_bound()
    {
        using var cluster = await ProcessCluster.StartAsync(3, output);
        await cluster.Run(async () =>
        {
            var (g1, victim, g3) = (cluster.Silos[0], cluster.Silos[1], cluster.Silos[2]);

            // 300 keys over many slots: written through gateway 1, read exactly through gateways 2 and 3.
            var members = Enumerable.Range(0, 300).Select(i => ($"member:{i}", $"value-{i}-{Guid.NewGuid():N}")).ToArray();
            using (var writer = new RespPipe(g1.RespPort))
                Assert.All(Pipeline(writer, members.Select(m => new object[] { "SET", m.Item1, m.Item2 })), r => Assert.Equal("+OK\r\n", r));
            foreach (var gateway in (SiloProcess[])[victim, g3])
            {
                using var reader = new RespPipe(gateway.RespPort);
                var replies = Pipeline(reader, members.Select(m => new object[] { "GET", m.Item1 }));
                for (int i = 0; i < members.Length; i++) Assert.Equal(Bulk(members[i].Item2), replies[i]);
            }

            // A client loop over one key per slot (all 16384) through the survivors, running before and after the kill.
            var slotKeys = KeyPerSlot();
            var loop = new SlotLoop(slotKeys, [g1.RespPort, g3.RespPort]);
            var loopTask = Task.Factory.StartNew(loop.Run, TaskCreationOptions.LongRunning);
            await loop.FirstRoundDone.Task.WaitAsync(TimeSpan.FromSeconds(60));

            victim.Kill();
            var killed = Stopwatch.StartNew();
            loop.MarkKill(killed);
            var detected = await cluster.WaitUntilDeadAsync(victim, DetectionBound);
            TimeSpan recovered;
            try
            {
                recovered = await loop.AllSlotsAnswered.Task.WaitAsync(RecoveryBound + TimeSpan.FromSeconds(10));
                await loopTask.WaitAsync(TimeSpan.FromSeconds(60)); // ends after a round with every SET answered OK
            }
            catch (TimeoutException)
            {
                Assert.Fail($"slots still not answering {killed.Elapsed} after the kill; errors: {string.Join(" | ", loop.Errors.Take(10))}\n{cluster.Tails()}");
                throw;
            }
            finally
            {
                loop.Stop();
            }

            Measurements.Report(output, $"kill -9 of 1 of 3 silos (memory storage): declared dead in PostgreSQL after {detected.TotalMilliseconds:0} ms " +
                $"(bound {DetectionBound.TotalSeconds:0} s); all 16384 slots answered SET again after {recovered.TotalMilliseconds:0} ms (bound {RecoveryBound.TotalSeconds:0} s)");
            Measurements.Report(output, $"client loop: {loop.Rounds} rounds, slowest round {loop.SlowestRound.TotalMilliseconds:0} ms, " +
                $"{loop.TryAgain} TRYAGAIN, errors: {(loop.Errors.Count == 0 ? "none" : string.Join(" | ", loop.Errors.Take(5)))}");
            if (!loop.Errors.IsEmpty) Assert.Fail($"clients saw errors other than TRYAGAIN: {string.Join(" | ", loop.Errors.Take(10))}\n{cluster.Tails()}");
            if (recovered > RecoveryBound) Assert.Fail($"slots answered again only after {recovered}\n{cluster.Tails()}");

            // The map says what happened: the victim is a failed node without slots, the survivors serve every slot.
            // (Requests are forwarded to the new owners before every gateway has the new map: give it a moment.)
            const string FailedNode = @"^[0-9a-f]{40} 127\.0\.0\.1:\d+@\d+ master,fail - 0 \d+ \d+ disconnected$";
            string[] nodes = [];
            string failed = "";
            for (var map = Stopwatch.StartNew(); map.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(200))
            {
                nodes = RedisCli.Exec(g1.RespPort, "CLUSTER", "NODES").Split('\n', StringSplitOptions.RemoveEmptyEntries);
                failed = nodes.FirstOrDefault(l => l.Contains($":{victim.RespPort}@"))?.Trim() ?? "";
                if (System.Text.RegularExpressions.Regex.IsMatch(failed, FailedNode)) break;
            }
            Assert.Equal(3, nodes.Length);
            Assert.Matches(FailedNode, failed);
            var info = RedisCli.Exec(g3.RespPort, "CLUSTER", "INFO");
            Assert.Contains("cluster_state:ok", info);
            Assert.Contains("cluster_slots_ok:16384", info);
            Assert.Contains("cluster_slots_fail:0", info);

            // The values written after the kill are exact, through either survivor.
            var last = loop.LastValues;
            using (var reader = new RespPipe(g3.RespPort))
            {
                var replies = Pipeline(reader, slotKeys.Select(k => new object[] { "GET", k }));
                for (int s = 0; s < slotKeys.Length; s++) Assert.Equal(Bulk(last[s]), replies[s]);
            }
            var fresh = slotKeys.Select((k, s) => $"after-{s}-{Guid.NewGuid():N}").ToArray();
            using (var writer = new RespPipe(g3.RespPort))
                Assert.All(Pipeline(writer, slotKeys.Select((k, s) => new object[] { "SET", k, fresh[s] })), r => Assert.Equal("+OK\r\n", r));
            using (var reader = new RespPipe(g1.RespPort))
            {
                var replies = Pipeline(reader, slotKeys.Select(k => new object[] { "GET", k }));
                for (int s = 0; s < slotKeys.Length; s++) Assert.Equal(Bulk(fresh[s]), replies[s]);
            }

            // Keys written before the kill: exact where their slot lived on, gone (memory storage) where it did
            // not: the killed silo's slots.
            using (var reader = new RespPipe(g1.RespPort))
            {
                var replies = Pipeline(reader, members.Select(m => new object[] { "GET", m.Item1 }));
                int lost = 0;
                for (int i = 0; i < members.Length; i++)
                {
                    if (replies[i] == "$-1\r\n") lost++;
                    else Assert.Equal(Bulk(members[i].Item2), replies[i]);
                }
                output.WriteLine($"keys written before the kill: {members.Length - lost} kept, {lost} lost (memory storage: slots on the killed silo)");
            }
        });
    }

    [Fact]
    public async Task Incr_and_get_through_surviving_gateways_see_no_error_but_tryagain_during_a_kill()
    {
        using var cluster = await ProcessCluster.StartAsync(3, output);
        await cluster.Run(async () =>
        {
            var (g1, victim, g3) = (cluster.Silos[0], cluster.Silos[1], cluster.Silos[2]);
            const int connections = 10, keysPerConnection = 50;
            var run = Guid.NewGuid().ToString("N")[..8];
            var stop = new CancellationTokenSource();
            var killed = Stopwatch.StartNew();
            long killTicks = long.MaxValue;
            var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
            long tryAgain = 0, operations = 0, lostBetween = 0, slowestTicks = 0;

            var clients = Enumerable.Range(0, connections).Select(c => Task.Factory.StartNew(() =>
            {
                using var client = new RespPipe(c % 2 == 0 ? g1.RespPort : g3.RespPort);
                for (long n = 0; !stop.IsCancellationRequested; n++)
                {
                    var key = $"ctr:{run}:{c}:{n % keysPerConnection}";
                    var started = Stopwatch.GetTimestamp();
                    var incr = client.Call("INCR", key);
                    var get = client.Call("GET", key);
                    var took = Stopwatch.GetElapsedTime(started).Ticks;
                    InterlockedMax(ref slowestTicks, took);
                    Interlocked.Add(ref operations, 2);
                    if (incr.StartsWith("-TRYAGAIN ", StringComparison.Ordinal)) Interlocked.Increment(ref tryAgain);
                    else if (!incr.StartsWith(':')) errors.Enqueue($"INCR {key}: {incr.Trim()}");
                    if (!get.StartsWith('$')) errors.Enqueue($"GET {key}: {get.Trim()}");
                    else if (incr.StartsWith(':') && get != Bulk(incr[1..].Trim()))
                    {
                        // Only a slot whose memory was lost in the failover between INCR and GET may differ.
                        if (Interlocked.Read(ref killTicks) <= killed.ElapsedTicks) Interlocked.Increment(ref lostBetween);
                        else errors.Enqueue($"GET {key} after INCR {incr.Trim()}: {get.Trim()}");
                    }
                }
            }, TaskCreationOptions.LongRunning)).ToArray();

            await Task.Delay(2000);
            Interlocked.Exchange(ref killTicks, killed.ElapsedTicks);
            victim.Kill();
            var detected = await cluster.WaitUntilDeadAsync(victim, DetectionBound);
            await Task.Delay(TimeSpan.FromSeconds(8)); // keep going well past the recovery
            stop.Cancel();
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(60));

            Measurements.Report(output, $"kill -9 of 1 of 3 silos (INCR/GET): declared dead after {detected.TotalMilliseconds:0} ms (bound {DetectionBound.TotalSeconds:0} s)");
            Measurements.Report(output, $"{connections} connections, {operations} INCR/GET: {tryAgain} TRYAGAIN (writes in flight on the killed silo), " +
                $"{lostBetween} GETs after an INCR whose slot died in between, slowest INCR+GET {TimeSpan.FromTicks(slowestTicks).TotalMilliseconds:0} ms, " +
                $"other errors: {errors.Count}");
            if (!errors.IsEmpty) Assert.Fail($"errors other than TRYAGAIN: {string.Join(" | ", errors.Take(10))}\n{cluster.Tails()}");
            Assert.True(operations > 1000, $"only {operations} operations");

            // SIGTERM is a graceful stop: the silo leaves the cluster (its row says Dead) and exits.
            var stopping = Stopwatch.StartNew();
            if (!g3.Terminate(TimeSpan.FromSeconds(30))) Assert.Fail($"silo3 did not exit within 30 s of SIGTERM\n{cluster.Tails()}");
            Assert.True(g3.HasExited);
            output.WriteLine($"SIGTERM: silo {g3.SiloPort} exited after {stopping.ElapsedMilliseconds} ms");
            await cluster.WaitUntilDeadAsync(g3, TimeSpan.FromSeconds(5));
        });
    }

    /// <summary>Sends all commands pipelined and returns the raw replies in order.</summary>
    private static string[] Pipeline(RespPipe client, IEnumerable<object[]> commands)
    {
        var list = commands.ToList();
        const int window = 2048; // bounded so neither side's socket buffers fill up
        var replies = new string[list.Count];
        for (int start = 0; start < list.Count; start += window)
        {
            int end = Math.Min(start + window, list.Count);
            var payload = new MemoryStream();
            for (int i = start; i < end; i++) payload.Write(RawRespClient.Encode(list[i]));
            client.Send(payload.ToArray());
            for (int i = start; i < end; i++)
            {
                try
                {
                    replies[i] = client.ReadReply();
                }
                catch (IOException ex)
                {
                    throw new IOException($"no reply {i} of {list.Count} pipelined commands ({list[i][0]} {list[i][1]}): {ex.Message}", ex);
                }
            }
        }
        return replies;
    }

    private static string Bulk(string value) => $"${Encoding.UTF8.GetByteCount(value)}\r\n{value}\r\n";

    /// <summary>One key for each of the 16384 slots.</summary>
    private static string[] KeyPerSlot()
    {
        var keys = new string?[HashSlot.Count];
        int found = 0;
        for (int i = 0; found < HashSlot.Count; i++)
        {
            var key = $"slot:{i}";
            int slot = HashSlot.Of(Encoding.UTF8.GetBytes(key));
            if (keys[slot] is null)
            {
                keys[slot] = key;
                found++;
            }
        }
        return keys!;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>
    /// Rounds of SET on every slot's key, alternating gateways. After the kill it records when every slot
    /// has answered +OK at least once; TRYAGAIN (a write in flight on the killed silo) is counted, any
    /// other error is kept.
    /// </summary>
    private sealed class SlotLoop(string[] keys, int[] ports)
    {
        private volatile bool _stop;
        private Stopwatch? _sinceKill;
        private readonly bool[] _answered = new bool[keys.Length];
        private int _answeredCount;

        public TaskCompletionSource FirstRoundDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<TimeSpan> AllSlotsAnswered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();
        public string[] LastValues { get; } = new string[keys.Length];
        public int Rounds { get; private set; }
        public int TryAgain { get; private set; }
        public TimeSpan SlowestRound { get; private set; }

        public void MarkKill(Stopwatch sinceKill) => Volatile.Write(ref _sinceKill, sinceKill);
        public void Stop() => _stop = true;

        public void Run()
        {
            var clients = ports.Select(p => new RespPipe(p)).ToArray();
            const int window = 1024; // slots of one pipelined send: the resolution of the measured time
            try
            {
                for (int round = 0; !_stop; round++)
                {
                    var client = clients[round % clients.Length];
                    var clock = Stopwatch.StartNew();
                    for (int start = 0; start < keys.Length; start += window)
                    {
                        // Only a SET sent after the kill shows that its slot answers again.
                        var sinceKill = Volatile.Read(ref _sinceKill);
                        int end = Math.Min(start + window, keys.Length);
                        var payload = new MemoryStream();
                        for (int s = start; s < end; s++) payload.Write(RawRespClient.Encode("SET", keys[s], $"r{round}-{s}"));
                        client.Send(payload.ToArray());
                        for (int s = start; s < end; s++)
                        {
                            var reply = client.ReadReply();
                            if (reply == "+OK\r\n")
                            {
                                LastValues[s] = $"r{round}-{s}";
                                if (sinceKill is not null && !_answered[s])
                                {
                                    _answered[s] = true;
                                    if (++_answeredCount == keys.Length) AllSlotsAnswered.TrySetResult(sinceKill.Elapsed);
                                }
                                continue;
                            }
                            // A TRYAGAIN'd SET may or may not have landed: its slot's value is unknown until the next OK.
                            LastValues[s] = null!;
                            if (reply.StartsWith("-TRYAGAIN ", StringComparison.Ordinal)) TryAgain++;
                            else Errors.Enqueue($"SET {keys[s]}: {reply.Trim()}");
                        }
                    }
                    if (clock.Elapsed > SlowestRound) SlowestRound = clock.Elapsed;
                    Rounds++;
                    FirstRoundDone.TrySetResult();
                    if (AllSlotsAnswered.Task.IsCompleted && LastValues.All(v => v is not null)) return;
                }
            }
            catch (Exception ex)
            {
                Errors.Enqueue($"client loop failed in round {Rounds}: {ex.GetType().Name}: {ex.Message}");
                FirstRoundDone.TrySetException(ex);
                AllSlotsAnswered.TrySetException(ex);
            }
            finally
            {
                foreach (var c in clients) c.Dispose();
            }
        }
    }

    /// <summary>
    /// A plain RESP connection for simple replies (status, error, integer, bulk) that waits up to a minute
    /// for one: during a failover a reply may legitimately take as long as the gateway's retry budget.
    /// </summary>
    private sealed class RespPipe : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly BufferedStream _in;
        private readonly NetworkStream _stream;

        public RespPipe(int port)
        {
            _tcp = new TcpClient("127.0.0.1", port) { NoDelay = true };
            _stream = _tcp.GetStream();
            _stream.ReadTimeout = 60_000;
            _in = new BufferedStream(_stream, 64 * 1024);
        }

        public void Send(byte[] bytes) => _stream.Write(bytes);

        public string Call(params object[] args)
        {
            Send(RawRespClient.Encode(args));
            return ReadReply();
        }

        public string ReadReply()
        {
            var line = ReadLine();
            if (line[0] == '$' && int.TryParse(line.AsSpan(1, line.Length - 3), out int length) && length >= 0)
            {
                var body = new byte[length + 2];
                _in.ReadExactly(body);
                return line + Encoding.UTF8.GetString(body);
            }
            if (line[0] is '*' or '%' or '~' or '>') throw new NotSupportedException($"aggregate reply {line.Trim()}");
            return line;
        }

        private string ReadLine()
        {
            var bytes = new List<byte>(16);
            while (true)
            {
                int b = _in.ReadByte();
                if (b < 0) throw new IOException("connection closed by server");
                bytes.Add((byte)b);
                if (b == '\n' && bytes.Count >= 2 && bytes[^2] == '\r') return Encoding.UTF8.GetString(bytes.ToArray());
            }
        }

        public void Dispose() => _tcp.Dispose();
    }
}
