using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Core.Internal;
using OrleansLua.Client.Gateway;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Cluster;
using OrleansLua.Grains.Keyspace;
using OrleansLua.Grains.Persistence;

namespace OrleansLua.Silo.Slots;

/// <summary>
/// This silo as a node of the slot map. Once its gateway listens it joins (again every few seconds, with
/// the map it knows); whenever the map gives one of its active slots to another node, it migrates that
/// slot's grain there, a few at a time so the silo keeps serving; slots it gains from a dead node that
/// have stored keys it activates, so commands that visit every slot see them. On a graceful stop it
/// leaves as soon as the host starts stopping — before its gateway closes connections, so clients that
/// reconnect elsewhere already find the slots' new owners — and Orleans' shutdown waits until every slot
/// has moved away.
/// </summary>
public sealed class SlotMover(SlotMapFollower map, LiveKeyspaces live, IGrainFactory grains, ILocalSiloDetails silo,
    GatewayContext gateway, SlotMapSubscriber subscriber, SlotWriter storage, IHostApplicationLifetime lifetime, ILogger<SlotMover> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Slots migrating at once: each waits for its grain's running request, then ships its keys.</summary>
    private const int ConcurrentMoves = 8;
    private static readonly TimeSpan MoveTimeout = TimeSpan.FromSeconds(30);
    /// <summary>How long a graceful stop may spend moving slots away (k8s/ gives the pod 90 s: preStop, then this and storing).</summary>
    public static readonly TimeSpan LeaveBudget = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan ForwardingLinger = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _moves = new(ConcurrentMoves);
    private readonly Lock _lock = new();
    private readonly HashSet<int> _moving = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _joining;
    private Task? _leaving;

    private ISlotMapGrain Coordinator => grains.GetGrain<ISlotMapGrain>(0);

    private int Moving
    {
        get { lock (_lock) return _moving.Count; }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        // Above Active: on stop this runs first, while the silo is still active and serving.
        lifecycle.Subscribe(nameof(SlotMover), ServiceLifecycleStage.Active + 1, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellation)
    {
        map.Changed += OnMapChanged;
        _joining = JoinLoopAsync(_stopping.Token);
        lifetime.ApplicationStopping.Register(() => BeginLeaving());
        return Task.CompletedTask;
    }

    private async Task JoinLoopAsync(CancellationToken stopping)
    {
        try
        {
            await gateway.Listening.WaitAsync(stopping);
            var (ip, port, hostname) = gateway.Announcement(silo.SiloAddress.Endpoint.Address);
            var node = new ClusterNode
            {
                Id = ClusterNode.IdOf(silo.SiloAddress),
                Silo = silo.SiloAddress,
                Ip = ip,
                Port = port,
                Hostname = hostname,
                BusPort = silo.SiloAddress.Endpoint.Port,
            };
            map.Local = node;
            await subscriber.FollowNowAsync(); // as this node: it learns every map that gives it slots first
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    map.Apply(await Coordinator.Join(node, map.Current));
                    gateway.MarkJoined();
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    logger.LogDebug(ex, "Could not join the slot map; trying again in {Period}", SlotMapSubscriber.RefreshPeriod);
                }
                await Task.Delay(SlotMapSubscriber.RefreshPeriod, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Slots this silo hosts that the new map gives to another node move; slots gained from a failed node load.</summary>
    private void OnMapChanged(SlotMap previous, SlotMap current)
    {
        if (map.Local is not { } local) return;
        foreach (int slot in live.ActiveSlots())
            if (current.Owner(slot) is { Failed: false } owner && owner.Id != local.Id) _ = MoveAsync(slot);
        if (storage.Store is not null) _ = LoadGainedAsync(previous, current, local);
    }

    private async Task MoveAsync(int slot)
    {
        lock (_lock)
            if (!_moving.Add(slot)) return;
        try
        {
            await _moves.WaitAsync();
            try
            {
                if (!live.IsActive(slot)) return;
                var shard = grains.GetGrain<IShardGrain>(slot);
                // Orleans asks the placement director (this silo's map: the new owner) where the activation goes.
                await shard.Cast<IGrainManagementExtension>().MigrateOnIdle();
                // Done once the slot answers from elsewhere: calls made meanwhile wait for the new activation.
                var deadline = DateTime.UtcNow + MoveTimeout;
                while (silo.SiloAddress.Equals(await shard.Host().WaitAsync(MoveTimeout)))
                {
                    if (DateTime.UtcNow > deadline)
                    {
                        logger.LogWarning("Slot {Slot} did not move within {Timeout} (a long script or transaction holds it?)", slot, MoveTimeout);
                        return;
                    }
                    await Task.Delay(10);
                }
            }
            finally
            {
                _moves.Release();
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Slot {Slot} could not move to its new owner", slot);
        }
        finally
        {
            lock (_lock) _moving.Remove(slot);
        }
    }

    /// <summary>Slots that came to this node from one that failed (no hand-over): activate those with stored keys.</summary>
    private async Task LoadGainedAsync(SlotMap previous, SlotMap current, ClusterNode local)
    {
        try
        {
            var gained = Enumerable.Range(0, HashSlot.Count)
                .Where(s => current.Owner(s)?.Id == local.Id && previous.Owner(s) is { } before && before.Id != local.Id
                    && (current.FindById(before.Id) is null or { Failed: true }))
                .ToHashSet();
            if (gained.Count == 0) return;
            var stored = await storage.Store!.StoredSlotsAsync(_stopping.Token);
            var load = stored.Where(gained.Contains).ToList();
            await Parallel.ForEachAsync(load, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = _stopping.Token },
                async (slot, _) => await grains.GetGrain<IShardGrain>(slot).Stats());
            if (load.Count > 0) logger.LogInformation("Loaded {Slots} slots with stored keys taken over from failed nodes", load.Count);
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Slots taken over from a failed node could not be loaded; they load when first used");
        }
    }

    /// <summary>Orleans' shutdown of this silo continues once its slots have moved away (or the budget ran out).</summary>
    private async Task StopAsync(CancellationToken cancellation)
    {
        try
        {
            await BeginLeaving().WaitAsync(cancellation);
        }
        finally
        {
            map.Changed -= OnMapChanged;
        }
    }

    private Task BeginLeaving()
    {
        lock (_lock) return gateway.Leaving = _leaving ??= LeaveAsync();
    }

    /// <summary>Graceful stop: leave the map, then move every active slot to its new owner within the budget.</summary>
    private async Task LeaveAsync()
    {
        await Task.Yield(); // not on the host's stopping callback
        _stopping.Cancel();
        if (_joining is not null) await _joining;
        if (map.Local is null) return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var budget = new CancellationTokenSource(LeaveBudget);
            var without = await Coordinator.Leave(silo.SiloAddress).WaitAsync(budget.Token);
            map.Apply(without);
            if (!without.Nodes.Any(n => !n.Failed && n.Id != map.Local.Id)) return; // the last node: nowhere to go
            int active = live.ActiveSlots().Count;
            // OnMapChanged started the moves; make sure every slot still here goes, and wait until each arrived.
            while (live.ActiveSlots() is var remaining && (remaining.Count > 0 || Moving > 0))
            {
                foreach (int slot in remaining) _ = MoveAsync(slot);
                await Task.Delay(50, budget.Token);
            }
            logger.LogInformation("Left the slot map: {Slots} slots moved to other nodes in {Elapsed:F1} s", active, clock.Elapsed.TotalSeconds);
            // Callers that still address a moved slot here are forwarded to its new silo, and learn it: give
            // the calls in flight that time before the silo stops taking messages.
            await Task.Delay(ForwardingLinger, budget.Token);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Leaving the slot map did not finish in {Elapsed:F1} s ({Slots} slots still here); Orleans deactivates them",
                clock.Elapsed.TotalSeconds, live.ActiveSlots().Count);
        }
    }
}
