using OrleansLua.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.NodeClients;

/// <summary>
/// A real BullMQ queue and worker (Node.js, ioredis 6 speaking RESP3) through the gateway: jobs
/// complete exactly once, with retries, delays and priorities.
/// </summary>
[Collection(ClusterCollection.Name)]
public class BullMqTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Bullmq_queue_and_worker_run_every_job_exactly_once()
    {
        var (json, exit) = Infrastructure.NodeClients.Run(output, "bullmq-check.mjs", fixture.Ports[1].ToString());
        Assert.Contains("\"ok\": true", json);
        Assert.Equal(0, exit);
    }
}
