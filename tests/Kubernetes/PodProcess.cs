using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using OrleansLua.Tests.Infrastructure;

namespace OrleansLua.Tests.Kubernetes;

/// <summary>
/// A process started the way a container runtime starts a pod's container: exactly the given executable,
/// arguments and environment (nothing inherited beyond PATH/HOME/DOTNET_ROOT, so no setting leaks in from
/// the test host), output to a log file. Unlike <see cref="SiloProcess"/> it adds no switches of its own.
/// </summary>
public sealed partial class PodProcess : IDisposable
{
    private static readonly string[] HostVariables = ["PATH", "HOME", "DOTNET_ROOT", "TMPDIR"];

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly object _logLock = new();

    public string Name { get; }
    public string LogFile { get; }
    public bool KeepLog { get; set; }

    public PodProcess(string name, string fileName, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        Name = name;
        var dir = Path.Combine(Path.GetTempPath(), "orleanslua-test-logs");
        Directory.CreateDirectory(dir);
        LogFile = Path.Combine(dir, $"{name}-{DateTime.UtcNow:HHmmss}-{Guid.NewGuid().ToString("N")[..8]}.log");
        _log = new StreamWriter(LogFile, append: false, Encoding.UTF8) { AutoFlush = true };

        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        var inherited = HostVariables.Where(v => Environment.GetEnvironmentVariable(v) is { Length: > 0 })
            .ToDictionary(v => v, v => Environment.GetEnvironmentVariable(v)!);
        start.Environment.Clear();
        foreach (var (k, v) in inherited) start.Environment[k] = v;
        foreach (var (k, v) in environment) start.Environment[k] = v;
        if (start.Environment.ContainsKey("KUBERNETES_SERVICE_HOST"))
            throw new InvalidOperationException("KUBERNETES_SERVICE_HOST would make the silo call the Kubernetes API");

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        Write($"$ env -i {string.Join(' ', start.Environment.Where(e => !inherited.ContainsKey(e.Key)).Select(e => $"{e.Key}='{e.Value}'"))} {fileName} {string.Join(' ', args)}");
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>SIGTERM, what the kubelet sends after preStop.</summary>
    public void SendSigTerm()
    {
        Write("### test: SIGTERM");
        if (!_process.HasExited && SendSignal(_process.Id, 15) != 0 && !_process.HasExited)
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    public string LogTail(int lines = 30)
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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
