using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using static OrleansLua.Tests.Infrastructure.TestValues;

namespace OrleansLua.Tests.Telemetry;

/// <summary>A real silo process with --otlp-endpoint (http/protobuf) posting metrics and traces to a fake collector.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task The_silo_exports_metrics_and_gateway_traces_to_the_configured_collector()
    {
        using var collector = new FakeCollector(TestPorts.Free());
        using var silo = await SiloProcess.StartAsync("otlp", ["--storage", "memory",
            "--otlp-endpoint", $"http://127.0.0.1:{collector.Port.ToString(CultureInfo.InvariantCulture)}", "--otlp-protocol", "http/protobuf",
            "--trace-sample-ratio", "1",
            // read by the OpenTelemetry SDK from configuration: export metrics every second instead of every minute
            "--OTEL_METRIC_EXPORT_INTERVAL", "1000"]);
        try
        {
            using (var c = new RawRespClient(silo.RespPort))
                Assert.Equal("+OK\r\n", c.Call("SET", Tag(), "v"));

            // protobuf keeps strings as UTF-8: the instrument and span source names show in the request bodies
            var metrics = await collector.WaitForAsync("/v1/metrics", OrleansLuaTelemetry.Names.Commands);
            Assert.Equal("application/x-protobuf", metrics.ContentType);
            var traces = await collector.WaitForAsync("/v1/traces", OrleansLuaTelemetry.GatewaySourceName);
            Assert.Equal("application/x-protobuf", traces.ContentType);
            // Orleans' own spans of the grain call (propagation on), in the same export or another batch
            await collector.WaitForAsync("/v1/traces", "IShardGrain/Execute");
        }
        catch
        {
            silo.KeepLog = true;
            throw;
        }
    }

    /// <summary>Accepts OTLP/HTTP posts and keeps them (answers 200 with an empty body, which exporters take as success).</summary>
    private sealed class FakeCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<(string Path, string ContentType, string Body)> _posts = [];
        private readonly Task _serving;

        public FakeCollector(int port)
        {
            Port = port;
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public int Port { get; }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (_posts)
                    _posts.Add((context.Request.Url!.AbsolutePath, context.Request.ContentType ?? "", Encoding.Latin1.GetString(body.ToArray())));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public async Task<(string ContentType, string Body)> WaitForAsync(string path, string contains)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                lock (_posts)
                    foreach (var post in _posts)
                        if (post.Path == path && post.Body.Contains(contains, StringComparison.Ordinal)) return (post.ContentType, post.Body);
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                    lock (_posts)
                        Assert.Fail($"no {path} post containing {contains}; got: {string.Join(", ", _posts.Select(p => p.Path))}");
                await Task.Delay(100);
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
