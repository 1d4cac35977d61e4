using System.Diagnostics;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.NodeClients;

/// <summary>
/// A real BullMQ queue and worker (Node.js, ioredis 6 speaking RESP3) through the gateway: jobs
/// complete exactly once, with retries, delays and priorities. tests/run.sh installs the npm
/// packages (tests/node-clients/package-lock.json).
/// </summary>
[Collection(ClusterCollection.Name)]
public class BullMqTests(ClusterFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Bullmq_queue_and_worker_run_every_job_exactly_once()
    {
        var dir = Path.Combine(RepositoryRoot(), "tests", "node-clients");
        Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "bullmq")), "run `npm ci` in tests/node-clients (tests/run.sh does)");
        var psi = new ProcessStartInfo("node", ["bullmq-check.mjs", fixture.Ports[1].ToString()])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);
        Assert.Contains("\"ok\": true", await stdout);
        Assert.Equal(0, process.ExitCode);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OrleansLua.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("OrleansLua.sln not found above the test binaries");
    }
}
