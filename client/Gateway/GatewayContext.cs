using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansLua.GrainInterfaces;

namespace OrleansLua.Client.Gateway;

/// <summary>What every connection of one gateway shares.</summary>
public sealed class GatewayContext
{
    public GatewayContext(IGrainFactory grains, IOptions<GatewayOptions> options, ClientRegistry clients, ServerStats stats,
        ServerSettings settings, ILogger<GrainCallRetry>? retryLogger = null)
    {
        _grains = grains;
        Options = options.Value;
        Clients = clients;
        Stats = stats;
        Router = new SlotRouter(grains, new GrainCallRetry(retryLogger));
        FanOut = new FanOutCommands(Router);
        Connection = new ConnectionCommands(this, grains, settings);
        Blocked = new BlockedClients(grains);
        PubSub = new PubSubBroker(grains);
    }

    private readonly IGrainFactory _grains;

    public GatewayOptions Options { get; }
    public ClientRegistry Clients { get; }
    public ServerStats Stats { get; }
    public SlotRouter Router { get; }
    public FanOutCommands FanOut { get; }
    public ConnectionCommands Connection { get; }
    public BlockedClients Blocked { get; }
    public PubSubBroker PubSub { get; }
    public IPubSubGrain PubSubHub => _grains.GetGrain<IPubSubGrain>(0);
    /// <summary>The port the listener actually bound (differs from the option when it was 0).</summary>
    public int BoundPort { get; internal set; }

    /// <summary>Runs a batch on a slot's shard grain; slot -1 is a keyless script (stateless worker).</summary>
    public Task<byte[]> Invoke(int slot, ShardBatch batch) =>
        slot >= 0 ? Router.Execute(slot, batch)
            : Router.Retry.RunAsync((Grains: _grains, Batch: batch), static s => s.Grains.GetGrain<IScriptWorkerGrain>(0).Execute(s.Batch),
                static _ => true, "Keyless script");
}

/// <summary>Counters for INFO stats.</summary>
public sealed class ServerStats
{
    private long _commands;
    public DateTime Started { get; } = DateTime.UtcNow;
    public long CommandsProcessed => Interlocked.Read(ref _commands);
    public void CommandProcessed() => Interlocked.Increment(ref _commands);
}
