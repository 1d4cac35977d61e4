using Orleans.Placement;
using Orleans.Runtime.Placement;
using OrleansLua.GrainInterfaces.Cluster;

namespace OrleansLua.Grains.Cluster;

/// <summary>Places a slot's grains (key = slot number) on the slot's owner in the slot map.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SlotOwnerPlacement : PlacementStrategy
{
    internal static readonly SlotOwnerPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SlotOwnerPlacementAttribute() : PlacementAttribute(SlotOwnerPlacement.Instance);

/// <summary>
/// Consulted only when a slot has no activation (Orleans keeps an activation where it is): the owner in
/// this silo's copy of the map when that silo is up; an explicit migration hint first; and, while no map
/// names an owner that is up, a stable hash over the silos that are (the next map change moves the slot).
/// </summary>
public sealed class SlotOwnerPlacementDirector(SlotMapFollower map) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, compatible) is { } hint) return Task.FromResult(hint);
        int slot = (int)target.GrainIdentity.GetIntegerKey();
        if (map.Current.Owner(slot) is { Failed: false } owner && Array.IndexOf(compatible, owner.Silo) >= 0) return Task.FromResult(owner.Silo);
        var silos = compatible.Order().ToArray(); // a copy: Orleans may share the array
        return Task.FromResult(silos[(int)(target.GrainIdentity.GetUniformHashCode() % (uint)silos.Length)]);
    }
}
