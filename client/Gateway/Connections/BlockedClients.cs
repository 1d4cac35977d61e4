using System.Collections.Concurrent;
using OrleansLua.GrainInterfaces;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// This gateway's blocked clients: shard grains send a waiter's reply here (an Orleans observer)
/// when a write satisfies it, and the waiting connection picks it up.
/// </summary>
public sealed class BlockedClients(IGrainFactory grains) : IBlockedClientObserver
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<byte[]>> _waiting = new();
    private IBlockedClientObserver? _reference;

    public int Count => _waiting.Count;

    /// <summary>This object as an observer grains can call.</summary>
    public IBlockedClientObserver Reference => _reference ??= grains.CreateObjectReference<IBlockedClientObserver>(this);

    public (long Id, Task<byte[]> Reply) Register()
    {
        long id;
        var tcs = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        do id = Random.Shared.NextInt64(1, long.MaxValue); while (!_waiting.TryAdd(id, tcs));
        return (id, tcs.Task);
    }

    public void Unregister(long id) => _waiting.TryRemove(id, out _);

    public Task Served(long waiterId, byte[] reply)
    {
        if (_waiting.TryGetValue(waiterId, out var tcs)) tcs.TrySetResult(reply);
        return Task.CompletedTask;
    }
}
