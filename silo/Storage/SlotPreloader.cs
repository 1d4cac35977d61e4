using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Persistence;

namespace OrleansLua.Silo.Storage;

/// <summary>
/// Before the gateway listens, activates every slot that has stored keys (each loads its keys), so
/// DBSIZE, KEYS, SCAN and INFO keyspace — which visit active slots — see the whole dataset, as Redis
/// loads its dataset before serving. In a cluster every starting silo does this; slots already active
/// elsewhere just answer.
/// </summary>
public sealed class SlotPreloader(SlotWriter storage, IGrainFactory grains, ILogger<SlotPreloader> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(SlotPreloader), ServiceLifecycleStage.Active, PreloadAsync);

    private async Task PreloadAsync(CancellationToken cancellation)
    {
        if (storage.Store is null) return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var slots = await storage.Store.StoredSlotsAsync(cancellation);
        await Parallel.ForEachAsync(slots, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellation },
            async (slot, _) => await grains.GetGrain<IShardGrain>(slot).Stats());
        logger.LogInformation("Loaded {Slots} slots with stored keys in {Elapsed:F1} s", slots.Count, clock.Elapsed.TotalSeconds);
    }
}
