using Xunit.Abstractions;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>
/// Numbers a test measures (failover times, batch sizes) for the CI log. `dotnet test --logger
/// "console;verbosity=normal"` (tests/run.sh) shows ITestOutputHelper text only for failed tests, but it
/// forwards what the test process writes to its own stdout/stderr for every test: so each number goes to
/// both, stderr prefixed "[measured]" so it can be grepped from the log.
/// </summary>
public static class Measurements
{
    public static void Report(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        Console.Error.WriteLine("[measured] " + line);
    }
}
