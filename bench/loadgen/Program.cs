using System.Runtime.InteropServices;
using OrleansLua.LoadGen;
using OrleansLua.LoadGen.Resp;
using OrleansLua.LoadGen.Workloads;

// Exit codes are part of the CLI contract (see Options.Usage).
const int ExitOk = 0, ExitUsage = 2, ExitInvariant = 3, ExitNoOperation = 4;

Options options;
try
{
    options = Options.Parse(args);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(Options.Usage);
    return ExitUsage;
}
if (options.Help)
{
    Console.WriteLine(Options.Usage);
    return ExitOk;
}

var workload = Workload.Create(options.Workload, options.Keys);
var connections = new List<RespConnection>();
try
{
    // Setup on one connection per port, then the load connections, round-robin: connection i talks to ports[i % ports].
    await using (var admin = await PerPort.ConnectAsync(options))
        await workload.SetupAsync(admin.Connections);
    foreach (var port in Enumerable.Range(0, options.Connections).Select(i => options.Ports[i % options.Ports.Count]))
        connections.Add(await RespConnection.ConnectAsync(options.Host, port, CancellationToken.None));
}
catch (Exception e) when (e is IOException or InvalidDataException or SetupException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    foreach (var connection in connections) await connection.DisposeAsync();
    return ExitNoOperation;
}

var startedUtc = DateTime.UtcNow;
Console.Error.WriteLine($"{options.Label}: {options.Workload}, {options.Connections} connections over port(s) " +
    $"{string.Join(",", options.Ports)}, pipeline {options.Pipeline}, " +
    (options.OpenLoop ? $"open loop at {options.Rate} req/s" : "closed loop") +
    $", warm-up {options.WarmupSeconds} s, measuring {options.DurationSeconds} s");
RunOutcome outcome;
try
{
    outcome = await new Runner(options, workload).RunAsync(connections);
}
finally
{
    foreach (var connection in connections) await connection.DisposeAsync();
}

// Fresh connections for the check: the setup ones may have been idle longer than a server timeout.
Invariant? invariant;
try
{
    await using var check = await PerPort.ConnectAsync(options);
    invariant = await workload.CheckAsync(check.Connections);
}
catch (Exception e) when (e is IOException or InvalidDataException)
{
    invariant = new Invariant(false, $"could not check the invariant: {e.Message}");
}

var total = outcome.Latencies;
var result = new Result(
    options.Label,
    options.Workload,
    options.Ports,
    options.Connections,
    options.Pipeline,
    options.OpenLoop ? "open" : "closed",
    options.Rate,
    Math.Round(outcome.DurationSeconds, 3),
    total.TotalCount,
    outcome.Errors,
    Math.Round(total.TotalCount / outcome.DurationSeconds, 1),
    Histograms.Summarize(total),
    Histograms.Distribution(total),
    invariant,
    startedUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"),
    new Machine(Environment.ProcessorCount, RuntimeInformation.OSDescription));

if (options.Out is not null)
{
    string? directory = Path.GetDirectoryName(Path.GetFullPath(options.Out));
    if (directory is not null) Directory.CreateDirectory(directory);
    await File.WriteAllTextAsync(options.Out, result.ToJson() + "\n");
}
Console.WriteLine(result.Summary());

if (invariant is { Ok: false })
{
    Console.Error.WriteLine($"invariant violated: {invariant.Detail}");
    return ExitInvariant;
}
return total.TotalCount == 0 ? ExitNoOperation : ExitOk;
