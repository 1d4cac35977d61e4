using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace OrleansLua.Client.Telemetry;

/// <summary>
/// Where telemetry goes (section <c>OrleansLua:Telemetry</c>; switches --otlp-endpoint, --otlp-protocol,
/// --metrics-port, --trace-sample-ratio). With neither an OTLP endpoint nor a metrics port, OpenTelemetry is
/// not set up at all and costs nothing.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "OrleansLua:Telemetry";
    public const double DefaultTraceSampleRatio = 0.01;

    /// <summary>OTLP collector for metrics and traces (e.g. http://collector:4317); null: no OTLP export.</summary>
    public Uri? OtlpEndpoint { get; set; }
    /// <summary>grpc (default, port 4317) or http/protobuf (port 4318; the signal paths /v1/metrics and /v1/traces are appended).</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;
    /// <summary>Prometheus scrape endpoint http://*:port/metrics; 0: none.</summary>
    public int MetricsPort { get; set; }
    /// <summary>Share of gateway→grain calls that start a trace (0 turns tracing off, 1 traces every call).</summary>
    public double TraceSampleRatio { get; set; } = DefaultTraceSampleRatio;

    /// <summary>Command-line switches (shared by the silo and the standalone gateway).</summary>
    public static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--otlp-endpoint"] = Section + ":OtlpEndpoint",
        ["--otlp-protocol"] = Section + ":OtlpProtocol",
        ["--metrics-port"] = Section + ":MetricsPort",
        ["--trace-sample-ratio"] = Section + ":TraceSampleRatio",
    };

    public static TelemetryOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var options = new TelemetryOptions();
        if (section["OtlpEndpoint"] is { Length: > 0 } endpoint)
            options.OtlpEndpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new ArgumentException($"--otlp-endpoint must be an http:// or https:// URL, not '{endpoint}'");
        options.OtlpProtocol = section["OtlpProtocol"]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" or "http" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new ArgumentException($"--otlp-protocol must be grpc or http/protobuf, not '{other}'"),
        };
        if (section["MetricsPort"] is { Length: > 0 } port)
            options.MetricsPort = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is >= 0 and <= 65535
                ? p
                : throw new ArgumentException($"--metrics-port must be a port number, not '{port}'");
        if (section["TraceSampleRatio"] is { Length: > 0 } ratio)
            options.TraceSampleRatio = double.TryParse(ratio, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) && r is >= 0 and <= 1
                ? r
                : throw new ArgumentException($"--trace-sample-ratio must be a number from 0 to 1, not '{ratio}'");
        return options;
    }
}
