using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Grains.Persistence;
using OrleansLua.Grains.Scripting;

namespace OrleansLua.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Silo-level services the grains need (the Lua engine pool and script cache, storage).</summary>
    public static IServiceCollection AddOrleansLuaGrains(this IServiceCollection services, StorageOptions? storage = null)
    {
        services.AddOrleansLuaProcessState();
        services.AddSingleton<ScriptHost>();
        services.AddSingleton<LiveKeyspaces>();
        services.AddSingleton<ActiveExpiry>();
        services.AddOrleansLuaStorage(storage ?? new StorageOptions());
        return services;
    }
}
