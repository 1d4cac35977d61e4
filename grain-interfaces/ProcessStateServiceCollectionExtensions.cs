using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.GrainInterfaces.Security;

namespace OrleansLua.GrainInterfaces;

public static class ProcessStateServiceCollectionExtensions
{
    /// <summary>
    /// What a silo's grains and its co-hosted gateway share, once per process: settings, ACL users,
    /// the cluster-state follower and the command counters and slow log. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddOrleansLuaProcessState(this IServiceCollection services)
    {
        services.TryAddSingleton<ServerSettings>();
        services.TryAddSingleton<AccessControl>();
        services.TryAddSingleton<ClusterStateFollower>();
        services.TryAddSingleton<CommandStats>();
        services.TryAddSingleton<SlowLog>();
        return services;
    }
}
