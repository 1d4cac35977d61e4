using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using OrleansLua.Silo;
using OrleansLua.Tests.Cluster;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static OrleansLua.Tests.Kubernetes.Manifests;

namespace OrleansLua.Tests.Kubernetes;

/// <summary>
/// Boot proof without a cluster: three silo processes started from the silo Deployment that `kubectl kustomize k8s/`
/// renders — its container's args and env, the rendered ConfigMap and Secret — with only the substitutions
/// <see cref="LocalPod"/> lists. They must form one cluster in PostgreSQL, serve redis-cli through any of them,
/// answer the probes as the manifests expect, and on SIGTERM turn unready and leave with the data intact.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class PodBootTests(ITestOutputHelper output) : IDisposable
{
    private readonly List<(LocalPod Pod, PodProcess Process)> _pods = [];
    /// <summary>The rendered Secret's requirepass: the pods demand it.</summary>
    private string _password = "";

    private string Cli(int port, params string[] args) => RedisCli.ExecAuth(port, _password, args);
    private static readonly HttpClient Http = new();

    public void Dispose()
    {
        foreach (var (_, process) in _pods) process.Dispose();
    }

    [Fact]
    public async Task Three_pods_of_the_rendered_deployment_form_one_cluster_serve_redis_cli_and_drain_on_sigterm()
    {
        var clock = Stopwatch.StartNew();
        var m = Render(ManifestTests.Root);
        _password = ManifestTests.EnvValue(m, m.SiloContainerSpec, "ORLEANSLUA_REQUIREPASS");
        var container = m.SiloContainerSpec;
        using var postgres = PostgresServer.Start();
        var database = LocalPod.PrepareDatabase(m, postgres);

        foreach (int i in Enumerable.Range(0, 3))
        {
            var pod = LocalPod.From(m, i, postgres);
            _pods.Add((pod, new PodProcess(pod.Name, pod.FileName, pod.Args, pod.Environment, pod.WorkingDirectory)));
        }
        try
        {
            // Started: the startupProbe passes within its budget (capped for the test), and only once the pod serves
            // RESP — while liveness already answered before (so the startup probe is what holds liveness back).
            var startup = container["startupProbe"]!.AsObject();
            var budget = TimeSpan.FromSeconds(Math.Min(Int(startup["periodSeconds"]) * Int(startup["failureThreshold"]), 120));
            var startups = await Task.WhenAll(_pods.Select(p => WaitForStartupAsync(p, startup, container["livenessProbe"]!.AsObject(), budget)));
            var started = clock.Elapsed;
            Assert.Contains(startups, s => s.NotStartedWhileLive > 0);
            output.WriteLine($"startup probe answered 503 while liveness answered 200 {string.Join(", ", startups.Select(s => s.NotStartedWhileLive))} times (per pod)");
            await Task.WhenAll(_pods.Select(p => WaitForProbeAsync(p, container["readinessProbe"]!.AsObject(), TimeSpan.FromSeconds(60))));
            output.WriteLine($"PostgreSQL + 3 silos: started (startupProbe) after {started.TotalSeconds:0.0} s, ready after {clock.Elapsed.TotalSeconds:0.0} s");

            // Probes answer as the manifests expect: /health/ready "ready", /health/live "live".
            foreach (var (pod, process) in _pods)
            {
                Assert.Equal((200, "ready"), await ProbeAsync(pod, container["readinessProbe"]!.AsObject()));
                Assert.Equal((200, "live"), await ProbeAsync(pod, container["livenessProbe"]!.AsObject()));
            }

            // One cluster: three Active rows under the ConfigMap's cluster id, each advertising 127.0.0.1 (POD_IP)
            // with its pod's silo and gateway port.
            string clusterId = ManifestTests.EnvValue(m, container, "ORLEANS_CLUSTER_ID");
            var active = await WaitForMembershipAsync(database, clusterId, expectedActive: 3, TimeSpan.FromSeconds(30));
            Assert.Equal(
                _pods.Select(p => ("127.0.0.1", p.Pod.HostPort("silo"), p.Pod.HostPort("gateway"))).Order(),
                active.Select(r => (r.Address, r.Port, r.ProxyPort)).Order());

            // redis-cli through one pod, read through the others.
            var (p0, p1, p2) = (_pods[0], _pods[1], _pods[2]);
            int resp0 = p0.Pod.HostPort("resp"), resp1 = p1.Pod.HostPort("resp"), resp2 = p2.Pod.HostPort("resp");
            Assert.Equal("NOAUTH Authentication required.", RedisCli.Exec(resp0, "GET", "k8s:hello").Trim()); // the Secret's password is required
            Assert.Equal("OK", Cli(resp0, "SET", "k8s:hello", "world").Trim());
            Assert.Equal("world", Cli(resp1, "GET", "k8s:hello").Trim());
            Assert.Equal("appendfsync\neverysec", Cli(resp2, "CONFIG", "GET", "appendfsync").Trim()); // the ConfigMap's
            var values = Enumerable.Range(0, 200).ToDictionary(i => $"k8s:key:{i}", i => $"value-{i}-{Guid.NewGuid():N}");
            var (setOutput, setExit) = RedisCli.Run(resp0, [], string.Concat(values.Select(kv => $"SET {kv.Key} {kv.Value}\n")), _password);
            Assert.Equal(0, setExit);
            Assert.All(Lines(setOutput), line => Assert.Equal("OK", line));
            Assert.Equal(values.Count, Lines(setOutput).Length);
            AssertValues(resp2, values);

            // SIGTERM to pod 0 (what the kubelet sends after preStop): readiness turns non-200 at once, the silo
            // hands its slots over and exits within the grace period left after preStop.
            var grace = TimeSpan.FromSeconds(Int(PodSpec(m.Silo)["terminationGracePeriodSeconds"]) - ManifestTests.PreStopSleepSeconds(container));
            var readiness = container["readinessProbe"]!.AsObject();
            var stopping = Stopwatch.StartNew();
            p0.Process.SendSigTerm();
            var observed = new List<(TimeSpan Sent, int Status)>();
            int liveWhileDraining = 0;
            while (!p0.Process.HasExited && stopping.Elapsed < grace)
            {
                var sent = stopping.Elapsed;
                int status = (await ProbeAsync(p0.Pod, readiness)).Status;
                observed.Add((sent, status));
                // Liveness keeps answering while readiness says 503 (or the kubelet would restart a draining silo).
                var live = await ProbeAsync(p0.Pod, container["livenessProbe"]!.AsObject());
                if (status == 503 && live.Status == 200) liveWhileDraining++;
                await Task.Delay(20);
            }
            await p0.Process.WaitForExitAsync(grace - stopping.Elapsed > TimeSpan.Zero ? grace - stopping.Elapsed : TimeSpan.FromSeconds(1));
            var exited = stopping.Elapsed;
            observed.Add((exited, (await ProbeAsync(p0.Pod, readiness)).Status));
            output.WriteLine($"SIGTERM: exited after {exited.TotalMilliseconds:0} ms (code {p0.Process.ExitCode}, grace after preStop {grace.TotalSeconds:0} s); " +
                $"readiness seen: {string.Join(", ", observed.Take(8).Select(o => $"{o.Sent.TotalMilliseconds:0} ms → {(o.Status < 0 ? "refused" : o.Status)}"))}" +
                (observed.Count > 8 ? $" … ({observed.Count} probes)" : ""));
            Assert.Equal(0, p0.Process.ExitCode);
            Assert.True(liveWhileDraining > 0, "liveness was never seen answering while readiness said 503");
            Assert.DoesNotContain(observed, o => o.Status == 200 && o.Sent > TimeSpan.FromMilliseconds(500));
            Assert.NotEqual(200, observed[^1].Status);

            // The others stay ready and serve every key, including the slots pod 0 had (handed over by pod 0 as it left).
            foreach (var (pod, _) in _pods.Skip(1))
            {
                Assert.Equal(200, (await ProbeAsync(pod, readiness)).Status);
                Assert.Equal(200, (await ProbeAsync(pod, container["livenessProbe"]!.AsObject())).Status);
            }
            values["k8s:hello"] = "world";
            AssertValues(resp1, values);
            AssertValues(resp2, values);
            await WaitForMembershipAsync(database, clusterId, expectedActive: 2, TimeSpan.FromSeconds(15));
            Assert.Equal("OK", Cli(resp2, "SET", "k8s:after", "sigterm").Trim());
            Assert.Equal("sigterm", Cli(resp1, "GET", "k8s:after").Trim());
            output.WriteLine($"total {clock.Elapsed.TotalSeconds:0.0} s");
        }
        catch
        {
            foreach (var (pod, process) in _pods)
            {
                process.KeepLog = true;
                output.WriteLine($"{pod.Name} log: {process.LogFile}\n{process.LogTail(15)}");
            }
            throw;
        }
    }

    [Fact]
    public async Task A_gateway_pod_of_the_standalone_gateway_overlay_waits_for_a_silo_pod_then_serves_redis_cli()
    {
        var m = Render(ManifestTests.StandaloneGatewayOverlay);
        _password = ManifestTests.EnvValue(m, m.SiloContainerSpec, "ORLEANSLUA_REQUIREPASS");
        var gatewaySpec = ManifestTests.GatewayContainerSpec(m);
        using var postgres = PostgresServer.Start();
        LocalPod.PrepareDatabase(m, postgres);
        (LocalPod Pod, PodProcess Process) Start(LocalPod pod)
        {
            var started = (pod, new PodProcess(pod.Name, pod.FileName, pod.Args, pod.Environment, pod.WorkingDirectory));
            _pods.Add(started);
            return started;
        }
        try
        {
            // The gateway pod first (pods start in any order): its probes fail until a silo is up, and it does not exit.
            var gateway = Start(LocalPod.From(m, gatewaySpec, "orleanslua-gateway-test-0", postgres));
            var startup = gatewaySpec["startupProbe"]!.AsObject();
            await Task.Delay(3000);
            Assert.False(gateway.Process.HasExited, gateway.Process.LogTail());
            Assert.Equal(-1, (await ProbeAsync(gateway.Pod, startup)).Status);

            var clock = Stopwatch.StartNew();
            var silo = Start(LocalPod.From(m, 0, postgres));
            await WaitForProbeAsync(silo, m.SiloContainerSpec["readinessProbe"]!.AsObject(), TimeSpan.FromSeconds(90));
            await WaitForProbeAsync(gateway, startup, TimeSpan.FromSeconds(60));
            output.WriteLine($"silo pod ready, then the waiting gateway pod started, {clock.Elapsed.TotalSeconds:0.0} s after the silo pod was started");
            foreach (var probe in (string[])["readinessProbe", "livenessProbe"])
                Assert.Equal(200, (await ProbeAsync(gateway.Pod, gatewaySpec[probe]!.AsObject())).Status);

            int viaGateway = gateway.Pod.HostPort("resp"), viaSilo = silo.Pod.HostPort("resp");
            Assert.Equal("OK", Cli(viaGateway, "SET", "k8s:gateway", "front").Trim());
            Assert.Equal("front", Cli(viaSilo, "GET", "k8s:gateway").Trim());
            Assert.Equal("OK", Cli(viaSilo, "SET", "k8s:silo", "back").Trim());
            Assert.Equal("back", Cli(viaGateway, "GET", "k8s:silo").Trim());

            // SIGTERM: the gateway drains and exits within its grace period; its port (every probe's) closes.
            var grace = TimeSpan.FromSeconds(Int(PodSpec(m.Get("Deployment", ManifestTests.GatewayDeployment))["terminationGracePeriodSeconds"])
                - ManifestTests.PreStopSleepSeconds(gatewaySpec));
            gateway.Process.SendSigTerm();
            await gateway.Process.WaitForExitAsync(grace);
            Assert.Equal(0, gateway.Process.ExitCode);
            Assert.Equal(-1, (await ProbeAsync(gateway.Pod, gatewaySpec["readinessProbe"]!.AsObject())).Status);
        }
        catch
        {
            foreach (var (pod, process) in _pods)
            {
                process.KeepLog = true;
                output.WriteLine($"{pod.Name} log: {process.LogFile}\n{process.LogTail(15)}");
            }
            throw;
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private void AssertValues(int port, Dictionary<string, string> values)
    {
        var keys = values.Keys.ToList();
        var (outputText, exit) = RedisCli.Run(port, [], string.Concat(keys.Select(k => $"GET {k}\n")), _password);
        Assert.Equal(0, exit);
        var lines = outputText.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
        Assert.Equal(keys.Count, lines.Length);
        for (int i = 0; i < keys.Count; i++) Assert.Equal(values[keys[i]], lines[i]);
    }

    /// <summary>
    /// Polls the startup probe until it passes; then the pod must answer PING on its RESP port at once. Returns how
    /// often the startup probe said 503 while the liveness probe said 200.
    /// </summary>
    private async Task<(int NotStartedWhileLive, int Polls)> WaitForStartupAsync((LocalPod Pod, PodProcess Process) pod, JsonObject startup,
        JsonObject liveness, TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        int notStartedWhileLive = 0, polls = 0;
        (int Status, string Body) last = (-1, "");
        while (clock.Elapsed < budget)
        {
            if (pod.Process.HasExited) Assert.Fail($"{pod.Pod.Name} exited with code {pod.Process.ExitCode}:\n{pod.Process.LogTail()}");
            var live = await ProbeAsync(pod.Pod, liveness);
            last = await ProbeAsync(pod.Pod, startup);
            polls++;
            if (last.Status == 200)
            {
                Assert.Equal("PONG", Cli(pod.Pod.HostPort("resp"), "PING").Trim());
                return (notStartedWhileLive, polls);
            }
            if (live.Status == 200)
            {
                Assert.Equal(503, last.Status);
                notStartedWhileLive++;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"{pod.Pod.Name}: {Str(startup["httpGet"]!["path"])} still {last} after {budget.TotalSeconds:0} s:\n{pod.Process.LogTail()}");
        return default;
    }

    private async Task WaitForProbeAsync((LocalPod Pod, PodProcess Process) pod, JsonObject probe, TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        (int Status, string Body) last = (-1, "");
        while (clock.Elapsed < budget)
        {
            if (pod.Process.HasExited) Assert.Fail($"{pod.Pod.Name} exited with code {pod.Process.ExitCode}:\n{pod.Process.LogTail()}");
            last = await ProbeAsync(pod.Pod, probe);
            if (last.Status == 200) return;
            await Task.Delay(200);
        }
        Assert.Fail($"{pod.Pod.Name}: {Str(probe["httpGet"]!["path"])} still {last} after {budget.TotalSeconds:0} s:\n{pod.Process.LogTail()}");
    }

    /// <summary>
    /// An httpGet or tcpSocket probe as the kubelet runs it (its path, its port, its timeout); status -1 when nothing
    /// answers, 200 for a TCP connection that opens.
    /// </summary>
    private static async Task<(int Status, string Body)> ProbeAsync(LocalPod pod, JsonObject probe)
    {
        var timeout = TimeSpan.FromSeconds(probe["timeoutSeconds"] is null ? 1 : Int(probe["timeoutSeconds"]));
        if (probe["tcpSocket"] is JsonObject tcp)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", pod.HostPort(Str(tcp["port"]))).WaitAsync(timeout);
                return (200, "connected");
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or TimeoutException)
            {
                return (-1, ex.Message);
            }
        }
        var get = probe["httpGet"]!;
        var url = $"http://127.0.0.1:{pod.HostPort(Str(get["port"]))}{Str(get["path"])}";
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            using var response = await Http.GetAsync(url, cts.Token);
            return ((int)response.StatusCode, (await response.Content.ReadAsStringAsync(cts.Token)).Trim());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (-1, ex.Message);
        }
    }

    private async Task<List<(string Address, int Port, int ProxyPort)>> WaitForMembershipAsync(string connectionString, string clusterId, int expectedActive, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var rows = new List<(string, int, int)>();
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(
                    "SELECT Address, Port, coalesce(ProxyPort, 0) FROM OrleansMembershipTable WHERE DeploymentId = $1 AND Status = 3", connection);
                command.Parameters.AddWithValue(clusterId);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
            }
            if (rows.Count == expectedActive) return rows;
            if (clock.Elapsed > timeout)
                Assert.Fail($"{rows.Count} Active silos in cluster {clusterId}, expected {expectedActive}\n" +
                    string.Join("\n", _pods.Select(p => $"--- {p.Pod.Name}\n{p.Process.LogTail(10)}")));
            await Task.Delay(200);
        }
    }
}

/// <summary>
/// One pod of the rendered silo Deployment as a local process. What differs from the pod, and why:
/// <list type="number">
/// <item>Command: the image's ENTRYPOINT `dotnet OrleansLua.Silo.dll` (WORKDIR /app), or the container's command
/// (`dotnet OrleansLua.Client.dll` for the standalone gateway), runs the dll this test run built (silo/bin/… or
/// client/bin/…, in its directory): the image holds the publish output of the same projects, and there is no
/// container runtime here.</item>
/// <item>Ports: three pods share one host here (in Kubernetes each has its own IP), so every declared containerPort
/// (resp, silo, gateway, health) gets a free port on 127.0.0.1 of its own per pod, substituted where the args give
/// that number to a port switch (or an env var to a port setting). Probes are sent to the same mapped port.</item>
/// <item>Pod fields: metadata.name → orleanslua-test-N, metadata.namespace → default, status.podIP → 127.0.0.1
/// (what each silo advertises, and announces to cluster clients through `--announce-ip $(POD_IP)`; the pods differ
/// by port: a node announces the port it binds, the mapped resp port here, 6379 in Kubernetes).</item>
/// <item>`$(VAR)` in args: expanded from the container's variables (after the substitutions above), as the kubelet
/// does.</item>
/// <item>ConfigMap and Secret references: the values of the ConfigMap and Secret kustomize rendered.</item>
/// <item>ORLEANSLUA_POSTGRES: Host and Port point at a private PostgreSQL started for the test instead of the
/// orleanslua-postgres Service; user, password and database stay the Secret's (the test creates that role as a
/// superuser and that database, as the postgres image does for POSTGRES_USER/POSTGRES_DB; the private server
/// trusts local connections, so the password is sent but not checked).</item>
/// <item>Environment: only the container's variables, plus PATH/HOME/DOTNET_ROOT/TMPDIR of the test host to run
/// dotnet and DOTNET_RUNNING_IN_CONTAINER=true that the .NET image sets. Never KUBERNETES_SERVICE_HOST (the
/// kubelet sets it in every pod; with it the silo calls the Kubernetes API through UseKubernetesHosting).</item>
/// <item>Not reproduced: the pod's securityContext (UID 1654, read-only root filesystem with /tmp an emptyDir),
/// resource limits, preStop (the test sends SIGTERM directly) and the Service's load balancing.</item>
/// </list>
/// </summary>
public sealed class LocalPod
{
    public required string Name { get; init; }
    public required string FileName { get; init; }
    public required List<string> Args { get; init; }
    public required Dictionary<string, string> Environment { get; init; }
    public required string WorkingDirectory { get; init; }
    /// <summary>containerPort → port on 127.0.0.1.</summary>
    public required Dictionary<int, int> PortMap { get; init; }
    public required JsonObject Container { get; init; }

    /// <summary>A port by name ("resp") or containerPort number, as mapped for this pod.</summary>
    public int HostPort(string port) => PortMap[ResolvePort(Container, JsonValue.Create(port))
        ?? throw new InvalidOperationException($"port {port} is not declared by the container")];

    /// <summary>Creates the Secret's user (superuser, like the postgres image) and database; returns the test's connection string.</summary>
    public static string PrepareDatabase(Manifests m, PostgresServer postgres)
    {
        var secret = new NpgsqlConnectionStringBuilder(ManifestTests.EnvValue(m, m.SiloContainerSpec, "ORLEANSLUA_POSTGRES"));
        string user = secret.Username!, database = secret.Database!;
        static string Ident(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
        if (user != "postgres")
            postgres.Psql("postgres", $"CREATE ROLE {Ident(user)} LOGIN SUPERUSER PASSWORD '{(secret.Password ?? "").Replace("'", "''")}'");
        postgres.Psql("postgres", database == PostgresServer.DatabaseName
            ? $"ALTER DATABASE {Ident(database)} OWNER TO {Ident(user)}"
            : $"CREATE DATABASE {Ident(database)} OWNER {Ident(user)}");
        return WithPrivateServer(secret.ConnectionString, postgres);
    }

    public static string WithPrivateServer(string connectionString, PostgresServer postgres) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = postgres.Port }.ConnectionString;

    /// <summary>Pod N of the silo Deployment.</summary>
    public static LocalPod From(Manifests m, int index, PostgresServer postgres) => From(m, m.SiloContainerSpec, $"orleanslua-test-{index}", postgres);

    /// <summary>A pod running this container of a rendered workload.</summary>
    public static LocalPod From(Manifests m, JsonObject container, string name, PostgresServer postgres)
    {
        // The container's command, else the image's ENTRYPOINT: `dotnet X.dll` in /app, the publish output of the project building X.dll.
        var command = container["command"] is JsonArray given ? given.Select(Str).ToList() : [.. Dockerfile.Load().Entrypoint];
        Assert.Equal("dotnet", command[0]);
        var dll = new[] { SiloProcess.SiloDll, SiloProcess.GatewayDll }.SingleOrDefault(d => Path.GetFileName(d) == command[1])
            ?? throw new InvalidOperationException($"{Str(container["name"])} runs {command[1]}, which no project of this repository builds");

        var portMap = Ports(container).Values.ToDictionary(p => p, _ => TestPorts.Free());
        // Which configuration keys are ports (for env overrides such as Gateway__Port).
        var portKeys = ManifestTests.PortSwitches.Keys.Select(f => SiloConfiguration.SwitchMappings[f]).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var environment = new Dictionary<string, string> { ["DOTNET_RUNNING_IN_CONTAINER"] = "true" };
        var declared = new Dictionary<string, string>();
        foreach (var env in Env(container))
        {
            string variable = Str(env["name"]);
            string value = env["valueFrom"] switch
            {
                null => Str(env["value"]),
                var from when from["fieldRef"] is { } field => Str(field["fieldPath"]) switch
                {
                    "metadata.name" => name,
                    "metadata.namespace" => "default",
                    "status.podIP" => "127.0.0.1",
                    var other => throw new InvalidOperationException($"no local value for fieldRef {other}"),
                },
                _ => ManifestTests.EnvValue(m, container, variable),
            };
            if (variable == "ORLEANSLUA_POSTGRES") value = WithPrivateServer(value, postgres);
            if (portKeys.Contains(variable.Replace("__", ":")) && int.TryParse(value, out int port)) value = portMap[port].ToString();
            environment[variable] = declared[variable] = value;
        }
        Assert.DoesNotContain("KUBERNETES_SERVICE_HOST", environment.Keys);

        // $(POD_IP) and the like, from the container's own variables, as the kubelet expands them; then the ports.
        var args = Args(container).Select(a => ExpandVariables(a, declared)).ToList();
        for (int i = 0; i + 1 < args.Count; i++)
            if (ManifestTests.PortSwitches.ContainsKey(args[i]))
                args[i + 1] = portMap[int.Parse(args[i + 1])].ToString();

        return new LocalPod
        {
            Name = name,
            FileName = "dotnet",
            Args = [dll, .. command.Skip(2), .. args],
            Environment = environment,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            PortMap = portMap,
            Container = container,
        };
    }
}
