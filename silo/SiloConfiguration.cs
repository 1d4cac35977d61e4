using Microsoft.Extensions.Configuration;

using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrleansLua.Client.Clustering;
using OrleansLua.Client.Gateway;
using OrleansLua.Client.Hosting;
using OrleansLua.Client.Telemetry;
using OrleansLua.Grains;
using OrleansLua.Grains.Persistence;
using OrleansLua.Silo.Hosting;
using OrleansLua.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using OrleansLua.Silo.Clustering;
using OrleansLua.Silo.Slots;
using OrleansLua.Grains.Cluster;
using Microsoft.Extensions.Hosting;

namespace OrleansLua.Silo;

/// <summary>How a silo is set up from configuration and the command line.</summary>
public static class SiloConfiguration
{
    /// <summary>How long a silo-side caller waits for a grain call: as long as a standalone gateway does.</summary>
    public static readonly TimeSpan ScriptCallTimeout = StandaloneGateway.ScriptCallTimeout;

    /// <summary>The largest message between silos: a slot whose keys exceed it cannot migrate live (docs/cluster.md).</summary>
    public const int MaxSlotMessageBytes = 1 << 30;

    /// <summary>Moving slots away (<see cref="SlotMover.LeaveBudget"/>) plus storing and stopping.</summary>
    public static readonly TimeSpan ShutdownTimeout = SlotMover.LeaveBudget + TimeSpan.FromSeconds(30);

    /// <summary>The standalone gateway's switches (RESP and clustering) plus the silo's own.</summary>
    public static readonly Dictionary<string, string> SwitchMappings = new(StandaloneGateway.SwitchMappings)
    {
        ["--silo-port"] = "Orleans:SiloPort",
        ["--advertise"] = "Orleans:AdvertisedIP",
        ["--storage"] = "OrleansLua:Storage",
        ["--data-dir"] = "OrleansLua:DataDir",
        ["--appendfsync"] = "OrleansLua:AppendFsync",
        ["--health-port"] = "OrleansLua:HealthPort",
    };

    public static void Configure(ISiloBuilder silo, IConfiguration configuration)
    {
        silo.UseOrleansLuaClustering(configuration);
        // Pod name as silo name, pod IP advertised, dead silos' pods noticed; membership stays PostgreSQL's.
        if (EnvironmentSettings.InKubernetes) silo.UseKubernetesHosting();
        silo.AddOrleansLua(configuration);
        silo.AddOrleansLuaTelemetry(TelemetryOptions.From(configuration));
    }

    /// <summary>
    /// OpenTelemetry as configured (--otlp-endpoint, --metrics-port, --trace-sample-ratio), plus Orleans' activity
    /// propagation when traces are on, so Orleans' grain-call spans become children of the gateway's.
    /// </summary>
    public static ISiloBuilder AddOrleansLuaTelemetry(this ISiloBuilder silo, TelemetryOptions options,
        Action<MeterProviderBuilder>? metrics = null, Action<TracerProviderBuilder>? tracing = null)
    {
        if (silo.Services.AddOrleansLuaTelemetry(options, "orleanslua-silo", metrics, tracing)) silo.AddActivityPropagation();
        return silo;
    }

    /// <summary>
    /// --health-port: the probes' HTTP endpoints. They listen from the host's first start step to its last stop
    /// step: liveness answers while the silo starts and drains, readiness says 503.
    /// </summary>
    public static void AddHealthEndpoints(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue("OrleansLua:HealthPort", 0) is not (> 0 and var port)) return;
        services.AddSingleton(new HealthOptions(port));
        services.AddSingleton<HealthEndpoints>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthEndpoints>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<HealthEndpoints>());
    }

    /// <summary>--storage, --data-dir, --appendfsync, --postgres (memory when not configured).</summary>
    public static StorageOptions StorageFrom(IConfiguration? configuration)
    {
        var options = new StorageOptions();
        if (configuration is null) return options;
        options.Kind = StorageOptions.ParseKind(configuration["OrleansLua:Storage"]);
        options.AppendFsync = StorageOptions.ParseAppendFsync(configuration["OrleansLua:AppendFsync"]);
        options.DataDir = configuration["OrleansLua:DataDir"] ?? options.DataDir;
        options.PostgresConnectionString = ClusterSettings.Postgres(configuration); // with the project's timeouts
        if (options.Kind == StorageKind.Local && ClusterSettings.Mode(configuration) == "postgres")
            throw new ArgumentException("--storage local keeps slots on this machine only: a cluster of silos needs --storage postgres");
        return options;
    }

    /// <summary>The grains' silo services plus the co-hosted RESP gateway (also used by test clusters).</summary>
    public static ISiloBuilder AddOrleansLua(this ISiloBuilder silo, IConfiguration? configuration = null,
        Action<GatewayOptions>? configureGateway = null)
    {
        silo.Configure<Orleans.Configuration.SiloMessagingOptions>(o =>
        {
            // A script may run for minutes (until SCRIPT KILL); its caller waits, as a Redis client would.
            o.ResponseTimeout = ScriptCallTimeout;
            // A migrating slot ships all its keys in one message.
            o.MaxMessageBodySize = MaxSlotMessageBytes;
        });
        // Slots are placed on their owner in the slot map, and move (with their keys) when it changes.
        silo.AddPlacementDirector<SlotOwnerPlacement, SlotOwnerPlacementDirector>();
        // The default (DHT) directory deactivates every activation whose registration lived on a silo that
        // leaves, even gracefully: a third of all slots, keys and all, when one of three silos stops. The
        // distributed directory hands its ranges over and recovers them from the live activations instead.
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        // After a crash it holds the dead silo's grains back from re-registering for RangeLeaseDuration (30 s by
        // default, counted from the estimated failure), in case the silo still runs. A silo declared dead stops
        // itself and storage fences a stale activation's writes, so a few seconds past detection (~1.5 s) do.
        // The directory cache holds where grains live; its default size (a million) preallocates ~18 MB. The
        // 16,384 slot grains, pub/sub and script grains fit in a tenth of that.
        silo.Configure<Orleans.Configuration.GrainDirectoryOptions>(o =>
        {
            o.RangeLeaseDuration = TimeSpan.FromSeconds(5);
            o.CacheSize = 100_000;
        });
        silo.Services.AddSingleton<SlotMover>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SlotMover>());
        // A graceful stop first moves the silo's slots away (SlotMover.LeaveBudget), then stores and stops.
        silo.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        var storage = StorageFrom(configuration);
        silo.Services.AddOrleansLuaGrains(storage);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StorageLifecycle>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ClusterStateStartup>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SlotPreloader>();
        silo.Services.AddRespGateway(configuration, gateway =>
        {
            gateway.AppendOnly = storage.Kind != StorageKind.Memory;
            gateway.JoinsSlotMap = true;
            gateway.AppendFsync = storage.AppendFsync.ToString().ToLowerInvariant();
            configureGateway?.Invoke(gateway);
        });
        return silo;
    }
}
