using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using static OrleansLua.Tests.Infrastructure.TestValues;

namespace OrleansLua.Tests.Telemetry;

/// <summary>A real silo process started with --metrics-port, scraped over HTTP as Prometheus would.</summary>
public sealed partial class PrometheusScrapeTests
{
    [Fact]
    public async Task The_silo_serves_prometheus_metrics_that_count_exactly_the_commands_sent()
    {
        int metricsPort = TestPorts.Free();
        using var silo = await SiloProcess.StartAsync("metrics", ["--storage", "memory", "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture)]);
        try
        {
            var t = Tag();
            using (var c = new RawRespClient(silo.RespPort))
            {
                for (int i = 0; i < 5; i++) Assert.Equal("+OK\r\n", c.Call("SET", $"{t}{i}", "v"));
                Assert.Equal(":1\r\n", c.Call("EVAL", "return 1", "1", t + "a"));
            }

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TimeSpan.FromSeconds(10) };
            // the exporter may answer from its response cache (300 ms) for a moment
            var clock = Stopwatch.StartNew();
            string text;
            long? sets;
            do
            {
                text = await http.GetStringAsync("/metrics");
                sets = CounterValue(text, "orleanslua_commands_total", "command", "set");
                if (sets == 5) break;
                await Task.Delay(100);
            } while (clock.Elapsed < TimeSpan.FromSeconds(10));

            Assert.True(sets == 5, $"orleanslua_commands_total{{command=\"set\"}} is {sets?.ToString(CultureInfo.InvariantCulture) ?? "absent"}:\n{text}");
            Assert.Contains("# TYPE orleanslua_commands_total counter", text);
            Assert.Equal(1, CounterValue(text, "orleanslua_commands_total", "command", "eval"));
            Assert.Contains("# TYPE orleanslua_script_duration_milliseconds histogram", text);
            Assert.Equal(1, CounterValue(text, "orleanslua_script_duration_milliseconds_count", "outcome", "ok"));
            Assert.Matches(OrleansMetric(), text); // Orleans' own meter
            Assert.Matches(RuntimeMetric(), text); // .NET runtime instrumentation
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/other")).StatusCode);
        }
        catch
        {
            silo.KeepLog = true;
            throw;
        }
    }

    /// <summary>The value of a sample carrying label="value" (the exporter adds scope labels too).</summary>
    private static long? CounterValue(string text, string metric, string label, string value)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(metric + "{", StringComparison.Ordinal) || !line.Contains($"{label}=\"{value}\"", StringComparison.Ordinal)) continue;
            var fields = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ');
            return long.Parse(fields[0], CultureInfo.InvariantCulture);
        }
        return null;
    }

    [GeneratedRegex(@"(?m)^orleans_\w+\{")]
    private static partial Regex OrleansMetric();

    [GeneratedRegex(@"(?m)^dotnet_\w+\{")]
    private static partial Regex RuntimeMetric();
}
