using OrleansLua.Grains.Persistence;

namespace OrleansLua.Silo.Storage;

/// <summary>
/// Opens storage before the silo takes calls and closes it after the silo has deactivated its slots
/// (which flush on deactivation), so a graceful shutdown stores every acknowledged write.
/// </summary>
public sealed class StorageLifecycle(SlotWriter writer) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(StorageLifecycle),
        ServiceLifecycleStage.ApplicationServices,
        writer.StartAsync,
        async _ => await writer.DisposeAsync());
}

