using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace OrleansLua.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server for one test: its own data directory (deleted on dispose), a free port on
/// 127.0.0.1, trust authentication, fsync on (durability tests rely on it), small buffers. Stop and
/// Start again keep port and data, for outage tests. Run as root, the server runs as user postgres.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string DatabaseName = "orleanslua";

    private readonly string _bin;
    private readonly string _dataDir;
    private readonly bool _asPostgresUser = Environment.IsPrivilegedProcess;

    public string Directory { get; }
    public int Port { get; private set; }
    public bool Running { get; private set; }
    public string LogFile => Path.Combine(Directory, "postgres.log");

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={DatabaseName};Timeout=5;Command Timeout=30";

    private PostgresServer(string bin)
    {
        _bin = bin;
        // A short path: the unix socket lives here too (socket paths are limited to ~100 bytes).
        Directory = System.IO.Directory.CreateTempSubdirectory("olpg-").FullName;
        _dataDir = Path.Combine(Directory, "data");
        if (_asPostgresUser) Run("chown", ["postgres:postgres", Directory], asPostgres: false);
    }

    /// <summary>
    /// A new server with an empty database orleanslua: a copy of a data directory made once per test run
    /// (initdb + CREATE DATABASE, 1–2 s), started on a free port (a few hundred ms).
    /// </summary>
    public static PostgresServer Start(int attempts = 3)
    {
        var server = new PostgresServer(FindBinaries());
        try
        {
            server.Run("cp", ["-a", Template.Value, server._dataDir]);
            for (int attempt = 1; ; attempt++)
            {
                server.Port = TestPorts.Free();
                server.WriteLocalConfig();
                try
                {
                    server.Start();
                    return server;
                }
                catch (InvalidOperationException) when (attempt < attempts)
                {
                    // the port was taken between probing and binding: pick another
                }
            }
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>The data directory every server starts from (removed when the test process exits).</summary>
    private static readonly Lazy<string> Template = new(() =>
    {
        var template = new PostgresServer(FindBinaries());
        try
        {
            template.Init();
            template.Port = TestPorts.Free();
            template.WriteLocalConfig();
            template.Start();
            template.Psql("postgres", $"CREATE DATABASE {DatabaseName}");
            template.Stop();
        }
        catch
        {
            template.Dispose();
            throw;
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => template.Dispose();
        return template._dataDir;
    });

    /// <summary>The newest installed PostgreSQL (Debian layout: /usr/lib/postgresql/N/bin).</summary>
    public static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetDirectories(root)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out int v) ? v : -1))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin"))
                .FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
            : null;
        return bin ?? throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql");
    }

    private void Init()
    {
        // --no-sync: initdb's own final flush only; the server itself runs with fsync on.
        Run(Path.Combine(_bin, "initdb"), ["-D", _dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
            "--no-sync", "--no-instructions"]);
        File.AppendAllText(Path.Combine(_dataDir, "postgresql.conf"), """

            # OrleansLua test server
            listen_addresses = '127.0.0.1'
            fsync = on
            synchronous_commit = on
            shared_buffers = 16MB
            max_connections = 100
            max_wal_size = 256MB
            logging_collector = off
            include_if_exists = 'local.conf'

            """);
    }

    /// <summary>What differs per copy of the template: port and unix socket directory.</summary>
    private void WriteLocalConfig()
    {
        var path = Path.Combine(_dataDir, "local.conf");
        File.WriteAllText(path, $"port = {Port}\nunix_socket_directories = '{Directory}'\n");
        if (_asPostgresUser) Run("chown", ["postgres:postgres", path], asPostgres: false);
    }

    /// <summary>Starts the server (again): same port, same data. Waits until it accepts connections.</summary>
    public void Start()
    {
        if (Running) return;
        Run(Path.Combine(_bin, "pg_ctl"), ["-D", _dataDir, "-l", LogFile, "-w", "-t", "30", "start"]);
        Running = true;
    }

    /// <summary>Fast shutdown (clients are disconnected, committed data stays): an outage for the silos.</summary>
    public void Stop()
    {
        if (!Running) return;
        Run(Path.Combine(_bin, "pg_ctl"), ["-D", _dataDir, "-m", "fast", "-w", "-t", "30", "stop"]);
        Running = false;
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Runs SQL through psql over the unix socket; returns its output (unaligned, tuples only).</summary>
    public string Psql(string database, string sql) =>
        Run(Path.Combine(_bin, "psql"), ["-h", Directory, "-p", Port.ToString(), "-U", "postgres", "-d", database,
            "-v", "ON_ERROR_STOP=1", "-X", "-q", "-A", "-t", "-c", sql]);

    public void Dispose()
    {
        try
        {
            if (Running)
                Run(Path.Combine(_bin, "pg_ctl"), ["-D", _dataDir, "-m", "immediate", "-w", "-t", "30", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // already gone; the directory is removed anyway
        }
        Running = false;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Run(string file, string[] args, bool asPostgres = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && _asPostgresUser)
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", file]) start.ArgumentList.Add(a);
        }
        else start.FileName = file;
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new InvalidOperationException($"{Path.GetFileName(file)} did not finish within 60 s");
        }
        if (process.ExitCode != 0)
        {
            string log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(15)) : "";
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}\n{log}");
        }
        return stdout.Result.Trim();
    }
}

/// <summary>Free TCP ports on 127.0.0.1, never the same one twice in a test run.</summary>
public static class TestPorts
{
    private static readonly HashSet<int> Given = [];

    public static int Free()
    {
        lock (Given)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Given.Add(port)) return port;
            }
        }
    }
}
