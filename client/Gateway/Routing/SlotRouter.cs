using Orleans.Runtime;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.GrainInterfaces.Cluster;
using OrleansLua.GrainInterfaces.Configuration;
using OrleansLua.GrainInterfaces.Diagnostics;

namespace OrleansLua.Client.Gateway;

/// <summary>Maps keys to slots and slots to shard grain references; finds the slots that hold data.</summary>
public sealed class SlotRouter(IGrainFactory grains, ServerSettings settings, SlotMapFollower map, LocalShards local, GrainCallRetry? retry = null)
{
    public const string CrossSlotError = "CROSSSLOT Keys in request don't hash to the same slot";

    /// <summary>What a fan-out waits for a slot beyond busy-reply-threshold (past it a slot with a running script answers BUSY).</summary>
    public static readonly TimeSpan FanOutMargin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a command that visits every slot waits for one of them: a slot that has not answered by
    /// then is stuck in an earlier request (INFO slots and the log name it), and the command answers
    /// TRYAGAIN instead of hanging.
    /// </summary>
    public TimeSpan FanOutBound => TimeSpan.FromMilliseconds(settings.BusyReplyThresholdMs) + FanOutMargin;

    /// <summary>
    /// With cluster-redirects on, a request for a slot another node owns is answered <c>-MOVED slot ip:port</c>
    /// (Redis Cluster's redirect; the client retries there and updates its map) instead of being forwarded. Null
    /// when this node serves it. A moving slot is served by its new owner from the moment the map names it
    /// (Orleans hands the activation over behind it), so there is never an -ASK.
    /// </summary>
    public string? Redirect(int slot)
    {
        if (slot < 0 || !settings.ClusterRedirectsEnabled) return null;
        var owner = map.Current.Owner(slot);
        return owner is null || owner.Failed || owner.Id == map.Local?.Id ? null : $"MOVED {slot} {owner.Endpoint}";
    }

    /// <summary>Fan-out commands with cluster-redirects on act on this node's slots only, as on a Redis Cluster node.</summary>
    public bool ServesHere(int slot) => !settings.ClusterRedirectsEnabled || Redirect(slot) is null;

    /// <summary>One slot's part of a fan-out command (retried as its kind allows), bounded by <see cref="FanOutBound"/>.</summary>
    public Task<T> FanOutCall<T>(int slot, string command, Task<T> call) => WithinBound(call, (slot, command), static (bound, s) =>
        new TryAgainException($"slot {s.slot} did not answer {s.command.ToUpperInvariant()} within {bound.TotalMilliseconds:0} ms: it is still busy with an earlier request (see INFO slots)"));

    /// <summary>The call's result, or <paramref name="timedOut"/>'s exception once <see cref="FanOutBound"/> has passed.</summary>
    private async Task<T> WithinBound<T, TState>(Task<T> call, TState state, Func<TimeSpan, TState, Exception> timedOut)
    {
        var bound = FanOutBound;
        try
        {
            return await call.WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            throw timedOut(bound, state);
        }
    }

    private readonly IShardGrain?[] _shards = new IShardGrain?[HashSlot.Count];

    public IShardGrain Shard(int slot) => _shards[slot] ??= grains.GetGrain<IShardGrain>(slot);

    /// <summary>Retries calls that fail while a silo is being declared dead.</summary>
    public GrainCallRetry Retry { get; } = retry ?? new GrainCallRetry();

    /// <summary>The gateway's RESP port, for the call spans.</summary>
    internal int GatewayPort { get; set; }

    /// <summary>A read that may be retried, for fan-out commands (SCAN pages, key counts).</summary>
    public Task<T> Read<T>(int slot, string what, Func<IShardGrain, Task<T>> call) =>
        Retry.RunAsync((Shard: Shard(slot), Call: call), static s => s.Call(s.Shard), static _ => true, what);

    /// <summary>
    /// Runs a batch on a slot's shard grain: when its activation lives in this silo and the slot is free, right
    /// here under the slot's gate (<see cref="ILocalShard"/>, no message, no thread hop); else as an Orleans call,
    /// retried as <see cref="GrainCallRetry"/> allows and traced when a tracer listens.
    /// </summary>
    public Task<byte[]> Execute(int slot, ShardBatch batch) =>
        local.TryExecute(slot, batch, out var replies) ? replies
        : OrleansLuaTelemetry.GatewaySource.HasListeners()
            ? ShardCallTracing.Run((Router: this, Slot: slot, Batch: batch), static s => s.Router.ExecuteUntraced(s.Slot, s.Batch), slot, batch, GatewayPort)
            : ExecuteUntraced(slot, batch);

    private Task<byte[]> ExecuteUntraced(int slot, ShardBatch batch) =>
        Retry.RunAsync((Router: this, Slot: slot, Batch: batch), static s => s.Router.Bounded(s.Router.Shard(s.Slot).Execute(s.Batch), s.Batch),
            static s => GrainCallRetry.IsReadOnly(s.Slot, s.Batch), "Shard batch");

    /// <summary>With <see cref="GatewayOptions.BoundCalls"/>: a batch without a script (Client is set only for those) answers within the bound.</summary>
    public bool BoundCalls { get; set; }

    private Task<byte[]> Bounded(Task<byte[]> call, ShardBatch batch) =>
        BoundCalls && batch.Client is null
            ? WithinBound(call, 0, static (bound, _) => new UnansweredCallException($"no answer within {bound.TotalMilliseconds:0} ms"))
            : call;

    /// <summary>
    /// The single slot of a command's keys: -1 if it has none, or an error (CROSSSLOT, bad key count).
    /// </summary>
    public static int SlotOf(CommandSpec spec, byte[][] args, List<int> scratch, out string? error)
    {
        scratch.Clear();
        error = spec.Keys.Collect(args, scratch);
        if (error is not null) return -1;
        int slot = -1;
        foreach (int index in scratch)
        {
            int s = HashSlot.Of(args[index]);
            if (slot == -1) slot = s;
            else if (s != slot)
            {
                error = CrossSlotError;
                return -1;
            }
        }
        return slot;
    }

    /// <summary>
    /// Slots whose shard grain is active anywhere in the cluster, ascending: only they can hold keys (with
    /// cluster-redirects on, this node's only).
    /// </summary>
    public async Task<int[]> ActiveSlotsAsync()
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var ids = await Retry.RunAsync(() => management.GetActiveGrains(GrainType.Create(ShardGrainType.Name)).AsTask(), readOnly: true, "Active slots");
        var slots = ids.Select(id => (int)id.GetIntegerKey()).Where(s => s is >= 0 and < HashSlot.Count && ServesHere(s)).Distinct().ToArray();
        Array.Sort(slots);
        return slots;
    }
}
