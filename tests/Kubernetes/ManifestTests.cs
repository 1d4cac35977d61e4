using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Hosting.Kubernetes;
using OrleansLua.Silo;
using OrleansLua.Client.Hosting;
using OrleansLua.Tests.Infrastructure;
using Xunit;
using static OrleansLua.Tests.Kubernetes.Manifests;

namespace OrleansLua.Tests.Kubernetes;

/// <summary>
/// The k8s/ manifests as `kubectl kustomize` renders them (the root, which is the base, and every overlay):
/// everything the silo container is given is something the silo reads, probes hit the health endpoints,
/// selectors select, Secrets are referenced, the Role grants what Orleans' Kubernetes hosting calls.
/// </summary>
public sealed partial class ManifestTests
{
    public const string Root = "k8s";
    public const string Production = "k8s/overlays/production";
    public const string ExternalPostgres = "k8s/overlays/external-postgres";
    public const string StandaloneGatewayOverlay = "k8s/overlays/standalone-gateway";

    public static TheoryData<string> Kustomizations => [Root, Production, ExternalPostgres, StandaloneGatewayOverlay];

    /// <summary>Health endpoints of silo/Hosting/HealthEndpoints.cs.</summary>
    public const string LivePath = "/health/live", StartedPath = "/health/started", ReadyPath = "/health/ready";

    /// <summary>Switches whose value is a port the container must declare (under this name).</summary>
    public static readonly Dictionary<string, string> PortSwitches = new()
    {
        ["--port"] = "resp",
        ["--silo-port"] = "silo",
        ["--gateway-port"] = "gateway",
        ["--health-port"] = "health",
    };

    /// <summary>
    /// Environment variables the silo (or Orleans' Kubernetes hosting inside it) reads: EnvironmentSettings's,
    /// POD_NAME/POD_NAMESPACE/POD_IP and ORLEANS_* of the hosting package, and "Section__Key" for a configuration
    /// key a switch or one of those variables sets.
    /// </summary>
    public static bool SiloReads(string variable)
    {
        string[] hosting =
        [
            KubernetesHostingOptions.PodNameEnvironmentVariable, KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
            KubernetesHostingOptions.PodIPEnvironmentVariable, KubernetesHostingOptions.ClusterIdEnvironmentVariable,
            KubernetesHostingOptions.ServiceIdEnvironmentVariable,
        ];
        if (EnvironmentSettings.Variables.ContainsKey(variable) || hosting.Contains(variable)) return true;
        var key = variable.Replace("__", ":");
        return variable.Contains("__") && (SiloConfiguration.SwitchMappings.Values.Contains(key, StringComparer.OrdinalIgnoreCase)
            || EnvironmentSettings.Variables.Values.Contains(key, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The Kubernetes API verbs on pods that Orleans' hosting package uses, from its own RBAC example text.</summary>
    public static string[] HostingPodVerbs()
    {
        var field = typeof(KubernetesClusterAgent).GetField("ExampleRoleBinding", BindingFlags.NonPublic | BindingFlags.Static);
        var example = (field is { IsLiteral: true } ? field.GetRawConstantValue() : field?.GetValue(null)) as string
            ?? throw new InvalidOperationException("KubernetesClusterAgent.ExampleRoleBinding not found: check the RBAC against the new Orleans.Hosting.Kubernetes");
        var verbs = VerbsLine().Match(example);
        Assert.True(verbs.Success, example);
        return Regex.Matches(verbs.Groups[1].Value, "\"([a-z]+)\"").Select(m => m.Groups[1].Value).ToArray();
    }

    [GeneratedRegex(@"verbs:\s*\[([^\]]*)\]")]
    private static partial Regex VerbsLine();

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Rendered_objects_are_valid_kubernetes_api_objects(string directory)
    {
        // The Kubernetes client's models (KubernetesClient, which Orleans' hosting package brings) in strict mode:
        // an unknown or misplaced field, or a value of the wrong type, fails here instead of at `kubectl apply`.
        var m = Render(directory);
        var typed = k8s.KubernetesYaml.LoadAllFromString(m.Yaml, strict: true);
        Assert.Equal(m.Objects.Count, typed.Count);
        Assert.All(typed, o => Assert.IsAssignableFrom<k8s.IKubernetesObject>(o));
        var kinds = m.Objects.Select(o => Str(o["kind"])).ToHashSet();
        foreach (var kind in (string[])["ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret", "Service", "Deployment", "PodDisruptionBudget"])
            Assert.Contains(kind, kinds);
        Assert.Equal(directory != ExternalPostgres, kinds.Contains("StatefulSet"));
        Assert.Equal(directory == StandaloneGatewayOverlay ? ["orleanslua", GatewayDeployment] : ["orleanslua"],
            typed.OfType<k8s.Models.V1Deployment>().Select(d => d.Metadata.Name).Order());
        foreach (var container in typed.OfType<k8s.Models.V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers)
            .Concat(typed.OfType<k8s.Models.V1StatefulSet>().SelectMany(s => s.Spec.Template.Spec.Containers)))
        {
            Assert.Equal(container.Env.Count, container.Env.Select(e => e.Name).Distinct().Count());
            Assert.All(container.Ports, p => Assert.True(p.Name.Length <= 15, $"port name {p.Name} longer than 15"));
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Silo_container_args_and_environment_are_settings_the_silo_knows(string directory)
    {
        var m = Render(directory);
        var container = m.SiloContainerSpec;
        Assert.True(container["command"] is null, "the silo container runs the image's ENTRYPOINT (dotnet OrleansLua.Silo.dll)");
        var args = Args(container);
        Assert.True(args.Count % 2 == 0, $"args come as --switch value pairs: {string.Join(' ', args)}");
        for (int i = 0; i < args.Count; i += 2)
        {
            Assert.True(SiloConfiguration.SwitchMappings.ContainsKey(args[i]), $"{directory}: unknown silo switch {args[i]}");
            Assert.False(args[i + 1].StartsWith("--", StringComparison.Ordinal), $"{args[i]} has no value");
        }
        Assert.Equal("0.0.0.0", Switch(args, "--bind")); // reachable on the pod IP, not only on loopback
        Assert.Equal("postgres", Switch(args, "--clustering"));

        foreach (var env in Env(container))
            Assert.True(SiloReads(Str(env["name"])), $"{directory}: the silo does not read environment variable {Str(env["name"])}");

        // Kubernetes hosting and the advertised address come from the pod.
        Assert.Equal("metadata.name", FieldRef(container, KubernetesHostingOptions.PodNameEnvironmentVariable));
        Assert.Equal("metadata.namespace", FieldRef(container, KubernetesHostingOptions.PodNamespaceEnvironmentVariable));
        Assert.Equal("status.podIP", FieldRef(container, KubernetesHostingOptions.PodIPEnvironmentVariable));
        Assert.Equal("postgres", EnvValue(m, container, "ORLEANSLUA_STORAGE"));
        Assert.Contains(EnvValue(m, container, "ORLEANSLUA_APPENDFSYNC"), (string[])["always", "everysec"]);
        // bound to 0.0.0.0 without a password, protected mode would refuse every client from another pod
        Assert.NotEqual("", EnvValue(m, container, "ORLEANSLUA_REQUIREPASS"));
        Assert.StartsWith("orleanslua-auth-", Str(Env(container).Single(e => Str(e["name"]) == "ORLEANSLUA_REQUIREPASS")["valueFrom"]!["secretKeyRef"]!["name"])); // a Secret (kustomize adds a hash)
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Port_switches_match_declared_container_ports_and_probes_hit_the_health_endpoints(string directory)
    {
        var m = Render(directory);
        var container = m.SiloContainerSpec;
        var args = Args(container);
        var ports = Ports(container);
        foreach (var (flag, name) in PortSwitches)
        {
            Assert.True(ports.TryGetValue(name, out int declared), $"{directory}: no containerPort named {name}");
            Assert.Equal(declared.ToString(), Switch(args, flag));
        }
        Assert.Equal(6379, ports["resp"]);

        Assert.Equal(ReadyPath, ProbePath(container, "readinessProbe"));
        Assert.Equal(LivePath, ProbePath(container, "livenessProbe"));
        // Liveness waits for the startup probe: it must not pass before the silo has started (live answers at once).
        Assert.Equal(StartedPath, ProbePath(container, "startupProbe"));
        foreach (var probe in (string[])["startupProbe", "readinessProbe", "livenessProbe"])
            Assert.Equal(ports["health"], ResolvePort(container, container[probe]!["httpGet"]!["port"]));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Every_workload_has_resources_and_probes_and_runs_as_non_root(string directory)
    {
        var m = Render(directory);
        Assert.NotEmpty(m.Workloads);
        foreach (var workload in m.Workloads)
        {
            var pod = PodSpec(workload);
            var context = pod["securityContext"];
            Assert.Equal("true", Str(context?["runAsNonRoot"]));
            Assert.True(int.Parse(Str(context?["runAsUser"])) > 0, $"{Name(workload)} runs as root");
            foreach (var container in Containers(workload))
            {
                string what = $"{directory}: {Str(workload["kind"])} {Name(workload)} container {Str(container["name"])}";
                foreach (var (section, resource) in (ValueTuple<string, string>[])[("requests", "cpu"), ("requests", "memory"), ("limits", "memory"), ("limits", "cpu")])
                    Assert.True(Str(container["resources"]?[section]?[resource]) != "", $"{what}: no resources.{section}.{resource}");
                foreach (var probe in (string[])["readinessProbe", "livenessProbe", "startupProbe"])
                    Assert.True(container[probe] is JsonObject, $"{what}: no {probe}");
                Assert.Equal("false", Str(container["securityContext"]?["allowPrivilegeEscalation"]));
                Assert.Contains("ALL", (container["securityContext"]?["capabilities"]?["drop"]?.AsArray() ?? []).Select(Str));
                // Requests never above limits (the API server refuses that).
                Assert.True(Quantity(Str(container["resources"]!["requests"]!["memory"])) <= Quantity(Str(container["resources"]!["limits"]!["memory"])), what);
                Assert.True(Quantity(Str(container["resources"]!["requests"]!["cpu"])) <= Quantity(Str(container["resources"]!["limits"]!["cpu"])), what);
            }
        }
        // The silo runs as the .NET images' app user, as the Dockerfile's USER $APP_UID does.
        Assert.Equal("1654", Str(PodSpec(m.Silo)["securityContext"]!["runAsUser"]));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Grace_period_outlasts_prestop_plus_the_hosts_shutdown_budget(string directory)
    {
        var m = Render(directory);
        var pod = PodSpec(m.Silo);
        int grace = Int(pod["terminationGracePeriodSeconds"]);
        var container = m.SiloContainerSpec;
        int preStop = PreStopSleepSeconds(container);
        // The silo stops within its host's ShutdownTimeout: moving its slots to the other nodes (up to
        // SlotMover.LeaveBudget), then storing and stopping. Kubernetes counts preStop into the grace period, then
        // sends SIGKILL, which would cut a hand-over short.
        var shutdown = SiloConfiguration.ShutdownTimeout;
        Assert.Equal(TimeSpan.FromSeconds(75), shutdown); // what the manifests' comment says
        Assert.True(grace > preStop + shutdown.TotalSeconds, $"{directory}: terminationGracePeriodSeconds {grace} ≤ preStop {preStop} s + shutdown {shutdown.TotalSeconds} s");
        Assert.True(preStop is > 0 and < 30, $"preStop sleep {preStop}");

        // Rolling updates add a ready silo before removing one.
        Assert.Equal("0", Str(m.Silo["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Silos_announce_their_pod_ip_and_a_headless_service_seeds_cluster_clients_with_the_ready_ones(string directory)
    {
        var m = Render(directory);
        var container = m.SiloContainerSpec;
        var args = Args(container);
        // CLUSTER SLOTS/NODES and MOVED name the pod IP, which the kubelet puts into the args from the downward API.
        Assert.Equal("$(POD_IP)", Switch(args, "--announce-ip"));
        Assert.Equal("status.podIP", FieldRef(container, "POD_IP"));
        var declared = Env(container).Select(e => Str(e["name"])).ToHashSet();
        foreach (var arg in args)
            foreach (var variable in VariableReferences(arg))
                Assert.True(declared.Contains(variable), $"{directory}: {arg} refers to {variable}, which the container does not declare (the kubelet would pass it as written)");
        Assert.Equal("10.1.2.3", ExpandVariables(Switch(args, "--announce-ip")!, new Dictionary<string, string> { ["POD_IP"] = "10.1.2.3" }));
        // The announced port is the bound one (no --announce-port), which is the resp containerPort clients reach on
        // the pod IP; no hostname, as a Deployment's pod names resolve nowhere.
        Assert.Null(Switch(args, "--announce-port"));
        Assert.Null(Switch(args, "--announce-hostname"));
        Assert.Equal(Ports(container)["resp"].ToString(), Switch(args, "--port"));

        // orleanslua-nodes: headless, every ready silo pod (no gateway pod: those own no slots), on the port nodes announce.
        var nodes = m.Get("Service", "orleanslua-nodes");
        Assert.Equal("None", Str(nodes["spec"]!["clusterIP"]));
        Assert.Equal("false", Str(nodes["spec"]!["publishNotReadyAddresses"])); // a draining pod leaves the seed list
        Assert.True(Selects(nodes["spec"]!["selector"], PodLabels(m.Silo)));
        foreach (var workload in m.Workloads.Where(w => Name(w) != SiloDeployment))
            Assert.False(Selects(nodes["spec"]!["selector"], PodLabels(workload)), $"{directory}: orleanslua-nodes selects {Name(workload)}");
        var port = nodes["spec"]!["ports"]!.AsArray().Single()!;
        Assert.Equal("resp", Str(port["name"]));
        Assert.Equal("6379", Str(port["port"]));
        Assert.Equal(Ports(container)["resp"], ResolvePort(container, port["targetPort"]));

        // Plain clients keep the load-balanced ClusterIP Service.
        var plain = m.Get("Service", "orleanslua");
        Assert.Equal("ClusterIP", Str(plain["spec"]!["type"]));
        Assert.Null(plain["spec"]!["clusterIP"]);
        Assert.Equal(["orleanslua", "orleanslua-nodes"], m.OfKind("Service").Where(s => Selects(s["spec"]!["selector"], PodLabels(m.Silo))).Select(Name).Order());
    }

    /// <summary>The seconds of a preStop `sleep N` (exec), 0 without one.</summary>
    public static int PreStopSleepSeconds(JsonObject container)
    {
        var command = (container["lifecycle"]?["preStop"]?["exec"]?["command"]?.AsArray() ?? []).Select(Str).ToList();
        if (command.Count == 0) return 0;
        Assert.Equal("sleep", command[0]);
        return int.Parse(command[1]);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Services_and_the_disruption_budget_select_pods_and_target_declared_ports(string directory)
    {
        var m = Render(directory);
        foreach (var service in m.OfKind("Service"))
        {
            var selector = service["spec"]!["selector"];
            var pods = m.Workloads.Where(w => Selects(selector, PodLabels(w))).ToList();
            Assert.True(pods.Count > 0, $"{directory}: Service {Name(service)} selects no pods");
            foreach (var port in service["spec"]!["ports"]!.AsArray())
                foreach (var workload in pods)
                    Assert.True(Containers(workload).Any(c => ResolvePort(c, port!["targetPort"] ?? port["port"]) is not null),
                        $"{directory}: Service {Name(service)} targetPort {Str(port!["targetPort"])} is no port of {Name(workload)}");
        }
        var resp = m.Get("Service", "orleanslua");
        Assert.Equal("ClusterIP", Str(resp["spec"]!["type"]));
        Assert.Equal("6379", Str(resp["spec"]!["ports"]![0]!["port"]));
        Assert.True(Selects(resp["spec"]!["selector"], PodLabels(m.Silo)));

        var silo = m.Silo;
        Assert.True(Selects(silo["spec"]!["selector"], PodLabels(silo)), "the Deployment's selector must select its own pods");
        var pdb = m.Get("PodDisruptionBudget", "orleanslua");
        Assert.True(Selects(pdb["spec"]!["selector"], PodLabels(silo)), $"{directory}: the PodDisruptionBudget selects no silo");
        Assert.Equal("1", Str(pdb["spec"]!["maxUnavailable"])); // lets drains proceed one silo at a time
        Assert.True(Int(silo["spec"]!["replicas"]) >= 2, "one silo per node needs at least 2 replicas to survive a drain");

        foreach (var constraint in PodSpec(silo)["topologySpreadConstraints"]!.AsArray())
            Assert.True(Selects(constraint!["labelSelector"], PodLabels(silo)), $"{directory}: topology spread over {Str(constraint!["topologyKey"])} selects no silo");
        Assert.Contains("kubernetes.io/hostname", PodSpec(silo)["topologySpreadConstraints"]!.AsArray().Select(c => Str(c!["topologyKey"])));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Pod_labels_carry_the_cluster_and_service_id_and_the_role_covers_the_hosting_packages_calls(string directory)
    {
        var m = Render(directory);
        var container = m.SiloContainerSpec;
        var labels = PodLabels(m.Silo);
        Assert.Equal(EnvValue(m, container, KubernetesHostingOptions.ClusterIdEnvironmentVariable), labels[KubernetesHostingOptions.ClusterIdLabel]);
        Assert.Equal(EnvValue(m, container, KubernetesHostingOptions.ServiceIdEnvironmentVariable), labels[KubernetesHostingOptions.ServiceIdLabel]);
        // The Deployment must not select on labels the silo patches at run time.
        Assert.DoesNotContain(Labels(m.Silo["spec"]!["selector"]!["matchLabels"]).Keys, k => k.StartsWith("orleans/", StringComparison.Ordinal));

        var account = Str(PodSpec(m.Silo)["serviceAccountName"]);
        Assert.NotNull(m.Find("ServiceAccount", account));
        Assert.NotEqual("false", Str(PodSpec(m.Silo)["automountServiceAccountToken"])); // InClusterConfig reads the token
        var binding = m.OfKind("RoleBinding").Single(b => b["subjects"]!.AsArray().Any(s => Str(s!["kind"]) == "ServiceAccount" && Str(s["name"]) == account));
        Assert.Equal("Role", Str(binding["roleRef"]!["kind"])); // namespaced: the silo only touches its own namespace's pods
        var role = m.Get("Role", Str(binding["roleRef"]!["name"]));
        var rules = role["rules"]!.AsArray().Cast<JsonObject>().ToList();
        var granted = rules
            .Where(r => r["apiGroups"]!.AsArray().Any(g => Str(g) == "") && r["resources"]!.AsArray().Any(x => Str(x) == "pods"))
            .SelectMany(r => r["verbs"]!.AsArray().Select(Str)).ToHashSet();
        var needed = HostingPodVerbs();
        Assert.Equal(new[] { "get", "list", "patch", "watch" }, needed.Order()); // what 10.4.2 says; a change here needs a look at the Role
        foreach (var verb in needed) Assert.Contains(verb, granted);
        // Exactly that: nothing but pods, no delete (DeleteDefunctSiloPods is off), no wildcard.
        Assert.All(rules, r => Assert.Equal(new[] { "pods" }, r["resources"]!.AsArray().Select(Str)));
        Assert.Equal(needed.Order(), granted.Order());
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Secrets_and_config_are_referenced_not_inlined_and_every_reference_resolves(string directory)
    {
        var m = Render(directory);
        foreach (var workload in m.Workloads)
            foreach (var container in Containers(workload))
                foreach (var env in Env(container))
                {
                    string name = Str(env["name"]);
                    var value = Str(env["value"]);
                    Assert.False(Regex.IsMatch(value, "password", RegexOptions.IgnoreCase), $"{directory}: {name} inlines a password");
                    if (name.Contains("PASSWORD") || name == "ORLEANSLUA_POSTGRES")
                        Assert.True(env["valueFrom"]?["secretKeyRef"] is JsonObject, $"{directory}: {name} must come from a Secret");
                    if (env["valueFrom"]?["secretKeyRef"] is JsonObject secretRef)
                        Assert.True(m.Data(m.Get("Secret", Str(secretRef["name"]))).ContainsKey(Str(secretRef["key"])), $"{directory}: {name}: no key {Str(secretRef["key"])} in Secret {Str(secretRef["name"])}");
                    if (env["valueFrom"]?["configMapKeyRef"] is JsonObject configRef)
                        Assert.True(m.Data(m.Get("ConfigMap", Str(configRef["name"]))).ContainsKey(Str(configRef["key"])), $"{directory}: {name}: no key {Str(configRef["key"])} in ConfigMap {Str(configRef["name"])}");
                }

        // The connection string parses; with the bundled PostgreSQL it names its Service and the Secret's credentials.
        var connection = new NpgsqlConnectionStringBuilder(EnvValue(m, m.SiloContainerSpec, "ORLEANSLUA_POSTGRES"));
        Assert.False(string.IsNullOrEmpty(connection.Host));
        Assert.False(string.IsNullOrEmpty(connection.Database));
        var postgres = m.Find("StatefulSet", "orleanslua-postgres");
        if (directory == ExternalPostgres)
        {
            Assert.Null(postgres);
            Assert.Null(m.Find("Service", "orleanslua-postgres"));
            Assert.NotEqual("orleanslua-postgres", connection.Host);
            return;
        }
        Assert.NotNull(postgres);
        var service = m.Get("Service", connection.Host!);
        Assert.Equal(connection.Port.ToString(), Str(service["spec"]!["ports"]![0]!["port"]));
        Assert.True(Selects(service["spec"]!["selector"], PodLabels(postgres)));
        Assert.Equal(Str(postgres["spec"]!["serviceName"]), Name(service));
        var db = Containers(postgres).Single();
        Assert.Equal("postgres:15", Str(db["image"]));
        Assert.Equal(connection.Username, EnvValue(m, db, "POSTGRES_USER"));
        Assert.Equal(connection.Password, EnvValue(m, db, "POSTGRES_PASSWORD"));
        Assert.Equal(connection.Database, EnvValue(m, db, "POSTGRES_DB"));
        // Data on a claim per replica, mounted where PGDATA lives.
        var claim = Name(postgres["spec"]!["volumeClaimTemplates"]![0]);
        var mount = db["volumeMounts"]!.AsArray().Single(v => Str(v!["name"]) == claim)!;
        Assert.StartsWith(Str(mount["mountPath"]), EnvValue(m, db, "PGDATA"));
    }

    [Fact]
    public void Production_overlay_has_more_and_bigger_silos_and_appendfsync_always()
    {
        var baseline = Render(Root);
        var production = Render(Production);
        Assert.True(Int(production.Silo["spec"]!["replicas"]) > Int(baseline.Silo["spec"]!["replicas"]));
        Assert.Equal("always", EnvValue(production, production.SiloContainerSpec, "ORLEANSLUA_APPENDFSYNC"));
        Assert.Equal("everysec", EnvValue(baseline, baseline.SiloContainerSpec, "ORLEANSLUA_APPENDFSYNC"));
        foreach (var (section, resource) in (ValueTuple<string, string>[])[("requests", "cpu"), ("requests", "memory"), ("limits", "memory")])
            Assert.True(Quantity(Str(production.SiloContainerSpec["resources"]![section]![resource])) > Quantity(Str(baseline.SiloContainerSpec["resources"]![section]![resource])),
                $"production {section}.{resource} is not bigger");
        // The overlay changes sizes only: the same args and environment as the base.
        Assert.Equal(Args(baseline.SiloContainerSpec), Args(production.SiloContainerSpec));
        Assert.Equal(Env(baseline.SiloContainerSpec).Select(e => Str(e["name"])), Env(production.SiloContainerSpec).Select(e => Str(e["name"])));
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Image_is_overridable_and_the_dockerfile_runs_the_silo_with_the_declared_ports(string directory)
    {
        var m = Render(directory);
        // The base's images: entry sets registry and tag (orleanslua:latest until you point it at yours).
        Assert.Matches(@"^([^/]+/)*orleanslua(:[\w.-]+)?$", Str(m.SiloContainerSpec["image"]));
        var kustomization = Parse(File.ReadAllText(Path.Combine(SiloProcess.RepoRoot, "k8s", "base", "kustomization.yaml"))).Single();
        Assert.Contains(kustomization["images"]!.AsArray(), i => Str(i!["name"]) == "orleanslua");
        Assert.Equal("IfNotPresent", Str(m.SiloContainerSpec["imagePullPolicy"]));

        var dockerfile = Dockerfile.Load();
        Assert.Equal(new[] { "dotnet", $"{typeof(SiloConfiguration).Assembly.GetName().Name}.dll" }, dockerfile.Entrypoint);
        foreach (var port in Ports(m.SiloContainerSpec).Values) Assert.Contains(port, dockerfile.Exposed);
        Assert.Equal("$APP_UID", dockerfile.User);
        Assert.DoesNotContain("alpine", dockerfile.RuntimeImage); // KeraLua's liblua54.so needs glibc
        Assert.StartsWith("mcr.microsoft.com/dotnet/runtime:10.0", dockerfile.RuntimeImage);
    }

    [Fact]
    public void Standalone_gateway_component_runs_the_gateway_from_the_silo_image_with_the_silos_cluster_settings()
    {
        Assert.Null(Render(Root).Find("Deployment", GatewayDeployment)); // optional: not in the base
        var m = Render(StandaloneGatewayOverlay);
        var gateway = m.Get("Deployment", GatewayDeployment);
        var container = GatewayContainerSpec(m);
        var silo = m.SiloContainerSpec;

        // The silos' image (whatever the base's images: entry says), running the gateway program that the Dockerfile publishes next to the silo.
        Assert.Equal(Str(silo["image"]), Str(container["image"]));
        var program = typeof(StandaloneGateway).Assembly.GetName().Name + ".dll";
        Assert.Equal(new[] { "dotnet", program }, container["command"]!.AsArray().Select(Str));
        Assert.Contains("client/OrleansLua.Client.csproj", Dockerfile.Load().Published);

        // Switches and environment the gateway reads; the silos' cluster and database settings, from the same ConfigMap and Secret.
        var args = Args(container);
        Assert.True(args.Count % 2 == 0, string.Join(' ', args));
        for (int i = 0; i < args.Count; i += 2)
            Assert.True(StandaloneGateway.SwitchMappings.ContainsKey(args[i]), $"unknown gateway switch {args[i]}");
        Assert.Equal("0.0.0.0", Switch(args, "--bind"));
        Assert.Equal("postgres", Switch(args, "--clustering"));
        Assert.Equal(Ports(container)["resp"].ToString(), Switch(args, "--port"));
        foreach (var env in Env(container))
        {
            var variable = Str(env["name"]);
            var key = variable.Replace("__", ":");
            Assert.True(EnvironmentSettings.Variables.ContainsKey(variable)
                || variable.Contains("__") && StandaloneGateway.SwitchMappings.Values.Contains(key, StringComparer.OrdinalIgnoreCase),
                $"the gateway does not read environment variable {variable}");
        }
        foreach (var variable in (string[])["ORLEANS_CLUSTER_ID", "ORLEANS_SERVICE_ID", "ORLEANSLUA_POSTGRES", "ORLEANSLUA_REQUIREPASS"])
            Assert.Equal(EnvValue(m, silo, variable), EnvValue(m, container, variable));

        // The RESP port opens once the gateway has joined the cluster: every probe checks it.
        foreach (var probe in (string[])["startupProbe", "readinessProbe", "livenessProbe"])
            Assert.Equal(Ports(container)["resp"], ResolvePort(container, container[probe]!["tcpSocket"]!["port"]));

        // Its Service and budget select gateways only; the silos' Service selects no gateway.
        var service = m.Get("Service", GatewayDeployment);
        Assert.Equal("6379", Str(service["spec"]!["ports"]![0]!["port"]));
        Assert.True(Selects(service["spec"]!["selector"], PodLabels(gateway)));
        Assert.False(Selects(service["spec"]!["selector"], PodLabels(m.Silo)));
        Assert.False(Selects(m.Get("Service", "orleanslua")["spec"]!["selector"], PodLabels(gateway)));
        Assert.True(Selects(gateway["spec"]!["selector"], PodLabels(gateway)));
        Assert.True(Selects(m.Get("PodDisruptionBudget", GatewayDeployment)["spec"]!["selector"], PodLabels(gateway)));
        Assert.DoesNotContain(PodLabels(gateway).Keys, k => k.StartsWith("orleans/", StringComparison.Ordinal)); // not a silo pod to Orleans' hosting

        // No Kubernetes API calls, a graceful drain within the grace period, rollouts that keep one ready.
        Assert.Equal("false", Str(PodSpec(gateway)["automountServiceAccountToken"]));
        Assert.True(Int(PodSpec(gateway)["terminationGracePeriodSeconds"]) > PreStopSleepSeconds(container) + new HostOptions().ShutdownTimeout.TotalSeconds);
        Assert.Equal("0", Str(gateway["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]));
    }

    public const string GatewayDeployment = "orleanslua-gateway";

    public static JsonObject GatewayContainerSpec(Manifests m) => Containers(m.Get("Deployment", GatewayDeployment)).Single(c => Str(c["name"]) == "gateway");

    /// <summary>The value a container's environment variable gets: literal, or resolved from a ConfigMap/Secret.</summary>
    public static string EnvValue(Manifests m, JsonObject container, string name)
    {
        var env = Env(container).SingleOrDefault(e => Str(e["name"]) == name) ?? throw new InvalidOperationException($"{m.Directory}: no env {name}");
        if (env["valueFrom"]?["configMapKeyRef"] is JsonObject c) return m.ConfigValue(Str(c["name"]), Str(c["key"]));
        if (env["valueFrom"]?["secretKeyRef"] is JsonObject s) return m.SecretValue(Str(s["name"]), Str(s["key"]));
        return Str(env["value"]);
    }

    public static string FieldRef(JsonObject container, string name) =>
        Str(Env(container).Single(e => Str(e["name"]) == name)["valueFrom"]?["fieldRef"]?["fieldPath"]);

    public static string? Switch(List<string> args, string flag) => args.IndexOf(flag) is >= 0 and var i && i + 1 < args.Count ? args[i + 1] : null;

    private static string ProbePath(JsonObject container, string probe) => Str(container[probe]?["httpGet"]?["path"]);

    /// <summary>A Kubernetes quantity in base units: "500m" → 0.5, "2" → 2, "1Gi" → 1073741824.</summary>
    public static double Quantity(string q)
    {
        var match = Regex.Match(q, @"^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$");
        Assert.True(match.Success, $"quantity {q}");
        double value = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return value * match.Groups[2].Value switch
        {
            "m" => 0.001, "k" => 1e3, "M" => 1e6, "G" => 1e9, "T" => 1e12,
            "Ki" => 1024d, "Mi" => 1024d * 1024, "Gi" => 1024d * 1024 * 1024, "Ti" => 1024d * 1024 * 1024 * 1024,
            _ => 1,
        };
    }
}

/// <summary>The few facts of the repository's Dockerfile the manifests and the boot test rely on.</summary>
public sealed record Dockerfile(string[] Entrypoint, int[] Exposed, string User, string RuntimeImage, string[] Published)
{
    public static Dockerfile Load()
    {
        var lines = File.ReadAllLines(Path.Combine(SiloProcess.RepoRoot, "Dockerfile"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        string Last(string instruction) =>
            lines.Last(l => l.StartsWith(instruction + " ", StringComparison.Ordinal))[(instruction.Length + 1)..].Trim();
        var entrypoint = System.Text.Json.JsonSerializer.Deserialize<string[]>(Last("ENTRYPOINT"))!;
        var exposed = Last("EXPOSE").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p.Split('/')[0])).ToArray();
        var published = Regex.Matches(string.Join('\n', lines), @"dotnet publish (\S+)").Select(p => p.Groups[1].Value).ToArray();
        return new Dockerfile(entrypoint, exposed, Last("USER"), Last("FROM").Split(' ')[0], published);
    }
}
