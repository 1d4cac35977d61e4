using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>
/// Runs a script of tests/node-clients (real Node.js clients: BullMQ, ioredis, node-redis) and returns what it
/// printed. tests/run.sh installs the npm packages (tests/node-clients/package-lock.json).
/// </summary>
public static class NodeClients
{
    public static string Directory { get; } = Path.Combine(SiloProcess.RepoRoot, "tests", "node-clients");

    public static (string Stdout, int ExitCode) Run(ITestOutputHelper output, string script, params string[] args) =>
        RunAsync(output, TimeSpan.FromSeconds(120), script, args).GetAwaiter().GetResult();

    public static async Task<(string Stdout, int ExitCode)> RunAsync(ITestOutputHelper output, TimeSpan timeout, string script, params string[] args)
    {
        Assert.True(System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "redis")), "run `npm install` in tests/node-clients (tests/run.sh does)");
        var psi = new ProcessStartInfo("node", [script, .. args])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var printed = await stdout;
        output.WriteLine(printed.Length > 4000 ? printed[..4000] + "…" : printed);
        var errors = await stderr;
        if (errors.Length > 0) output.WriteLine(errors.Length > 2000 ? errors[..2000] + "…" : errors);
        return (printed, process.ExitCode);
    }
}
