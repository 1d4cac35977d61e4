namespace OrleansLua.Client.Hosting;

/// <summary>
/// Settings a container gets from its environment (Kubernetes pod fields, Secrets, ConfigMaps), mapped
/// onto the configuration keys the command line also sets; the command line wins. Any key can also be
/// given as an environment variable with "__" for ":" (e.g. Gateway__Port=6379). Silos and the standalone
/// gateway read the same variables (the gateway has no use for the storage and address ones).
/// </summary>
public static class EnvironmentSettings
{
    /// <summary>Environment variable → configuration key.</summary>
    public static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>
    {
        ["POD_IP"] = "Orleans:AdvertisedIP",
        ["ORLEANS_CLUSTER_ID"] = "Orleans:ClusterId",
        ["ORLEANS_SERVICE_ID"] = "Orleans:ServiceId",
        ["ORLEANSLUA_POSTGRES"] = "OrleansLua:Postgres",
        ["ORLEANSLUA_STORAGE"] = "OrleansLua:Storage",
        ["ORLEANSLUA_APPENDFSYNC"] = "OrleansLua:AppendFsync",
        // from a Secret: the default user's password (never logged)
        ["ORLEANSLUA_REQUIREPASS"] = "Gateway:Settings:requirepass",
        ["ORLEANSLUA_OTLP_ENDPOINT"] = "OrleansLua:Telemetry:OtlpEndpoint",
        ["ORLEANSLUA_OTLP_PROTOCOL"] = "OrleansLua:Telemetry:OtlpProtocol",
        ["ORLEANSLUA_METRICS_PORT"] = "OrleansLua:Telemetry:MetricsPort",
        ["ORLEANSLUA_TRACE_SAMPLE_RATIO"] = "OrleansLua:Telemetry:TraceSampleRatio",
    };

    /// <summary>The mapped values present in this process's environment.</summary>
    public static Dictionary<string, string?> FromEnvironment()
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (variable, key) in Variables)
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value) settings[key] = value;
        return settings;
    }

    /// <summary>Kubernetes sets this in every pod: Orleans' Kubernetes hosting needs the API server, so only then.</summary>
    public static bool InKubernetes => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));
}
