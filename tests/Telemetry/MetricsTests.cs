using OrleansLua.Tests.Infrastructure;
using Xunit;
using static OrleansLua.GrainInterfaces.Diagnostics.OrleansLuaTelemetry;
using static OrleansLua.Tests.Infrastructure.TestValues;

namespace OrleansLua.Tests.Telemetry;

/// <summary>
/// The OrleansLua meter read through the in-memory exporter after known RESP traffic: exact deltas. The
/// tests of this collection run one after another on their own one-silo cluster, so nothing else moves them.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsTests(TelemetryClusterFixture fixture)
{
    [Fact]
    public void Commands_and_errors_are_counted_exactly_by_command_and_error_type()
    {
        var t = Tag();
        using var c = new RawRespClient(fixture.Port);
        var before = fixture.Collect();

        for (int i = 0; i < 5; i++) Assert.Equal("+OK\r\n", c.Call("SET", $"{t}k{i}", "v"));
        Assert.Equal(":1\r\n", c.Call("RPUSH", t + "list", "a"));
        Assert.Equal("$1\r\nv\r\n", c.Call("GET", t + "k0"));
        Assert.Equal("$-1\r\n", c.Call("GET", t + "missing"));
        Assert.Equal(WrongType, c.Call("GET", t + "list"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", c.Call("INCR", t + "k0"));

        var after = fixture.Collect();
        Assert.Equal(new Dictionary<string, long> { ["set"] = 5, ["get"] = 3, ["rpush"] = 1, ["incr"] = 1 },
            MetricReading.Moved(before.ValuesBy(Names.Commands, Tags.Command), after.ValuesBy(Names.Commands, Tags.Command)));
        Assert.Equal(new Dictionary<string, long> { ["WRONGTYPE"] = 1, ["ERR"] = 1 },
            MetricReading.Moved(before.ValuesBy(Names.CommandErrors, Tags.ErrorType), after.ValuesBy(Names.CommandErrors, Tags.ErrorType)));
        Assert.Empty(MetricReading.Moved(before.ValuesBy(Names.CommandsRejected, Tags.Command), after.ValuesBy(Names.CommandsRejected, Tags.Command)));
        Assert.True(after.DoubleValue(Names.CommandTime, (Tags.Command, "set")) > before.DoubleValue(Names.CommandTime, (Tags.Command, "set")));
        // five strings and a list, all in this silo's shard grains
        Assert.Equal(6, after.Value(Names.Keys) - before.Value(Names.Keys));
        Assert.True(after.Value(Names.Slots) >= 1);
        Assert.True(after.Value(Names.MemoryManaged) > 0);
        Assert.True(after.Value(Names.MemoryResident) > 0);
    }

    [Fact]
    public void A_refused_command_counts_as_rejected_not_as_run()
    {
        using var c = new RawRespClient(fixture.Port);
        var before = fixture.Collect();
        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", c.Call("GET"));
        var after = fixture.Collect();
        Assert.Equal(new Dictionary<string, long> { ["get"] = 1 },
            MetricReading.Moved(before.ValuesBy(Names.CommandsRejected, Tags.Command), after.ValuesBy(Names.CommandsRejected, Tags.Command)));
        Assert.Empty(MetricReading.Moved(before.ValuesBy(Names.Commands, Tags.Command), after.ValuesBy(Names.Commands, Tags.Command)));
        Assert.Equal(1, after.Value(Names.CommandErrors, (Tags.ErrorType, "ERR")) - before.Value(Names.CommandErrors, (Tags.ErrorType, "ERR")));
    }

    [Fact]
    public void Every_script_run_is_timed_once_by_outcome()
    {
        var t = Tag();
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("+OK\r\n", c.Call("SET", t + "text", "abc"));
        var before = fixture.Collect();

        const string ok = "return 1";
        Assert.Equal(":1\r\n", c.Call("EVAL", ok, "1", t + "a"));
        Assert.Equal(":1\r\n", c.Call("EVALSHA", Sha(ok), "1", t + "a"));
        Assert.StartsWith("-ERR value is not an integer", c.Call("EVAL", "return redis.call('INCR', KEYS[1])", "1", t + "text"));
        // never ran: no measurement
        Assert.StartsWith("-NOSCRIPT", c.Call("EVALSHA", new string('0', 40), "1", t + "a"));

        var after = fixture.Collect();
        Assert.Equal(2, after.HistogramCount(Names.ScriptDuration, (Tags.Outcome, ScriptOutcome.Ok)) - before.HistogramCount(Names.ScriptDuration, (Tags.Outcome, ScriptOutcome.Ok)));
        Assert.Equal(1, after.HistogramCount(Names.ScriptDuration, (Tags.Outcome, ScriptOutcome.Error)) - before.HistogramCount(Names.ScriptDuration, (Tags.Outcome, ScriptOutcome.Error)));
        Assert.Equal(3, after.HistogramCount(Names.ScriptDuration) - before.HistogramCount(Names.ScriptDuration));
        Assert.True(after.HistogramSum(Names.ScriptDuration) > before.HistogramSum(Names.ScriptDuration));
        Assert.Equal(0, after.Value(Names.ScriptsKilled) - before.Value(Names.ScriptsKilled));
        Assert.Equal(0, after.Value(Names.ScriptsRunning));
    }

    [Fact]
    public void A_killed_script_is_busy_while_it_runs_and_counted_once_when_killed()
    {
        var t = Tag();
        using var runner = new RawRespClient(fixture.Port);
        using var killer = new RawRespClient(fixture.Port);
        Assert.Equal("+OK\r\n", killer.Call("CONFIG", "SET", "busy-reply-threshold", "100"));
        try
        {
            var before = fixture.Collect();
            runner.SendRaw(RawRespClient.Encode("EVAL", "while true do end", "1", t + "a"));

            var busy = fixture.CollectUntil(r => r.Value(Names.ScriptsBusy) == 1);
            Assert.Equal(1, busy.Value(Names.ScriptsBusy));
            Assert.Equal(1, busy.Value(Names.ScriptsRunning));

            // SCRIPT KILL finds the script once the silo has reported it busy (within ~100 ms)
            var deadline = DateTime.UtcNow.AddSeconds(10);
            string reply;
            do reply = killer.Call("SCRIPT", "KILL"); while (reply != "+OK\r\n" && DateTime.UtcNow < deadline && Sleep(20));
            Assert.Equal("+OK\r\n", reply);
            Assert.StartsWith("-ERR Script killed by user with SCRIPT KILL...", runner.ReadReply());

            var after = fixture.CollectUntil(r => r.Value(Names.ScriptsRunning) == 0);
            Assert.Equal(0, after.Value(Names.ScriptsRunning));
            Assert.Equal(0, after.Value(Names.ScriptsBusy));
            Assert.Equal(1, after.Value(Names.ScriptsKilled) - before.Value(Names.ScriptsKilled));
            Assert.Equal(1, after.HistogramCount(Names.ScriptDuration, (Tags.Outcome, ScriptOutcome.Killed))
                - before.HistogramCount(Names.ScriptDuration, (Tags.Outcome, ScriptOutcome.Killed)));
            Assert.True(after.HistogramSum(Names.ScriptDuration, (Tags.Outcome, ScriptOutcome.Killed))
                - before.HistogramSum(Names.ScriptDuration, (Tags.Outcome, ScriptOutcome.Killed)) >= 100);
        }
        finally
        {
            killer.Call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    [Fact]
    public void Connections_and_blocked_clients_are_gauged()
    {
        // connections of earlier tests close asynchronously on the server side
        Assert.Equal(0, fixture.CollectUntil(r => r.Value(Names.Connections) == 0).Value(Names.Connections));
        var t = Tag();
        var clients = Enumerable.Range(0, 3).Select(_ => new RawRespClient(fixture.Port)).ToList();
        try
        {
            foreach (var c in clients) Assert.Equal("+PONG\r\n", c.Call("PING"));
            Assert.Equal(3, fixture.CollectUntil(r => r.Value(Names.Connections) == 3).Value(Names.Connections));
            Assert.Equal(0, fixture.Collect().Value(Names.ClientsBlocked));

            clients[0].SendRaw(RawRespClient.Encode("BLPOP", t + "queue", "0"));
            Assert.Equal(1, fixture.CollectUntil(r => r.Value(Names.ClientsBlocked) == 1).Value(Names.ClientsBlocked));

            Assert.Equal(":1\r\n", clients[1].Call("RPUSH", t + "queue", "job"));
            Assert.Equal(Bulks([t + "queue", "job"]), clients[0].ReadReply());
            Assert.Equal(0, fixture.CollectUntil(r => r.Value(Names.ClientsBlocked) == 0).Value(Names.ClientsBlocked));
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
        Assert.Equal(0, fixture.CollectUntil(r => r.Value(Names.Connections) == 0).Value(Names.Connections));
    }

    [Fact]
    public void Storage_commits_are_timed_with_their_write_sets()
    {
        var t = Tag();
        using var c = new RawRespClient(fixture.Port);
        var stats = fixture.Storage.Stats.Snapshot();
        var before = fixture.Collect();

        // appendfsync always: each SET is acknowledged after its own commit
        for (int i = 0; i < 3; i++) Assert.Equal("+OK\r\n", c.Call("SET", $"{t}{i}", "durable"));

        var after = fixture.Collect();
        var now = fixture.Storage.Stats.Snapshot();
        Assert.Equal(3, now.Commits - stats.Commits);
        Assert.Equal(3, now.WriteSets - stats.WriteSets);
        Assert.Equal(3, after.HistogramCount(Names.CommitDuration) - before.HistogramCount(Names.CommitDuration));
        Assert.Equal(3, after.HistogramCount(Names.CommitWriteSets) - before.HistogramCount(Names.CommitWriteSets));
        Assert.Equal(3, after.HistogramSum(Names.CommitWriteSets) - before.HistogramSum(Names.CommitWriteSets));
        Assert.True(after.HistogramSum(Names.CommitDuration) > before.HistogramSum(Names.CommitDuration));
        Assert.Equal(0, after.Value(Names.CommitFailures));
    }

    [Fact]
    public void Orleans_own_meter_is_exported_too()
    {
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("+OK\r\n", c.Call("SET", Tag(), "v"));
        var reading = fixture.Collect();
        Assert.NotEmpty(reading.Names("Microsoft.Orleans"));
    }

    private static bool Sleep(int ms)
    {
        Thread.Sleep(ms);
        return true;
    }
}
