using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces.Diagnostics;

namespace OrleansLua.Grains.Persistence;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The silo's storage: memory (nothing persists), the embedded SQLite store or PostgreSQL.</summary>
    public static IServiceCollection AddOrleansLuaStorage(this IServiceCollection services, StorageOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new SlotWriter(options, CreateStore(options), sp.GetRequiredService<ILogger<SlotWriter>>(),
            sp.GetService<OrleansLuaTelemetry>()));
        return services;
    }

    private static ISlotStore? CreateStore(StorageOptions options) => options.Kind switch
    {
        StorageKind.Memory => null,
        StorageKind.Local => new SqliteSlotStore(options.DataDir, options.AppendFsync == AppendFsync.Always),
        StorageKind.Postgres => new PostgresSlotStore(options.PostgresConnectionString
            ?? throw new ArgumentException("--storage postgres needs a connection string (--postgres)")),
        _ => throw new ArgumentOutOfRangeException(nameof(options)),
    };
}
