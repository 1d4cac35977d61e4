using OrleansLua.LoadGen.Resp;

namespace OrleansLua.LoadGen;

/// <summary>One connection to each port, for workload setup and the end-of-run check (the ports may be separate servers).</summary>
public sealed class PerPort : IAsyncDisposable
{
    private readonly List<RespConnection> _connections = [];

    public IReadOnlyList<RespConnection> Connections => _connections;

    public static async Task<PerPort> ConnectAsync(Options options)
    {
        var perPort = new PerPort();
        try
        {
            foreach (int port in options.Ports)
                perPort._connections.Add(await RespConnection.ConnectAsync(options.Host, port, CancellationToken.None));
        }
        catch
        {
            await perPort.DisposeAsync();
            throw;
        }
        return perPort;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
    }
}
