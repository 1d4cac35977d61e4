using System.Diagnostics;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Abuse;

/// <summary>
/// A slot held in one command (a test hook blocks its grain turn, as a runaway command would): commands
/// that visit every slot answer TRYAGAIN within busy-reply-threshold + 5 s instead of hanging, INFO names
/// the slot and its command, every other slot keeps serving, and all is well once the slot lets go.
/// </summary>
[Collection(ClusterCollection.Name)]
public class StuckSlotTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Fan_out_commands_answer_TRYAGAIN_within_the_bound_while_one_slot_is_stuck()
    {
        var key = TestValues.Tag() + "stuck";
        int slot = HashSlot.Of(System.Text.Encoding.UTF8.GetBytes(key));
        using var admin = new RawRespClient(fixture.Port);
        Assert.Equal("+OK\r\n", admin.Call("SET", key, "v"));
        Assert.Equal("+OK\r\n", admin.Call("CONFIG", "SET", "busy-reply-threshold", "500"));
        using var release = new ManualResetEventSlim();
        // The hook below holds a pool thread for the whole test; the two silos, the gateways and the tests running
        // beside this one share this process's pool, which on 2 cores would add threads only slowly meanwhile.
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);
        var activities = fixture.SiloServices<SlotActivity>().ToList();
        foreach (var activity in activities)
            activity.CommandStarting = (s, command) =>
            {
                if (s == slot && command == "get") release.Wait(TimeSpan.FromSeconds(60));
            };
        using var stuck = new RawRespClient(fixture.Ports[1]);
        try
        {
            stuck.SendRaw(RawRespClient.Encode("GET", key));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            string info;
            do info = admin.Call("INFO", "slots"); while (!info.Contains($"slot{slot}:command=get,running_ms=") && DateTime.UtcNow < deadline);
            Assert.Contains("slots_running_long:1\r\n", info);
            Assert.Contains($"slot{slot}:command=get,running_ms=", info);

            foreach (var command in new[] { "DBSIZE", "KEYS" })
            {
                var watch = Stopwatch.StartNew();
                var reply = command == "KEYS" ? admin.Call("KEYS", "*") : admin.Call(command);
                output.WriteLine($"[measured] {command} with slot {slot} stuck answered after {watch.ElapsedMilliseconds} ms");
                Assert.Equal($"-TRYAGAIN slot {slot} did not answer {command} within 5500 ms: it is still busy with an earlier request (see INFO slots)\r\n", reply);
                Assert.InRange(watch.Elapsed.TotalSeconds, 5.0, 9.5);
            }
            // every other slot serves meanwhile, through both gateways
            using var other = new RawRespClient(fixture.Ports[1]);
            var elsewhere = TestValues.Tag() + "free";
            Assert.NotEqual(slot, HashSlot.Of(System.Text.Encoding.UTF8.GetBytes(elsewhere)));
            Assert.Equal("+OK\r\n", other.Call("SET", elsewhere, "1"));
            Assert.Equal(":2\r\n", admin.Call("INCR", elsewhere));
        }
        finally
        {
            release.Set();
            ThreadPool.SetMinThreads(workers, io);
            foreach (var activity in activities) activity.CommandStarting = null;
            admin.Call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
        Assert.Equal("$1\r\nv\r\n", stuck.ReadReply());
        Assert.StartsWith(":", admin.Call("DBSIZE"));
        Assert.Equal("# Slots\r\nslots_running_long:0\r\n", ParseBulk(admin.Call("INFO", "slots")));
        Assert.Equal(":1\r\n", admin.Call("DEL", key));
    }

    private static string ParseBulk(string reply) => reply[(reply.IndexOf("\r\n", StringComparison.Ordinal) + 2)..^2];
}
