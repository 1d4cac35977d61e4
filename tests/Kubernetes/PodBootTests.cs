using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Npgsql;
using OrleansLua.GrainInterfaces;
using OrleansLua.Silo;
using OrleansLua.Tests.Cluster;
using OrleansLua.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;
using static OrleansLua.Tests.Kubernetes.Manifests;

namespace OrleansLua.Tests.Kubernetes;

/// <summary>
/// Boot proof without a cluster: three silo processes started from the silo Deployment that `kubectl kustomize k8s/`
/// renders — its container's args and env, the rendered ConfigMap and Secret — with only the substitutions
/// <see cref="LocalPod"/> lists. They must form one cluster in PostgreSQL, serve redis-cli through any of them,
/// answer the probes as the manifests expect, and on SIGTERM turn unready and leave with the data intact. Scaled from
/// two pods to three and back, slots follow: the new pod takes its share, the removed one hands its slots over.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed partial class PodBootTests(ITestOutputHelper output) : IDisposable
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

    [Fact]
    public async Task Kubectl_scale_up_gives_the_new_pod_its_share_of_slots_and_scale_down_hands_them_back_with_every_key()
    {
        var m = Render(ManifestTests.Root);
        _password = ManifestTests.EnvValue(m, m.SiloContainerSpec, "ORLEANSLUA_REQUIREPASS");
        var container = m.SiloContainerSpec;
        var readiness = container["readinessProbe"]!.AsObject();
        using var postgres = PostgresServer.Start();
        LocalPod.PrepareDatabase(m, postgres);
        (LocalPod Pod, PodProcess Process) Start(int index)
        {
            var pod = LocalPod.From(m, index, postgres);
            var started = (pod, new PodProcess(pod.Name, pod.FileName, pod.Args, pod.Environment, pod.WorkingDirectory));
            _pods.Add(started);
            return started;
        }
        try
        {
            var clock = Stopwatch.StartNew();
            var (p0, p1) = (Start(0), Start(1));
            await Task.WhenAll(WaitForProbeAsync(p0, readiness, TimeSpan.FromSeconds(120)), WaitForProbeAsync(p1, readiness, TimeSpan.FromSeconds(120)));
            await WaitForBalancedMapAsync([p0, p1], TimeSpan.FromSeconds(30));
            output.WriteLine($"PostgreSQL + 2 silo pods ready, the slot map over both, after {clock.Elapsed.TotalSeconds:0.0} s");

            // Keys over many slots, through pod 0 (forwarded to each slot's owner). Only their slots are active: the
            // checks of where slots are hosted count on it.
            int resp0 = p0.Pod.HostPort("resp"), resp1 = p1.Pod.HostPort("resp");
            var values = Enumerable.Range(0, 1000).ToDictionary(i => $"k8s:scale:{i}", i => $"value-{i}-{Guid.NewGuid():N}");
            SetValues(resp0, values);
            var keySlots = values.Keys.Select(SlotOf).ToHashSet();
            Assert.Equal(keySlots.Count, InfoField(resp0, "orleans_active_slots"));
            await WaitForSlotsOnTheirOwnersAsync([p0, p1], keySlots, TimeSpan.FromSeconds(30));

            // kubectl scale --replicas=3: a third pod of the Deployment joins once its gateway listens and takes its
            // share: 16384/3 slots, the map's one extra slot staying with an old node (fewer moves).
            var scaling = Stopwatch.StartNew();
            var p2 = Start(2);
            var joined = WaitForBalancedMapAsync(_pods, TimeSpan.FromSeconds(120)); // from now: measures the join
            await WaitForProbeAsync(p2, readiness, TimeSpan.FromSeconds(120));
            var ready = scaling.Elapsed;
            var (nodes, balanced) = await joined;
            int resp2 = p2.Pod.HostPort("resp");
            var newNode = nodes.Single(n => n.Port == resp2);
            // It announces the emulated pod IP (status.podIP → POD_IP → --announce-ip) and its RESP port, bus = silo port.
            Assert.Equal(("127.0.0.1", resp2, p2.Pod.HostPort("silo")), (newNode.Ip, newNode.Port, newNode.BusPort));
            Assert.Equal(HashSlot.Count / 3, newNode.Slots.Count);
            Assert.Equal([HashSlot.Count / 3, HashSlot.Count / 3, HashSlot.Count / 3 + 1], nodes.Select(n => n.Slots.Count).Order());
            var movedIn = keySlots.Count(newNode.Slots.Contains);
            await WaitForSlotsOnTheirOwnersAsync([p0, p1, p2], keySlots, TimeSpan.FromSeconds(60));
            var rebalanced = scaling.Elapsed;
            Measurements.Report(output, $"k8s scale 2→3 silo pods: the new pod ready {ready.TotalSeconds:0.0} s after it started, the slot map balanced " +
                $"over 3 nodes after {balanced.TotalSeconds:0.0} s, its {movedIn} slots with keys (of {keySlots.Count}) moved to it after " +
                $"{rebalanced.TotalSeconds:0.0} s (rebalance {(rebalanced - balanced).TotalSeconds:0.0} s after the map changed)");

            // A cluster-aware client seeded with one pod finds all three at their announced endpoints; keys read back
            // exactly, and new ones go straight to their owners (the new pod's included).
            // No tie-breaker: its GET would activate one more slot than the keys' (the hosting checks count them).
            var seeded = new ConfigurationOptions { Password = _password, AbortOnConnectFail = true, TieBreaker = "" };
            seeded.EndPoints.Add("127.0.0.1", resp0);
            var more = Enumerable.Range(0, 300).ToDictionary(i => $"k8s:scale:joined:{i}", i => $"joined-{i}-{Guid.NewGuid():N}");
            await using (var redis = await ConnectionMultiplexer.ConnectAsync(seeded))
            {
                Assert.Equal(new[] { resp0, resp1, resp2 }.Order(), redis.GetServers().Select(x => PortOf(x.EndPoint)).Order());
                Assert.All(redis.GetServers(), x => Assert.Equal(ServerType.Cluster, x.ServerType));
                var db = redis.GetDatabase();
                var read = await Task.WhenAll(values.Keys.Select(k => db.StringGetAsync(k)));
                Assert.Equal(values.Values, read.Select(v => (string?)v));
                Assert.All(await Task.WhenAll(more.Select(kv => db.StringSetAsync(kv.Key, kv.Value))), Assert.True);
            }
            foreach (var (key, value) in more) values[key] = value;
            keySlots.UnionWith(more.Keys.Select(SlotOf));
            int leaverSlots = keySlots.Count(newNode.Slots.Contains);
            Assert.Equal(keySlots.Count, InfoField(resp2, "orleans_active_slots"));
            Assert.Equal(leaverSlots, InfoField(resp2, "orleans_silo_active_slots"));

            // kubectl scale --replicas=2: the ReplicaSet removes the newest pod. SIGTERM (after preStop): it leaves the
            // map, hands its slots with their keys to the two others, and exits 0 within the grace period.
            var grace = TimeSpan.FromSeconds(Int(PodSpec(m.Silo)["terminationGracePeriodSeconds"]) - ManifestTests.PreStopSleepSeconds(container));
            var leaving = Stopwatch.StartNew();
            p2.Process.SendSigTerm();
            await p2.Process.WaitForExitAsync(grace);
            var exited = leaving.Elapsed;
            Assert.Equal(0, p2.Process.ExitCode);
            var left = LeftSlotMap().Match(p2.Process.LogTail(int.MaxValue));
            Assert.True(left.Success, $"no \"Left the slot map\" in {p2.Pod.Name}'s log:\n{p2.Process.LogTail()}");
            Assert.Equal(leaverSlots, int.Parse(left.Groups[1].Value));
            Measurements.Report(output, $"k8s scale 3→2 silo pods: the leaving pod moved its {leaverSlots} slots with keys in {left.Groups[2].Value} s " +
                $"(its log) and exited {exited.TotalSeconds:0.0} s after SIGTERM (grace after preStop {grace.TotalSeconds:0} s)");

            // The survivors: two nodes over every slot, each slot active on its owner (moved, not reloaded), every key exact.
            var survivors = new[] { p0, p1 };
            var two = (await WaitForBalancedMapAsync(survivors, TimeSpan.FromSeconds(15))).Nodes;
            Assert.Equal(new[] { resp0, resp1 }.Order(), two.Select(n => n.Port).Order());
            foreach (var (pod, _) in survivors)
            {
                int port = pod.HostPort("resp");
                Assert.Equal(HashSlot.Count, CoveredSlots(port, [resp0, resp1]));
                Assert.Equal(200, (await ProbeAsync(pod, readiness)).Status);
            }
            Assert.Equal(keySlots.Count, InfoField(resp0, "orleans_active_slots"));
            await WaitForSlotsOnTheirOwnersAsync(survivors, keySlots, TimeSpan.FromSeconds(15));
            AssertValues(resp0, values);
            AssertValues(resp1, values);
            Assert.Equal(values.Count.ToString(), Cli(resp1, "DBSIZE").Trim());
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

    [GeneratedRegex(@"Left the slot map: (\d+) slots moved to other nodes in ([0-9.]+) s")]
    private static partial Regex LeftSlotMap();

    private static int SlotOf(string key) => HashSlot.Of(Encoding.UTF8.GetBytes(key));

    private static int PortOf(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.IPEndPoint ip => ip.Port,
        System.Net.DnsEndPoint dns => dns.Port,
        _ => throw new InvalidOperationException($"endpoint {endpoint}"),
    };

    /// <summary>A line of CLUSTER NODES: the endpoint the node announces and the slots the map gives it.</summary>
    private sealed record ClusterNodeLine(string Id, string Ip, int Port, int BusPort, string Flags, HashSet<int> Slots);

    private List<ClusterNodeLine> ClusterNodes(int port)
    {
        var (text, exit) = RedisCli.Run(port, ["CLUSTER", "NODES"], password: _password);
        if (exit != 0) return [];
        var nodes = new List<ClusterNodeLine>();
        foreach (var line in Lines(text))
        {
            var match = NodeLine().Match(line);
            if (!match.Success) return [];
            var slots = new HashSet<int>();
            foreach (var range in match.Groups[6].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var bounds = range.Split('-').Select(int.Parse).ToArray();
                for (int slot = bounds[0]; slot <= bounds[^1]; slot++) slots.Add(slot);
            }
            nodes.Add(new(match.Groups[1].Value, match.Groups[2].Value, int.Parse(match.Groups[3].Value), int.Parse(match.Groups[4].Value), match.Groups[5].Value, slots));
        }
        return nodes;
    }

    [GeneratedRegex(@"^([0-9a-f]{40}) ([0-9.]+):(\d+)@(\d+) (myself,master|master) - 0 \d+ \d+ connected((?: \d+(?:-\d+)?)*)$")]
    private static partial Regex NodeLine();

    /// <summary>
    /// Until CLUSTER NODES through every pod lists one master per pod — its own line "myself" — at the pod's RESP port,
    /// with every slot exactly once in balanced shares. Returns that list (as pod 0 answers) and when it was first seen.
    /// </summary>
    private async Task<(List<ClusterNodeLine> Nodes, TimeSpan Seen)> WaitForBalancedMapAsync(IReadOnlyList<(LocalPod Pod, PodProcess Process)> pods, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var ports = pods.Select(p => p.Pod.HostPort("resp")).Order().ToList();
        string last = "";
        while (clock.Elapsed < timeout)
        {
            var views = new List<List<ClusterNodeLine>>();
            foreach (var (pod, process) in pods)
            {
                if (process.HasExited) Assert.Fail($"{pod.Name} exited with code {process.ExitCode}:\n{process.LogTail()}");
                views.Add(ClusterNodes(pod.HostPort("resp")));
            }
            bool Agrees(List<ClusterNodeLine> nodes, int myPort) =>
                nodes.Select(n => n.Port).Order().SequenceEqual(ports)
                && nodes.Single(n => n.Port == myPort).Flags == "myself,master"
                && nodes.Sum(n => n.Slots.Count) == HashSlot.Count && nodes.SelectMany(n => n.Slots).Distinct().Count() == HashSlot.Count
                && nodes.All(n => n.Slots.Count is var c && (c == HashSlot.Count / pods.Count || c == HashSlot.Count / pods.Count + 1));
            if (views.Select((v, i) => Agrees(v, pods[i].Pod.HostPort("resp"))).All(ok => ok)
                && views.All(v => v.OrderBy(n => n.Id).Select(n => (n.Id, n.Port, string.Join(',', n.Slots.Order()))).SequenceEqual(
                    views[0].OrderBy(n => n.Id).Select(n => (n.Id, n.Port, string.Join(',', n.Slots.Order()))))))
                return (views[0], clock.Elapsed);
            last = string.Join("; ", views.Select(v => string.Join(", ", v.Select(n => $"{n.Port}:{n.Slots.Count}"))));
            await Task.Delay(100);
        }
        Assert.Fail($"CLUSTER NODES did not list {pods.Count} balanced masters within {timeout.TotalSeconds:0} s (ports: slots per pod's view: {last})");
        return default;
    }

    /// <summary>
    /// Until every pod's silo hosts exactly the slots with keys that the map gives its node
    /// (INFO cluster orleans_silo_active_slots), the moves are done.
    /// </summary>
    private async Task WaitForSlotsOnTheirOwnersAsync(IReadOnlyList<(LocalPod Pod, PodProcess Process)> pods, HashSet<int> keySlots, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < timeout)
        {
            var nodes = ClusterNodes(pods[0].Pod.HostPort("resp"));
            var counts = pods.Select(p => p.Pod.HostPort("resp"))
                .Select(port => (Expected: nodes.SingleOrDefault(n => n.Port == port)?.Slots.Count(keySlots.Contains) ?? -1, Hosted: InfoField(port, "orleans_silo_active_slots")))
                .ToList();
            if (counts.All(c => c.Expected == c.Hosted)) return;
            last = string.Join(", ", counts.Select(c => $"{c.Hosted} hosted/{c.Expected} owned"));
            await Task.Delay(100);
        }
        Assert.Fail($"slots with keys not on their owners within {timeout.TotalSeconds:0} s: {last}");
    }

    /// <summary>A field of INFO cluster through this pod.</summary>
    private int InfoField(int port, string field)
    {
        var line = Lines(Cli(port, "INFO", "cluster")).SingleOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? -1 : int.Parse(line[(field.Length + 1)..]);
    }

    /// <summary>Slots CLUSTER SLOTS covers exactly once, each with a master at one of <paramref name="endpoints"/> on 127.0.0.1.</summary>
    private int CoveredSlots(int port, int[] endpoints)
    {
        using var redis = ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { { "127.0.0.1", port } }, Password = _password, AllowAdmin = true, TieBreaker = "" });
        var ranges = (RedisResult[])redis.GetServer("127.0.0.1", port).Execute("CLUSTER", "SLOTS")!;
        var covered = new bool[HashSlot.Count];
        foreach (var range in ranges.Select(r => (RedisResult[])r!))
        {
            var master = (RedisResult[])range[2]!;
            Assert.Equal("127.0.0.1", (string)master[0]!);
            Assert.Contains((int)master[1], endpoints);
            for (int slot = (int)range[0]; slot <= (int)range[1]; slot++)
            {
                Assert.False(covered[slot], $"slot {slot} twice in CLUSTER SLOTS");
                covered[slot] = true;
            }
        }
        return covered.Count(c => c);
    }

    private void SetValues(int port, Dictionary<string, string> values)
    {
        var (setOutput, exit) = RedisCli.Run(port, [], string.Concat(values.Select(kv => $"SET {kv.Key} {kv.Value}\n")), _password);
        Assert.Equal(0, exit);
        Assert.Equal(Enumerable.Repeat("OK", values.Count), Lines(setOutput));
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
