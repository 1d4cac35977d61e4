using System.Diagnostics;
using System.Text;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using static OrleansLua.Tests.Infrastructure.TestValues;

namespace OrleansLua.Tests.Telemetry;

/// <summary>
/// With sample ratio 1 every gateway→grain call is a span, and Orleans' activity propagation makes the
/// grain call's own spans its children, in the same trace.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracingTests(TelemetryClusterFixture fixture)
{
    [Fact]
    public void A_gateway_call_is_a_span_with_Orleans_grain_call_spans_in_its_trace()
    {
        fixture.Capture.Activities.Clear(); // only this test's spans (the collection's tests run one at a time)
        var key = Tag() + "traced";
        int slot = HashSlot.Of(Encoding.UTF8.GetBytes(key));
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("+OK\r\n", c.Call("SET", key, "v"));

        // Other test clusters in this process have gateways too: ours is told apart by its port.
        var span = WaitFor(a => a.Source.Name == OrleansLuaTelemetry.GatewaySourceName
            && Equals(a.GetTagItem("orleanslua.gateway.port"), fixture.Port) && Equals(a.GetTagItem("orleanslua.slot"), slot), single: true);
        Assert.Equal("SET", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("redis", span.GetTagItem("db.system.name"));
        Assert.Equal("SET", span.GetTagItem("db.operation.name"));
        Assert.Equal(default, span.ParentSpanId);

        var child = WaitFor(a => a.ParentSpanId == span.SpanId && a.DisplayName == "IShardGrain/Execute");
        Assert.StartsWith("Microsoft.Orleans", child.Source.Name);
        Assert.Equal(ActivityKind.Client, child.Kind);
        Assert.Equal(span.TraceId, child.TraceId);
        // the grain side of the call, propagated through the message
        var server = WaitFor(a => a.ParentSpanId == child.SpanId && a.Kind == ActivityKind.Server);
        Assert.Equal(span.TraceId, server.TraceId);
        Assert.StartsWith("Microsoft.Orleans", server.Source.Name);
    }

    [Fact]
    public void A_transaction_is_one_span_named_MULTI_with_its_batch_size()
    {
        fixture.Capture.Activities.Clear();
        var t = Tag();
        using var c = new RawRespClient(fixture.Port);
        Assert.Equal("+OK\r\n", c.Call("MULTI"));
        Assert.Equal("+QUEUED\r\n", c.Call("SET", t + "a", "1"));
        Assert.Equal("+QUEUED\r\n", c.Call("INCR", t + "a"));
        Assert.Equal("*2\r\n+OK\r\n:2\r\n", c.Call("EXEC"));

        int slot = HashSlot.Of(Encoding.UTF8.GetBytes(t + "a"));
        var span = WaitFor(a => a.Source.Name == OrleansLuaTelemetry.GatewaySourceName
            && Equals(a.GetTagItem("orleanslua.gateway.port"), fixture.Port) && Equals(a.GetTagItem("orleanslua.slot"), slot), single: true);
        Assert.Equal("MULTI", span.DisplayName);
        Assert.Equal(2, span.GetTagItem("db.operation.batch.size"));
    }

    /// <summary>
    /// Spans are exported as they end, which may be just after the reply went out. The gateway span must be
    /// the only match; Orleans may add spans of its own (a first activation's directory calls), so of theirs any one.
    /// </summary>
    private Activity WaitFor(Func<Activity, bool> match, bool single = false)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = fixture.Capture.Activities.ToArray().Where(match).ToList();
            if (found.Count > 0)
            {
                if (single) Assert.Single(found);
                return found[0];
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "no such span was exported");
            Thread.Sleep(20);
        }
    }
}
