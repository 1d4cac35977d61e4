using OrleansLua.GrainInterfaces.Commands;

namespace OrleansLua.Client.Gateway;

/// <summary>A connection's MULTI queue and WATCHed keys (all in one slot, as Redis Cluster requires).</summary>
public sealed class TransactionState
{
    public bool Active { get; private set; }
    /// <summary>A queued command was refused: EXEC will answer EXECABORT.</summary>
    public bool Dirty { get; set; }
    public List<byte[][]> Commands { get; } = [];
    /// <summary>The queued commands' specs, as resolved when they were queued.</summary>
    public List<CommandSpec> Specs { get; } = [];
    /// <summary>The slot of the queued commands' keys, or -1 when none has a key yet.</summary>
    public int Slot { get; set; } = -1;
    /// <summary>The slot of the watched keys, or -1.</summary>
    public int WatchSlot { get; set; } = -1;
    public List<(byte[] Key, long Version)> Watches { get; } = [];

    public void Begin() => Active = true;

    public void EndMulti()
    {
        Active = false;
        Dirty = false;
        Commands.Clear();
        Specs.Clear();
        Slot = -1;
    }

    public void ClearWatches()
    {
        Watches.Clear();
        WatchSlot = -1;
    }
}
