using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansLua.GrainInterfaces.Cluster;
using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.GrainInterfaces.Security;

namespace OrleansLua.GrainInterfaces;

public static class ProcessStateServiceCollectionExtensions
{
    /// <summary>
    /// What a silo's grains and its co-hosted gateway share, once per process: settings, ACL users,
    /// the cluster-state follower, the command counters and slow log, and the OpenTelemetry instruments
    /// (their meter comes from the IMeterFactory that Orleans' silo and client registration adds). Safe to call twice.
    /// </summary>
    public static IServiceCollection AddOrleansLuaProcessState(this IServiceCollection services)
    {
        services.TryAddSingleton<ServerSettings>();
        services.TryAddSingleton<AccessControl>();
        services.TryAddSingleton<ClusterStateFollower>();
        services.TryAddSingleton<CommandStats>();
        services.TryAddSingleton<SlowLog>();
        services.TryAddSingleton<CommandMeter>();
        services.TryAddSingleton<OrleansLuaTelemetry>();
        services.TryAddSingleton<SlotActivity>();
        services.TryAddSingleton<SlotMapFollower>();
        services.TryAddSingleton<LocalShards>();
        return services;
    }
}
