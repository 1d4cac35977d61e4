using System.Text;
using OrleansLua.LoadGen.Cluster;
using OrleansLua.LoadGen.Resp;
using OrleansLua.LoadGen.Workloads;

namespace OrleansLua.LoadGen;

/// <summary>
/// The keyspaces of a run, for workload setup and the end-of-run check: one per port (the ports may be
/// separate servers), or in cluster mode one for the whole cluster.
/// </summary>
public sealed class Keyspaces : IAsyncDisposable
{
    private readonly List<RespConnection> _connections = [];

    public IReadOnlyList<IKeyspace> All { get; private set; } = [];

    public static async Task<Keyspaces> ConnectAsync(Options options, ClusterMap? map)
    {
        var keyspaces = new Keyspaces();
        try
        {
            if (map is null)
            {
                var all = new List<IKeyspace>();
                foreach (int port in options.Ports)
                {
                    var connection = await RespConnection.ConnectAsync(options.Host, port, CancellationToken.None);
                    keyspaces._connections.Add(connection);
                    all.Add(new PortKeyspace(connection));
                }
                keyspaces.All = all;
            }
            else
            {
                var nodes = new Dictionary<int, RespConnection>();
                foreach (var node in map.Serving)
                {
                    var connection = await RespConnection.ConnectAsync(node.Host, node.Port, CancellationToken.None);
                    keyspaces._connections.Add(connection);
                    nodes[node.Index] = connection;
                }
                keyspaces.All = [new ClusterKeyspace(map, nodes, keyspaces._connections)];
            }
        }
        catch
        {
            await keyspaces.DisposeAsync();
            throw;
        }
        return keyspaces;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
    }

    private sealed class PortKeyspace(RespConnection connection) : IKeyspace
    {
        public string Name => $"port {connection.Port}";
        public IReadOnlyList<RespConnection> Nodes => [connection];
        public Task<RespValue> CallAsync(params string[] args) => connection.CallAsync(args);
    }

    /// <summary>The cluster: a keyed command goes to its slot's node and follows -MOVED, as the load does.</summary>
    private sealed class ClusterKeyspace(ClusterMap map, Dictionary<int, RespConnection> nodes, List<RespConnection> owned) : IKeyspace
    {
        private const int MaxRedirects = 16;

        public string Name => "cluster";
        public IReadOnlyList<RespConnection> Nodes => [.. nodes.Values];

        public async Task<RespValue> CallAsync(params string[] args)
        {
            int slot = KeySlot.Of(Encoding.UTF8.GetBytes(args[1]));
            int node = map.Owner(slot);
            for (int redirects = 0; ; redirects++)
            {
                if (!nodes.TryGetValue(node, out var connection))
                {
                    var target = map.Nodes.FirstOrDefault(n => n.Index == node)
                        ?? throw new SetupException($"no node serves slot {slot}");
                    connection = await RespConnection.ConnectAsync(target.Host, target.Port, CancellationToken.None);
                    owned.Add(connection);
                    nodes[node] = connection;
                }
                var reply = await connection.CallAsync(args);
                if (!reply.IsError || redirects >= MaxRedirects
                    || !RespReader.TryParseMoved(Encoding.UTF8.GetBytes(reply.Text ?? ""), out int moved, out string host, out int port))
                    return reply;
                node = map.Moved(moved, host.Length == 0 ? map.Nodes.First(n => n.Index == node).Host : host, port);
            }
        }
    }
}
