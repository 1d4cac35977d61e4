using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansLua.GrainInterfaces.Cluster;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// Keeps this process's <see cref="SlotMapFollower"/> current: follows the coordinator (which pushes every
/// new map) and follows again every few seconds with the map it holds, so a new coordinator activation
/// learns the newest map and its followers.
/// </summary>
public sealed class SlotMapSubscriber(SlotMapFollower map, IGrainFactory grains, ILogger<SlotMapSubscriber> logger) : IHostedService, ISlotMapObserver
{
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(5);

    private ISlotMapObserver? _reference;
    private Timer? _timer;

    private ISlotMapGrain Coordinator => grains.GetGrain<ISlotMapGrain>(0);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = grains.CreateObjectReference<ISlotMapObserver>(this);
        await FollowAsync();
        _timer = new Timer(_ => _ = FollowAsync(), null, RefreshPeriod, RefreshPeriod);
    }

    /// <summary>Follows again now, e.g. once this silo's node is known (the coordinator then pushes to it first when it gains slots).</summary>
    public Task FollowNowAsync() => FollowAsync();

    private async Task FollowAsync()
    {
        try
        {
            map.Apply(await Coordinator.Follow(_reference!, map.Current, map.Local?.Id));
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Could not follow the slot map; trying again in {Period}", RefreshPeriod);
        }
    }

    public Task Apply(SlotMap newer)
    {
        map.Apply(newer);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null) await _timer.DisposeAsync();
        if (_reference is not null) grains.DeleteObjectReference<ISlotMapObserver>(_reference);
    }
}
