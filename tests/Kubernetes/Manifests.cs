using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansLua.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace OrleansLua.Tests.Kubernetes;

/// <summary>
/// The objects `kubectl kustomize DIR` renders from the repository's k8s/ manifests, as JSON trees (YAML
/// scalars stay strings: "3", "true"), with the lookups the tests need.
/// </summary>
public sealed partial class Manifests
{
    public const string SiloDeployment = "orleanslua";
    public const string SiloContainer = "silo";

    private Manifests(string directory, string yaml, List<JsonObject> objects) => (Directory, Yaml, Objects) = (directory, yaml, objects);

    /// <summary>The kustomization rendered, relative to the repository root (e.g. "k8s").</summary>
    public string Directory { get; }
    /// <summary>What kubectl printed.</summary>
    public string Yaml { get; }
    public IReadOnlyList<JsonObject> Objects { get; }

    private static readonly Dictionary<string, Manifests> Cache = [];

    /// <summary>Runs `kubectl kustomize` on a directory of the repository (once per test run and directory).</summary>
    public static Manifests Render(string directory)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(directory, out var cached)) return cached;
            var yaml = Kubectl("kustomize", Path.Combine(SiloProcess.RepoRoot, directory));
            var rendered = new Manifests(directory, yaml, Parse(yaml));
            Cache[directory] = rendered;
            return rendered;
        }
    }

    public static List<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>().ToList();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new NotSupportedException($"YAML node {node.NodeType}"),
    };

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Str(o["kind"]) == kind);

    public JsonObject? Find(string kind, string name) => OfKind(kind).FirstOrDefault(o => Name(o) == name);

    public JsonObject Get(string kind, string name) =>
        Find(kind, name) ?? throw new InvalidOperationException($"{Directory}: no {kind} {name} rendered (have: {string.Join(", ", Objects.Select(o => $"{Str(o["kind"])}/{Name(o)}"))})");

    /// <summary>A ConfigMap or Secret by the name the manifests use; kustomize's generators add a hash suffix.</summary>
    public JsonObject Generated(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => Name(o) == name || GeneratedFrom(Name(o)) == name)
        ?? throw new InvalidOperationException($"{Directory}: no {kind} {name}");

    /// <summary>"orleanslua-config-gd9h9846f6" → "orleanslua-config".</summary>
    public static string GeneratedFrom(string name) => name.LastIndexOf('-') is > 0 and var dash && name.Length - dash == 11 ? name[..dash] : name;

    /// <summary>Deployments and StatefulSets.</summary>
    public IEnumerable<JsonObject> Workloads => Objects.Where(o => Str(o["kind"]) is "Deployment" or "StatefulSet");

    public JsonObject Silo => Get("Deployment", SiloDeployment);

    public JsonObject SiloContainerSpec => Containers(Silo).Single(c => Str(c["name"]) == SiloContainer);

    /// <summary>The data of a rendered ConfigMap (plain) or Secret (base64 in data, or stringData).</summary>
    public Dictionary<string, string> Data(JsonObject configMapOrSecret)
    {
        var values = new Dictionary<string, string>();
        bool secret = Str(configMapOrSecret["kind"]) == "Secret";
        if (configMapOrSecret["data"] is JsonObject data)
            foreach (var (key, value) in data)
                values[key] = secret ? Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(Str(value).Where(c => !char.IsWhiteSpace(c))))) : Str(value);
        if (configMapOrSecret["stringData"] is JsonObject stringData)
            foreach (var (key, value) in stringData) values[key] = Str(value);
        return values;
    }

    public string ConfigValue(string configMap, string key) => Data(Generated("ConfigMap", configMap))[key];

    public string SecretValue(string secret, string key) => Data(Generated("Secret", secret))[key];

    public static string Name(JsonNode? o) => Str(o?["metadata"]?["name"]);

    public static string Str(JsonNode? node) => node?.GetValue<string>() ?? "";

    public static int Int(JsonNode? node) => int.Parse(Str(node));

    public static JsonObject PodSpec(JsonObject workload) => (JsonObject)workload["spec"]!["template"]!["spec"]!;

    public static Dictionary<string, string> PodLabels(JsonObject workload) => Labels(workload["spec"]!["template"]!["metadata"]!["labels"]);

    public static Dictionary<string, string> Labels(JsonNode? labels) =>
        (labels as JsonObject)?.ToDictionary(l => l.Key, l => Str(l.Value)) ?? [];

    public static IEnumerable<JsonObject> Containers(JsonObject workload) => PodSpec(workload)["containers"]!.AsArray().Cast<JsonObject>();

    /// <summary>containerPort by name, for every port the container declares.</summary>
    public static Dictionary<string, int> Ports(JsonObject container) =>
        (container["ports"]?.AsArray() ?? []).Cast<JsonObject>().ToDictionary(p => Str(p["name"]), p => Int(p["containerPort"]));

    /// <summary>A probe's or Service's port (a name or a number) as the container's port number; null if undeclared.</summary>
    public static int? ResolvePort(JsonObject container, JsonNode? port)
    {
        var ports = Ports(container);
        var text = Str(port);
        if (int.TryParse(text, out int number)) return ports.ContainsValue(number) ? number : null;
        return ports.TryGetValue(text, out int named) ? named : null;
    }

    public static List<string> Args(JsonObject container) => (container["args"]?.AsArray() ?? []).Select(Str).ToList();

    public static IEnumerable<JsonObject> Env(JsonObject container) => (container["env"]?.AsArray() ?? []).Cast<JsonObject>();

    /// <summary>
    /// The kubelet's expansion of command and args: `$(VAR)` becomes the value of the container's variable VAR, a
    /// reference to an undeclared one stays as written, `$$` is a literal `$`.
    /// </summary>
    public static string ExpandVariables(string text, IReadOnlyDictionary<string, string> variables) =>
        VariableReference().Replace(text, m => m.Value == "$$" ? "$" : variables.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    /// <summary>The names of the variables `$(VAR)` refers to in <paramref name="text"/> (`$$(VAR)` is no reference).</summary>
    public static IEnumerable<string> VariableReferences(string text) =>
        VariableReference().Matches(text).Where(m => m.Value != "$$").Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\$\$|\$\(([^()$]+)\)")]
    private static partial Regex VariableReference();

    /// <summary>Whether a label selector (matchLabels only, as the manifests use) selects these labels.</summary>
    public static bool Selects(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        var match = Labels(selector?["matchLabels"] ?? selector);
        return match.Count > 0 && match.All(m => labels.TryGetValue(m.Key, out var v) && v == m.Value);
    }

    public static string Kubectl(params string[] args)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("kubectl (with kustomize) is needed to render k8s/: it is not on PATH", ex);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill();
                throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 60 s");
            }
            if (process.ExitCode != 0) throw new InvalidOperationException($"kubectl {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
            return stdout.Result;
        }
    }
}
