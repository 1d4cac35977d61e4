using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Placement;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.GrainInterfaces.Security;
using OrleansLua.Grains.Blocking;
using OrleansLua.Grains.Cluster;
using OrleansLua.Grains.Commands;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Grains.Persistence;
using OrleansLua.Grains.Scripting;
using OrleansLua.Protocol;
using KeyspaceStore = OrleansLua.Grains.Keyspace.Keyspace;

namespace OrleansLua.Grains;

/// <summary>
/// One hash slot's keys. A batch of commands runs start to end with nothing interleaved: everything that
/// touches the keys holds the slot's gate (ShardGrain.Scripts.cs), whether it came as an Orleans call or
/// from the co-hosted gateway's fast path. A batch with a script runs on a pool thread while the grain
/// awaits it, so the grain stays reachable — later calls wait for the gate, or answer BUSY once the script
/// has run past busy-reply-threshold, and SCRIPT KILL reaches it; the grain is reentrant for that.
/// It is placed on the slot's owner in the slot map and migrates, with its state, when the owner
/// changes; KeepAlive keeps an idle slot's in-memory keys from being collected.
/// </summary>
[Reentrant]
[KeepAlive]
[SlotOwnerPlacement]
[GrainType(ShardGrainType.Name)]
public sealed partial class ShardGrain : Grain, IShardGrain
{

    private readonly KeyspaceStore _keys = new();
    // Small at first (a typical batch's replies are a few bytes; it grows as needed): 16,384 slots each hold one.
    private readonly RespWriter _writer = new(RespProtocol.Resp2, 64);
    private readonly CommandContext _context;
    private readonly ILogger<ShardGrain> _logger;
    private readonly ScriptHost _scripts;
    private readonly SlotWaiters _waiters = new();
    private readonly WatchedKeys _watched = new();
    private readonly List<int> _keyIndexes = [];
    private readonly SlotPersistence _persistence;
    private readonly CommandMeter _meter;
    private readonly AccessControl _acl;
    private readonly LiveKeyspaces _live;
    private readonly SlotActivity _activity;
    private readonly LocalShards _localShards;
    private readonly ActiveExpiry _expiry;
    private int _slot;

    public ShardGrain(ILogger<ShardGrain> logger, ScriptHost scripts, SlotWriter storage, CommandStats stats, CommandMeter meter,
        AccessControl acl, LiveKeyspaces live, SlotActivity activity, LocalShards localShards, ActiveExpiry expiry)
    {
        _expiry = expiry;
        _activity = activity;
        _localShards = localShards;
        _logger = logger;
        _live = live;
        _scripts = scripts;
        _meter = meter;
        _acl = acl;
        _writer.ErrorWritten = stats.ErrorReplied;
        _context = new CommandContext(_keys, _writer);
        _persistence = new SlotPersistence(storage, _keys, _gate, () => this.DeactivateOnIdle());
        _keys.KeyChanging = key =>
        {
            _waiters.KeyChanging(key);
            _watched.KeyChanging(key);
            _persistence.KeyChanged(key);
        };
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _slot = (int)this.GetPrimaryKeyLong();
        if (!await AdoptHandedOverAsync(cancellationToken)) await _persistence.LoadAsync(_slot, cancellationToken);
        _live.Activated(_slot, _keys);
        EnsureActiveExpiry();
        _localShards.Register(_slot, this);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await CloseAsync();
        _live.Deactivated(_slot, _keys);
        await _persistence.FlushForDeactivationAsync(cancellationToken);
    }

    /// <summary>
    /// Runs the batch's commands in order (a transaction as one array reply, or a null array when a
    /// watched key changed), then serves blocked clients whose keys it wrote. The caller holds the gate;
    /// it may run off the grain turn (script batches, the gateway's fast path).
    /// </summary>
    private byte[] ExecuteBatch(ShardBatch batch)
    {
        _activity.Begin(_slot);
        try
        {
            return ExecuteBatchCore(batch);
        }
        finally
        {
            _activity.End(_slot);
        }
    }

    /// <summary>EXEC's check: no watched key was written, deleted or has expired since WATCH.</summary>
    private bool UnchangedSinceWatch(WatchedKey[] watches)
    {
        ExpireNow(watches.Select(w => w.Key));
        return _watched.Unchanged(watches);
    }

    private byte[] ExecuteBatchCore(ShardBatch batch)
    {
        _writer.Reset();
        _context.Client = batch.Client;
        _writer.Protocol = (RespProtocol)batch.Protocol;
        _context.Reply = _writer;
        // A restricted user's scripts are checked command by command (a deleted user may do nothing)
        _context.User = batch.User is null ? null : _acl.Find(batch.User) ?? AclUser.Nobody;
        if (batch.Transaction)
        {
            if (batch.Watches is { Length: > 0 } watches && !UnchangedSinceWatch(watches))
            {
                _writer.WriteNullArray();
                return _writer.ToArray();
            }
            _writer.WriteArrayHeader(batch.Commands.Length);
        }
        for (int i = 0; i < batch.Commands.Length; i++)
        {
            _context.Args = batch.Commands[i];
            _context.Now = UnixTime.NowMilliseconds();
            ExecuteMeasured(_context, batch, i);
        }
        var replies = _writer.ToArray();
        ServeWaiters();
        return replies;
    }

    /// <summary>Runs one command, counted for INFO commandstats and the slow log (fan-out commands are counted once, by the gateway).</summary>
    private void ExecuteMeasured(CommandContext context, ShardBatch batch, int index)
    {
        var spec = batch.Spec(index, out var error);
        if (spec is null)
        {
            context.Reply.WriteError(error!);
            return;
        }
        int mark = _writer.Length;
        _activity.Running(_slot, spec.Name);
        long started = CommandMeter.Start();
        ExecuteOne(context, spec);
        if (spec.Routing == CommandRouting.AllSlots) return;
        _meter.Ran(spec, started, _writer.Length > mark && _writer.WrittenSpan[mark] == (byte)'-', context.Args, batch.ClientAddress, batch.ClientName);
    }

    private void ExecuteOne(CommandContext context, CommandSpec spec)
    {
        if (spec.RunsScript)
        {
            _scripts.Run(context, spec, _slot, context.Reply);
            return;
        }
        var handler = CommandHandlers.For(spec);
        if (handler is null)
        {
            context.Reply.WriteError($"ERR '{spec.Name}' cannot run inside a shard");
            return;
        }
        try
        {
            handler(context);
        }
        catch (Exception ex)
        {
            // One failing command must not abort the rest of its batch (or a transaction).
            _logger.LogError(ex, "Command {Command} failed in slot {Slot}", spec.Name, this.GetPrimaryKeyLong());
            context.Reply.WriteError("ERR " + ex.Message);
        }
    }
}
