using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Scripting;

namespace OrleansLua.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Silo-level services the grains need (the Lua engine pool and script cache).</summary>
    public static IServiceCollection AddOrleansLuaGrains(this IServiceCollection services)
    {
        services.TryAddSingleton<ServerSettings>();
        services.AddSingleton<ScriptHost>();
        return services;
    }
}
