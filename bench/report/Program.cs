// bench/report: turns a bench/loadtest.sh results directory into report.md with PNG charts.
//   dotnet bench/report/bin/Release/net10.0/OrleansLua.BenchReport.dll bench/results/<date>
// Reads <dir>/raw/*.json (generator results), raw/cpu/*.json, raw/redis-benchmark/*.csv, raw/scaleout/ and raw/run.json;
// writes <dir>/report.md, <dir>/*.png, <dir>/summary.csv and (with a scale-out run) <dir>/scaleout.csv.
using OrleansLua.BenchReport;

if (args.Length != 1 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: OrleansLua.BenchReport <results dir>   (e.g. bench/results/2025-01-31, as written by bench/loadtest.sh)");
    return 2;
}
try
{
    var set = ResultSet.Load(args[0]);
    if (set.Results.Count == 0 && set.ScaleOut is null)
    {
        Console.Error.WriteLine($"no generator results in {Path.Combine(args[0], "raw")}");
        return 1;
    }
    string path = new Report(set).Write();
    Console.WriteLine($"{path}: {set.Results.Count} runs, {set.Scenarios.Count} scenarios{(set.ScaleOut is null ? "" : ", scale-out")}");
    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine($"report: {e.Message}");
    return 1;
}
