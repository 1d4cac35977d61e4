using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;
using OrleansLua.GrainInterfaces.Diagnostics;

namespace OrleansLua.Client.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The name of OpenTelemetry's metrics listener, for <see cref="MetricsBuilderExtensions.EnableMetrics(IMetricsBuilder, string?, string?, string?, MeterScope)"/>.</summary>
    private const string OpenTelemetryListener = "OpenTelemetry";

    /// <summary>
    /// OpenTelemetry (via OpenTelemetry.Extensions.Hosting) for OrleansLua's meter, Orleans' meter and the .NET
    /// runtime, exported over OTLP and/or a Prometheus scrape endpoint; traces of gateway→grain calls with
    /// Orleans' spans as children, over OTLP. <paramref name="metrics"/>/<paramref name="tracing"/> add
    /// exporters (tests use in-memory ones). Returns whether traces are on: then the caller must add Orleans'
    /// activity propagation to its silo or client builder. Nothing is registered when nothing would export.
    /// </summary>
    public static bool AddOrleansLuaTelemetry(this IServiceCollection services, TelemetryOptions options, string serviceName,
        Action<MeterProviderBuilder>? metrics = null, Action<TracerProviderBuilder>? tracing = null)
    {
        bool metricsOn = options.OtlpEndpoint is not null || options.MetricsPort > 0 || metrics is not null;
        bool tracesOn = (options.OtlpEndpoint is not null || tracing is not null) && options.TraceSampleRatio > 0;
        if (!metricsOn && !tracesOn) return false;

        var otel = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(serviceName,
            serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"));
        if (metricsOn)
        {
            // Our meter and Orleans' are made by this service provider's IMeterFactory: subscribe to those of this
            // provider only (MeterScope.Local), so two silos in one process (tests) each report their own. AddMeter
            // would subscribe by name, process-wide.
            services.AddMetrics(m => m
                .EnableMetrics(OrleansLuaTelemetry.MeterName, null, OpenTelemetryListener, MeterScope.Local)
                .EnableMetrics("Microsoft.Orleans", null, OpenTelemetryListener, MeterScope.Local));
            otel.WithMetrics(m =>
            {
                m.AddRuntimeInstrumentation();
                if (options.OtlpEndpoint is { } endpoint) m.AddOtlpExporter(o => Point(o, options.OtlpProtocol, endpoint, "v1/metrics"));
                if (options.MetricsPort > 0) m.AddPrometheusHttpListener(o => Scrape(o, options.MetricsPort));
                metrics?.Invoke(m);
            });
        }
        if (tracesOn)
        {
            otel.WithTracing(t =>
            {
                t.SetSampler(new ParentBasedSampler(new GatewayRootSampler(options.TraceSampleRatio)));
                t.AddSource(OrleansLuaTelemetry.GatewaySourceName, ActivitySources.RuntimeActivitySourceName,
                    ActivitySources.ApplicationGrainActivitySourceName);
                if (options.OtlpEndpoint is { } endpoint) t.AddOtlpExporter(o => Point(o, options.OtlpProtocol, endpoint, "v1/traces"));
                tracing?.Invoke(t);
            });
        }
        return tracesOn;
    }

    /// <summary>An endpoint set in code is used as is: over HTTP it needs the signal's path.</summary>
    private static void Point(OtlpExporterOptions o, OtlpExportProtocol protocol, Uri endpoint, string signalPath)
    {
        o.Protocol = protocol;
        o.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
            : endpoint;
    }

    /// <summary>Bound on every interface, like the health endpoints (Prometheus scrapes from elsewhere).</summary>
    private static void Scrape(PrometheusHttpListenerOptions o, int port)
    {
        o.Port = port;
        o.ScrapeEndpointPath = "/metrics";
        o.ConfigureHttpListener = static (options, listener) =>
        {
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://+:{options.Port}/metrics/");
        };
    }
}

/// <summary>
/// Starts traces only at gateway→grain calls, at the configured ratio; Orleans' background calls (membership,
/// directory, timers) start none. Children follow their parent (wrapped in <see cref="ParentBasedSampler"/>).
/// </summary>
internal sealed class GatewayRootSampler(double ratio) : Sampler
{
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    private readonly TraceIdRatioBasedSampler _ratio = new(ratio);

    public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
        parameters.Name == OrleansLuaTelemetry.GatewaySpanName ? _ratio.ShouldSample(parameters) : Drop;
}
