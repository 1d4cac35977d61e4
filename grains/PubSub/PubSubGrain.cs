using OrleansLua.Protocol;
using Orleans.Concurrency;
using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Keyspace;

namespace OrleansLua.Grains.PubSub;

/// <summary>
/// The cluster's Pub/Sub hub. Reentrant: deliveries to gateways are awaited concurrently, and
/// every state change happens between awaits. In memory: subscriptions are connection state, and
/// gateways re-register on reconnect.
/// </summary>
[Reentrant]
[KeepAlive]
public sealed class PubSubGrain : Grain, IPubSubGrain, IGrainMigrationParticipant
{
    private const string StateKey = "subscribers";

    private readonly Dictionary<byte[], Dictionary<IPubSubObserver, int>> _channels = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], Dictionary<IPubSubObserver, int>> _patterns = new(ByteArrayComparer.Instance);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Cluster.ShutdownMigration.OnDeactivating(this, reason);
        return Task.CompletedTask;
    }

    public void OnDehydrate(IDehydrationContext context) => context.TryAddValue(StateKey,
        (from pattern in new[] { false, true }
         from name in pattern ? _patterns : _channels
         from gateway in name.Value
         select new Subscribers(gateway.Key, name.Key, pattern, gateway.Value)).ToArray());

    public void OnRehydrate(IRehydrationContext context)
    {
        if (!context.TryGetValue(StateKey, out Subscribers[]? subscribers)) return;
        foreach (var s in subscribers) SetSubscribers(s.Gateway, s.Name, s.Pattern, s.Count);
    }

    public Task SetSubscribers(IPubSubObserver gateway, byte[] name, bool pattern, int count)
    {
        var table = pattern ? _patterns : _channels;
        if (!table.TryGetValue(name, out var gateways)) table[name] = gateways = [];
        if (count > 0) gateways[gateway] = count;
        else
        {
            gateways.Remove(gateway);
            if (gateways.Count == 0) table.Remove(name);
        }
        return Task.CompletedTask;
    }

    public async Task<long> Publish(byte[] channel, byte[] message)
    {
        var targets = new Dictionary<IPubSubObserver, List<byte[]>>();
        if (_channels.TryGetValue(channel, out var direct))
            foreach (var gateway in direct.Keys) targets[gateway] = [];
        foreach (var (pattern, gateways) in _patterns)
        {
            if (!GlobPattern.IsMatch(pattern, channel)) continue;
            foreach (var gateway in gateways.Keys)
            {
                if (!targets.TryGetValue(gateway, out var patterns)) targets[gateway] = patterns = [];
                patterns.Add(pattern);
            }
        }
        var delivered = await Task.WhenAll(targets.Select(async target =>
        {
            var (gateway, patterns) = target;
            try
            {
                return await gateway.Deliver(channel, message, patterns.ToArray());
            }
            catch (Exception)
            {
                ForgetGateway(gateway); // a gateway that is gone has no subscribers left
                return 0;
            }
        }));
        return delivered.Sum();
    }

    public Task<byte[][]> Channels(byte[]? pattern) =>
        Task.FromResult(_channels.Keys.Where(c => pattern is null || GlobPattern.IsMatch(pattern, c)).ToArray());

    public Task<long[]> NumSub(byte[][] channels) =>
        Task.FromResult(channels.Select(c => _channels.TryGetValue(c, out var g) ? (long)g.Values.Sum() : 0).ToArray());

    public Task<long> NumPat() => Task.FromResult((long)_patterns.Count);

    private void ForgetGateway(IPubSubObserver gateway)
    {
        foreach (var table in new[] { _channels, _patterns })
            foreach (var name in table.Keys.ToArray())
                if (table[name].Remove(gateway) && table[name].Count == 0) table.Remove(name);
    }
}

/// <summary>A gateway's subscriber count for one channel or pattern, as the hub hands it to its next activation.</summary>
[GenerateSerializer, Immutable]
public sealed record Subscribers([property: Id(0)] IPubSubObserver Gateway, [property: Id(1)] byte[] Name, [property: Id(2)] bool Pattern, [property: Id(3)] int Count);
