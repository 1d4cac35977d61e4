using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrleansLua.Fuzz;

public sealed record FuzzOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public required int Port { get; init; }
    public long Frames { get; init; } = 1_000_000;
    public int Seed { get; init; } = 1;
    public int Connections { get; init; } = 16;
    /// <summary>The server's process id, for RSS and liveness (/proc); null: not watched.</summary>
    public int? Pid { get; init; }
    /// <summary>Frames between two bystander checks.</summary>
    public long CheckEvery { get; init; } = 10_000;
    public int MaxSessionFrames { get; init; } = 32;
    public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan BystanderTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public string CanaryKey { get; init; } = "fuzz:canary";
    /// <summary>Send the whole-server commands too (DBSIZE, KEYS, SCAN, RANDOMKEY, INFO, MEMORY PURGE).</summary>
    public bool WholeServerCommands { get; init; } = true;
    /// <summary>Progress lines (stderr in the CLI); null: quiet.</summary>
    public TextWriter? Progress { get; init; }
}

public sealed record FuzzSummary(
    long Frames, long Valid, long Mutated, long Random, long Sessions, long ConnectionsOpened,
    long ClosedByServer, long SyncTimeouts, long Aborted, long ProtocolErrors, long ConnectFailures,
    int BystanderChecks, int BystanderFailures, string? FirstBystanderFailure,
    double Seconds, long? RssStartKb, long? RssMaxKb, long? RssEndKb, bool ServerAlive)
{
    public long? RssGrowthKb => RssMaxKb - RssStartKb;
    public bool Passed => BystanderFailures == 0 && ServerAlive;
}

/// <summary>
/// A fuzzing run: <see cref="FuzzOptions.Connections"/> workers send sessions of generated frames
/// until <see cref="FuzzOptions.Frames"/> are out; a monitor samples the server's RSS every 100 ms
/// and runs a bystander check every <see cref="FuzzOptions.CheckEvery"/> frames and at the end.
/// </summary>
public sealed class FuzzRun(FuzzOptions options)
{
    private long _reserved, _valid, _mutated, _random, _sessions, _opened, _closed, _timeouts, _aborted, _protocolErrors, _connectFailures;
    private volatile bool _serverGone;

    public async Task<FuzzSummary> RunAsync(CancellationToken cancellation = default)
    {
        var server = new IPEndPoint((await Dns.GetHostAddressesAsync(options.Host, cancellation))[0], options.Port);
        var process = options.Pid is int pid ? new ServerProcess(pid) : null;
        using var bystander = new Bystander(server, options.CanaryKey, options.BystanderTimeout);
        await bystander.SetUpAsync(cancellation);
        long? rssStart = process?.ResidentKb(), rssMax = rssStart;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var workers = Enumerable.Range(0, options.Connections)
            .Select(i => Task.Run(() => WorkerAsync(server, options.Seed * 7919 + i, stop.Token), CancellationToken.None))
            .ToArray();
        var allDone = Task.WhenAll(workers);
        long nextCheck = options.CheckEvery, nextProgress = 5000;
        while (!allDone.IsCompleted)
        {
            await Task.WhenAny(allDone, Task.Delay(100, CancellationToken.None));
            if (process is not null)
            {
                if (process.ResidentKb() is long rss) rssMax = Math.Max(rssMax ?? rss, rss);
                else _serverGone = true;
            }
            if (_serverGone) stop.Cancel();
            if (Interlocked.Read(ref _reserved) >= nextCheck && !_serverGone)
            {
                await bystander.CheckAsync(cancellation);
                nextCheck = Interlocked.Read(ref _reserved) / options.CheckEvery * options.CheckEvery + options.CheckEvery;
            }
            if (options.Progress is { } progress && clock.ElapsedMilliseconds >= nextProgress)
            {
                nextProgress += 5000;
                progress.WriteLine($"{clock.Elapsed.TotalSeconds,6:0}s {Math.Min(_reserved, options.Frames),9} frames, {_closed} closed by server, " +
                    $"{_timeouts} sync timeouts, bystander {bystander.Checks - bystander.Failures}/{bystander.Checks} ok, RSS max {rssMax?.ToString() ?? "?"} KiB");
            }
        }
        await allDone;
        double seconds = clock.Elapsed.TotalSeconds;
        if (!_serverGone) await bystander.CheckAsync(cancellation);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellation); // let the server drop what the closed connections held
        long? rssEnd = process?.ResidentKb();
        bool alive = process?.Alive ?? !_serverGone;
        return new FuzzSummary(Math.Min(_reserved, options.Frames), _valid, _mutated, _random, _sessions, _opened,
            _closed, _timeouts, _aborted, _protocolErrors, _connectFailures, bystander.Checks, bystander.Failures,
            bystander.FirstFailure, seconds, rssStart, rssMax, rssEnd, alive);
    }

    private async Task WorkerAsync(IPEndPoint server, int seed, CancellationToken cancellation)
    {
        var generator = new FrameGenerator(seed, options.WholeServerCommands);
        var random = new Random(seed);
        FuzzConnection? connection = null;
        int failedConnects = 0;
        var frames = new List<byte[]>();
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                int want = random.Next(1, options.MaxSessionFrames + 1);
                long before = Interlocked.Add(ref _reserved, want) - want;
                if (before >= options.Frames) return;
                frames.Clear();
                // Half the sessions hold only valid commands: a mixed one mostly ends at its first
                // protocol error, and the commands after it would never run.
                bool clean = random.Next(2) == 0;
                for (long i = before; i < Math.Min(before + want, options.Frames); i++)
                {
                    var (kind, frame) = clean ? (FrameKind.Valid, FrameGenerator.Encode(generator.ValidCommand())) : generator.Next();
                    if (kind == FrameKind.Valid) Interlocked.Increment(ref _valid);
                    else if (kind == FrameKind.Mutated) Interlocked.Increment(ref _mutated);
                    else Interlocked.Increment(ref _random);
                    frames.Add(frame);
                }
                if (connection is null)
                {
                    try
                    {
                        connection = await FuzzConnection.OpenAsync(server, cancellation);
                        Interlocked.Increment(ref _opened);
                        failedConnects = 0;
                    }
                    catch (SocketException)
                    {
                        Interlocked.Increment(ref _connectFailures);
                        if (++failedConnects >= 50) _serverGone = true; // 5 s without a connection
                        await Task.Delay(100, cancellation);
                        continue;
                    }
                }
                Interlocked.Increment(ref _sessions);
                if (random.Next(50) == 0)
                {
                    // a client that writes and vanishes: the server must drop its half-read request
                    await connection.SendAndAbortAsync(frames, cancellation);
                    Interlocked.Increment(ref _aborted);
                    connection = null;
                    continue;
                }
                var end = await connection.RunSessionAsync(frames, $"sync{random.NextInt64():x16}", options.SyncTimeout, cancellation);
                if (end == SessionEnd.Synced) continue;
                if (end == SessionEnd.ClosedByServer) Interlocked.Increment(ref _closed);
                else Interlocked.Increment(ref _timeouts);
                Interlocked.Add(ref _protocolErrors, connection.ProtocolErrors);
                connection.Abort();
                connection = null;
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                Interlocked.Add(ref _protocolErrors, connection.ProtocolErrors);
                connection.Abort();
            }
        }
    }
}
