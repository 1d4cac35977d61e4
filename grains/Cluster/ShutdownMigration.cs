namespace OrleansLua.Grains.Cluster;

/// <summary>
/// The cluster's one-of-a-kind grains (script registry, Pub/Sub hub, slot map coordinator) keep state that a
/// new activation could only partly rebuild. When their silo shuts down gracefully they migrate with it to a
/// silo that stays (Orleans places them anew; the stopping silo is no longer a candidate), instead of being
/// deactivated: Orleans itself migrates at shutdown only activations that have requests queued.
/// </summary>
internal static class ShutdownMigration
{
    public static void OnDeactivating(IGrainBase grain, DeactivationReason reason)
    {
        if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown) grain.MigrateOnIdle();
    }
}
