using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>
/// A real silo as its own OS process (`dotnet silo/bin/&lt;config&gt;/net10.0/OrleansLua.Silo.dll …`), so a
/// test can crash it for real (SIGKILL) or stop it (SIGTERM). Output goes to a log file that is kept
/// when <see cref="KeepLog"/> is set (on failure); <see cref="LogTail"/> goes into assertion messages. Also runs
/// the standalone gateway (<see cref="StartGatewayAsync"/>), which a test stops and reads the same way.
/// </summary>
public sealed partial class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly object _logLock = new();

    public int RespPort { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public string LogFile { get; }
    public bool KeepLog { get; set; }
    public string Name { get; }

    private SiloProcess(string name, string dll, int respPort, int siloPort, int gatewayPort, IEnumerable<string> extraArgs)
    {
        Name = name;
        RespPort = respPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        var dir = Path.Combine(Path.GetTempPath(), "orleanslua-test-logs");
        System.IO.Directory.CreateDirectory(dir);
        LogFile = Path.Combine(dir, $"{name}-{respPort}-{DateTime.UtcNow:HHmmss}.log");
        _log = new StreamWriter(LogFile, append: false, Encoding.UTF8) { AutoFlush = true };

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        start.ArgumentList.Add(dll);
        string[] ports = dll == SiloDll
            ? ["--port", respPort.ToString(), "--silo-port", siloPort.ToString(), "--gateway-port", gatewayPort.ToString()]
            : ["--port", respPort.ToString()];
        foreach (var a in ports) start.ArgumentList.Add(a);
        foreach (var a in extraArgs) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        Write($"$ dotnet {string.Join(' ', start.ArgumentList)}");
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts a silo and waits until its RESP port answers PING (unless <paramref name="wait"/> is false).</summary>
    public static async Task<SiloProcess> StartAsync(string name, IEnumerable<string> args, TimeSpan? timeout = null,
        int? respPort = null, int? siloPort = null, int? gatewayPort = null, bool wait = true)
    {
        var silo = new SiloProcess(name, SiloDll, respPort ?? TestPorts.Free(), siloPort ?? TestPorts.Free(), gatewayPort ?? TestPorts.Free(), args);
        if (wait) await silo.WaitOrDisposeAsync(timeout);
        return silo;
    }

    /// <summary>
    /// Starts the standalone gateway (client/, an Orleans client process) with only --port added; waits for PING
    /// unless <paramref name="wait"/> is false (it listens only once it has joined the cluster).
    /// </summary>
    public static async Task<SiloProcess> StartGatewayAsync(string name, IEnumerable<string> args, bool wait = true, TimeSpan? timeout = null)
    {
        var gateway = new SiloProcess(name, GatewayDll, TestPorts.Free(), 0, 0, args);
        if (wait) await gateway.WaitOrDisposeAsync(timeout);
        return gateway;
    }

    private async Task WaitOrDisposeAsync(TimeSpan? timeout)
    {
        try
        {
            await WaitForPingAsync(timeout ?? TimeSpan.FromSeconds(90));
        }
        catch
        {
            KeepLog = true;
            Dispose();
            throw;
        }
    }

    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Waits for the process to end by itself; false if it still runs after <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);
    public int Pid => _process.Id;

    public async Task WaitForPingAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before answering PING. Log {LogFile}:\n{LogTail()}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", RespPort).WaitAsync(TimeSpan.FromSeconds(2));
                var stream = tcp.GetStream();
                await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray());
                var buffer = new byte[64];
                int n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
                last = Encoding.ASCII.GetString(buffer, 0, n);
                // a silo started with --requirepass answers NOAUTH: it is up all the same
                if (last.StartsWith("+PONG", StringComparison.Ordinal) || last.StartsWith("-NOAUTH", StringComparison.Ordinal)) return;
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
            {
                last = ex.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Name} did not answer PING on {RespPort} within {timeout.TotalSeconds:0} s (last: {last.Trim()}). Log {LogFile}:\n{LogTail()}");
    }

    /// <summary>SIGKILL: a real crash, no goodbye to the cluster.</summary>
    public void Kill()
    {
        Write("### test: SIGKILL");
        if (!_process.HasExited) _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM: graceful shutdown; waits for the exit. False if it did not exit in time.</summary>
    public bool Terminate(TimeSpan? timeout = null)
    {
        Write("### test: SIGTERM");
        if (_process.HasExited) return true;
        if (SendSignal(_process.Id, SigTerm) != 0) return _process.HasExited;
        return _process.WaitForExit((int)(timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds);
    }

    /// <summary>The last lines of the silo's output, for assertion messages.</summary>
    public string LogTail(int lines = 40)
    {
        lock (_logLock)
        {
            try
            {
                using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                var all = new List<string>();
                while (reader.ReadLine() is { } line) all.Add(line);
                return string.Join('\n', all.TakeLast(lines));
            }
            catch (IOException ex)
            {
                return $"(log unreadable: {ex.Message})";
            }
        }
    }

    private void Write(string? line)
    {
        if (line is null) return;
        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        lock (_logLock) _log.Dispose();
        if (!KeepLog) File.Delete(LogFile);
    }

    /// <summary>The repository root: the first parent of the test assembly with OrleansLua.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The silo built in the same configuration as the tests (Release under tests/run.sh).</summary>
    public static string SiloDll => Built("silo", "OrleansLua.Silo.dll");

    /// <summary>The standalone gateway, built likewise.</summary>
    public static string GatewayDll => Built("client", "OrleansLua.Client.dll");

    private static string Built(string project, string dll)
    {
        string config = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        foreach (var c in (string[])[config, config == "Release" ? "Debug" : "Release"])
        {
            var path = Path.Combine(RepoRoot, project, "bin", c, "net10.0", dll);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{dll} not built under {RepoRoot}/{project}/bin (dotnet build -c Release)");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OrleansLua.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No OrleansLua.sln above {AppContext.BaseDirectory}");
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
