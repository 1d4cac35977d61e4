using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;
using OrleansLua.Client.Telemetry;
using OrleansLua.Silo;
using OrleansLua.Client.Hosting;
using Xunit;

namespace OrleansLua.Tests.Telemetry;

/// <summary>The telemetry switches, environment variables and their defaults, as the silo reads them.</summary>
public sealed class TelemetryOptionsTests
{
    private static TelemetryOptions Parse(string[] args, Dictionary<string, string?>? environment = null) =>
        TelemetryOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(environment ?? [])
            .AddCommandLine(args, SiloConfiguration.SwitchMappings)
            .Build());

    [Fact]
    public void Switches_set_the_endpoint_protocol_scrape_port_and_sample_ratio()
    {
        var options = Parse(["--otlp-endpoint", "http://collector:4318", "--otlp-protocol", "http/protobuf", "--metrics-port", "9464",
            "--trace-sample-ratio", "0.25"]);
        Assert.Equal(new Uri("http://collector:4318"), options.OtlpEndpoint);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, options.OtlpProtocol);
        Assert.Equal(9464, options.MetricsPort);
        Assert.Equal(0.25, options.TraceSampleRatio);
    }

    [Fact]
    public void Defaults_export_nothing_and_sample_one_call_in_a_hundred()
    {
        var options = Parse([]);
        Assert.Null(options.OtlpEndpoint);
        Assert.Equal(OtlpExportProtocol.Grpc, options.OtlpProtocol);
        Assert.Equal(0, options.MetricsPort);
        Assert.Equal(0.01, options.TraceSampleRatio);
    }

    [Fact]
    public void Environment_variables_map_onto_the_same_settings()
    {
        foreach (var variable in (string[])["ORLEANSLUA_OTLP_ENDPOINT", "ORLEANSLUA_OTLP_PROTOCOL", "ORLEANSLUA_METRICS_PORT", "ORLEANSLUA_TRACE_SAMPLE_RATIO"])
            Assert.True(EnvironmentSettings.Variables.ContainsKey(variable), variable);
        var environment = new Dictionary<string, string?> { [EnvironmentSettings.Variables["ORLEANSLUA_OTLP_ENDPOINT"]] = "http://collector:4317" };
        Assert.Equal(new Uri("http://collector:4317"), Parse([], environment).OtlpEndpoint);
        // the command line wins, as for every other setting
        Assert.Equal(new Uri("http://other:4317"), Parse(["--otlp-endpoint", "http://other:4317"], environment).OtlpEndpoint);
    }

    [Theory]
    [InlineData("--otlp-endpoint", "collector:4317")]
    [InlineData("--otlp-protocol", "thrift")]
    [InlineData("--metrics-port", "70000")]
    [InlineData("--metrics-port", "nine")]
    [InlineData("--trace-sample-ratio", "1.5")]
    [InlineData("--trace-sample-ratio", "-0.1")]
    public void Bad_values_are_refused_with_the_switch_named(string name, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse([name, value]));
        Assert.StartsWith(name + " ", error.Message);
    }

    [Fact]
    public void With_nothing_to_export_OpenTelemetry_is_not_registered()
    {
        var services = new ServiceCollection();
        Assert.False(services.AddOrleansLuaTelemetry(new TelemetryOptions(), "test"));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IHostedService));
    }

    [Fact]
    public void Ratio_zero_turns_traces_off_but_keeps_metrics()
    {
        var services = new ServiceCollection();
        Assert.False(services.AddOrleansLuaTelemetry(new TelemetryOptions { MetricsPort = 9464, TraceSampleRatio = 0 }, "test"));
        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService));
        Assert.True(new ServiceCollection().AddOrleansLuaTelemetry(new TelemetryOptions { OtlpEndpoint = new Uri("http://collector:4317") }, "test"));
    }
}
