namespace OrleansLua.GrainInterfaces;

/// <summary>
/// A slot's activation in this process, on which the co-hosted gateway may run a batch itself instead of
/// sending it as an Orleans message: the same code under the slot's own exclusion, without the message, the
/// activation's scheduler and the thread hops (<see cref="LocalShards"/>).
/// </summary>
public interface ILocalShard
{
    /// <summary>
    /// Runs a batch without a script now, on the calling thread, if the slot is free; false when it is not (a
    /// script or another call holds it, the batch has a script, the activation is going away): the caller then
    /// sends the batch through Orleans, which queues it and applies the BUSY rules.
    /// </summary>
    bool TryExecute(ShardBatch batch, out Task<byte[]> replies);
}

/// <summary>The slots whose activation lives in this process (none in a standalone gateway), by slot.</summary>
public sealed class LocalShards
{
    private readonly ILocalShard?[] _bySlot = new ILocalShard?[HashSlot.Count];

    public void Register(int slot, ILocalShard shard) => Volatile.Write(ref _bySlot[slot], shard);

    /// <summary>Only if it is still this activation's (a newer one may have registered already).</summary>
    public void Unregister(int slot, ILocalShard shard) => Interlocked.CompareExchange(ref _bySlot[slot], null, shard);

    public bool TryExecute(int slot, ShardBatch batch, out Task<byte[]> replies)
    {
        if (Volatile.Read(ref _bySlot[slot]) is { } shard && shard.TryExecute(batch, out replies)) return true;
        replies = null!;
        return false;
    }
}
