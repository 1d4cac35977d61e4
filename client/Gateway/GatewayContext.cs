using Microsoft.Extensions.Options;
using OrleansLua.GrainInterfaces;

namespace OrleansLua.Client.Gateway;

/// <summary>What every connection of one gateway shares.</summary>
public sealed class GatewayContext
{
    public GatewayContext(IGrainFactory grains, IOptions<GatewayOptions> options, ClientRegistry clients, ServerStats stats)
    {
        Options = options.Value;
        Clients = clients;
        Stats = stats;
        Router = new SlotRouter(grains);
        FanOut = new FanOutCommands(Router);
        Connection = new ConnectionCommands(this, grains);
    }

    public GatewayOptions Options { get; }
    public ClientRegistry Clients { get; }
    public ServerStats Stats { get; }
    public SlotRouter Router { get; }
    public FanOutCommands FanOut { get; }
    public ConnectionCommands Connection { get; }
    /// <summary>The port the listener actually bound (differs from the option when it was 0).</summary>
    public int BoundPort { get; internal set; }

    public Task<byte[]> Invoke(int slot, ShardBatch batch) => Router.Shard(slot).Execute(batch);
}

/// <summary>Counters for INFO stats.</summary>
public sealed class ServerStats
{
    private long _commands;
    public DateTime Started { get; } = DateTime.UtcNow;
    public long CommandsProcessed => Interlocked.Read(ref _commands);
    public void CommandProcessed() => Interlocked.Increment(ref _commands);
}
