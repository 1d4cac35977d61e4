using System.Runtime.InteropServices;
using OrleansLua.LoadGen;
using OrleansLua.LoadGen.Cluster;
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
var clusterLinks = new List<List<(ClusterNode Node, RespConnection Socket)>>();
ClusterMap? map = null;
IReadOnlyList<string> nodesAtStart = [];
try
{
    // Cluster mode: the map from a seed first; setup then goes to each slot's node.
    if (options.Cluster) map = await ClusterMap.LoadAsync(options.Host, options.Ports);
    await using (var setup = await Keyspaces.ConnectAsync(options, map))
        await workload.SetupAsync(setup.All);
    if (map is null)
    {
        // Connection i talks to ports[i % ports].
        foreach (var port in Enumerable.Range(0, options.Connections).Select(i => options.Ports[i % options.Ports.Count]))
            connections.Add(await RespConnection.ConnectAsync(options.Host, port, CancellationToken.None));
    }
    else
    {
        // Every logical connection has a socket to every node that serves slots.
        var serving = map.Serving;
        nodesAtStart = serving.Select(n => n.Endpoint).ToList();
        for (int i = 0; i < options.Connections; i++)
        {
            var links = new List<(ClusterNode, RespConnection)>();
            clusterLinks.Add(links);
            foreach (var node in serving)
                links.Add((node, await RespConnection.ConnectAsync(node.Host, node.Port, CancellationToken.None)));
        }
    }
}
catch (Exception e) when (e is IOException or InvalidDataException or SetupException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    foreach (var connection in connections.Concat(clusterLinks.SelectMany(l => l.Select(x => x.Socket)))) await connection.DisposeAsync();
    return ExitNoOperation;
}

var startedUtc = DateTime.UtcNow;
Console.Error.WriteLine($"{options.Label}: {options.Workload}, {options.Connections} connections " +
    (map is null ? $"over port(s) {string.Join(",", options.Ports)}" : $"each with a socket to every node ({string.Join(",", nodesAtStart)})") +
    $", pipeline {options.Pipeline}, " +
    (options.OpenLoop ? $"open loop at {options.Rate} req/s" : "closed loop") +
    $", warm-up {options.WarmupSeconds} s, measuring {options.DurationSeconds} s");
RunOutcome outcome;
try
{
    var runner = new Runner(options, workload);
    outcome = map is null
        ? await runner.RunAsync(connections)
        : await runner.RunClusterAsync(map, clusterLinks.Select(l => (IReadOnlyList<(ClusterNode, RespConnection)>)l).ToList());
}
finally
{
    foreach (var connection in connections.Concat(clusterLinks.SelectMany(l => l.Select(x => x.Socket)))) await connection.DisposeAsync();
}

// Fresh connections for the check: the setup ones may have been idle longer than a server timeout.
Invariant? invariant;
try
{
    await using var check = await Keyspaces.ConnectAsync(options, map);
    invariant = await workload.CheckAsync(check.All);
}
catch (Exception e) when (e is IOException or InvalidDataException or SetupException)
{
    invariant = new Invariant(false, $"could not check the invariant: {e.Message}");
}

var total = outcome.Latencies;
var result = new Result(
    options.Label,
    options.Workload,
    map is null ? options.Ports : nodesAtStart.Select(e => int.Parse(e[(e.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList(),
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
    new Machine(Environment.ProcessorCount, RuntimeInformation.OSDescription),
    outcome.Nodes.Select((endpoint, i) => new NodeOperations(endpoint, outcome.NodeOperations[i])).ToList(),
    outcome.Timeline,
    map is null ? null : new ClusterSummary(options.Ports, options.RefreshSeconds, outcome.MeasuredRedirects, map.Refreshes, map.Changes,
        map.FailedRefreshes, nodesAtStart, map.Serving.Select(n => n.Endpoint).ToList()));

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
