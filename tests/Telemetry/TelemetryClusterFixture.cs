using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.TestingHost;
using OrleansLua.Client.Gateway;
using OrleansLua.Client.Telemetry;
using OrleansLua.Grains.Persistence;
using OrleansLua.Silo;
using Xunit;

namespace OrleansLua.Tests.Telemetry;

/// <summary>
/// A one-silo in-process cluster (so every command of a test is counted in this silo) on the embedded
/// SQLite store with appendfsync always (memory storage commits nothing), with OpenTelemetry registered
/// as the silo does it plus in-memory exporters, and every gateway call traced (ratio 1).
/// </summary>
public sealed class TelemetryClusterFixture : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "orleanslua-telemetry-" + Guid.NewGuid().ToString("N"));
    private TestCluster _cluster = null!;
    private IServiceProvider _services = null!;
    private readonly Lock _collecting = new();

    public int Port { get; private set; }
    public TelemetryCapture Capture { get; private set; } = null!;
    public SlotWriter Storage => _services.GetRequiredService<SlotWriter>();

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrleansLua:Storage"] = "local",
            ["OrleansLua:DataDir"] = _dataDir,
            ["OrleansLua:AppendFsync"] = "always",
        }));
        builder.AddSiloBuilderConfigurator<Configurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        _services = ((InProcessSiloHandle)_cluster.Primary!).SiloHost.Services;
        Port = _services.GetRequiredService<RespServer>().Port;
        Capture = _services.GetRequiredService<TelemetryCapture>();
    }

    /// <summary>Collects every instrument now (observable callbacks run) and returns what was exported.</summary>
    public MetricReading Collect()
    {
        lock (_collecting)
        {
            Capture.Metrics.Clear();
            Assert.True(_services.GetRequiredService<MeterProvider>().ForceFlush(10_000), "metrics flush timed out");
            return new MetricReading(Capture.Metrics.ToArray());
        }
    }

    /// <summary>Collects until <paramref name="done"/> holds (for values that follow a connection closing, a script starting…).</summary>
    public MetricReading CollectUntil(Func<MetricReading, bool> done, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var reading = Collect();
            if (done(reading) || clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(10))) return reading;
            Thread.Sleep(20);
        }
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var capture = new TelemetryCapture();
            silo.Services.AddSingleton(capture);
            silo.AddOrleansLua(silo.Configuration, o => o.Port = 0);
            silo.AddOrleansLuaTelemetry(new TelemetryOptions { TraceSampleRatio = 1 },
                m => m.AddInMemoryExporter(capture.Metrics),
                t => t.AddInMemoryExporter(capture.Activities));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryClusterFixture>
{
    public const string Name = "telemetry";
}
