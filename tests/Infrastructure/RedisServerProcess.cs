using System.Diagnostics;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>
/// A real redis-server (Debian's 7.0.15) on a free loopback port, without persistence: the reference
/// that differential tests compare OrleansLua's answers with.
/// </summary>
public sealed class RedisServerProcess : IDisposable
{
    private readonly Process _process;

    public int Port { get; }

    public RedisServerProcess()
    {
        Port = TestPorts.Free();
        var start = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new RawRespClient(Port);
                client.Call("PING");
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                Thread.Sleep(50); // not listening yet
            }
        }
    }

    public RawRespClient Connect() => new(Port);

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
