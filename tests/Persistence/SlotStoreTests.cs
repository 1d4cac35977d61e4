using System.Text;
using OrleansLua.Grains.Persistence;
using Xunit;

namespace OrleansLua.Tests.Persistence;

/// <summary>
/// The storage contract both stores keep: write sets round-trip, the last write of a key wins, a
/// claim bumps the epoch and fences off the older activation's commits, scripts and settings persist.
/// </summary>
public abstract class SlotStoreTests : IAsyncLifetime
{
    protected ISlotStore Store { get; private set; } = null!;

    protected abstract ISlotStore CreateStore();

    public async Task InitializeAsync()
    {
        Store = CreateStore();
        await Store.InitializeAsync(default);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    protected static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    protected static string Dump(List<StoredKey> keys) => string.Join(",", keys
        .Select(k => $"{Encoding.UTF8.GetString(k.Key)}={Encoding.UTF8.GetString(k.Value)}@{k.ExpireAt}")
        .Order(StringComparer.Ordinal));

    [Fact]
    public async Task Write_sets_round_trip_and_the_last_write_of_a_key_wins()
    {
        long epoch = await Store.ClaimAsync(100, default);
        var fenced = await Store.CommitAsync([
            new WriteSet(100, epoch, [new KeyWrite(B("a"), B("1"), -1), new KeyWrite(B("b"), B("2"), 1234), new KeyWrite(B("c"), B("3"), -1)]),
            new WriteSet(100, epoch, [new KeyWrite(B("a"), B("10"), -1), new KeyWrite(B("c"), null, -1)]),
        ], durable: true, default);
        Assert.Empty(fenced);
        Assert.Equal("a=10@-1,b=2@1234", Dump(await Store.LoadAsync(100, default)));
        Assert.Equal("", Dump(await Store.LoadAsync(101, default)));
    }

    [Fact]
    public async Task Binary_keys_and_values_survive()
    {
        long epoch = await Store.ClaimAsync(7, default);
        byte[] key = [0, 255, 13, 10, 0], value = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        await Store.CommitAsync([new WriteSet(7, epoch, [new KeyWrite(key, value, -1)])], durable: false, default);
        var loaded = Assert.Single(await Store.LoadAsync(7, default));
        Assert.Equal(key, loaded.Key);
        Assert.Equal(value, loaded.Value);
    }

    [Fact]
    public async Task A_newer_claim_fences_off_the_older_activation_but_not_other_slots()
    {
        long old = await Store.ClaimAsync(200, default);
        long otherEpoch = await Store.ClaimAsync(201, default);
        await Store.CommitAsync([new WriteSet(200, old, [new KeyWrite(B("k"), B("old"), -1)])], true, default);
        long newer = await Store.ClaimAsync(200, default);
        Assert.Equal(old + 1, newer);

        var fenced = await Store.CommitAsync([
            new WriteSet(200, old, [new KeyWrite(B("k"), B("stale"), -1)]),
            new WriteSet(201, otherEpoch, [new KeyWrite(B("x"), B("fine"), -1)]),
        ], true, default);
        Assert.Equal([200], fenced.Order());
        Assert.Equal("k=old@-1", Dump(await Store.LoadAsync(200, default)));
        Assert.Equal("x=fine@-1", Dump(await Store.LoadAsync(201, default)));

        Assert.Empty(await Store.CommitAsync([new WriteSet(200, newer, [new KeyWrite(B("k"), B("new"), -1)])], true, default));
        Assert.Equal("k=new@-1", Dump(await Store.LoadAsync(200, default)));
    }

    [Fact]
    public async Task A_write_set_for_a_never_claimed_slot_is_fenced()
    {
        var fenced = await Store.CommitAsync([new WriteSet(300, 1, [new KeyWrite(B("k"), B("v"), -1)])], true, default);
        Assert.Equal([300], fenced);
        Assert.Empty(await Store.LoadAsync(300, default));
    }

    [Fact]
    public async Task Scripts_and_settings_persist_and_flush()
    {
        await Store.SaveScriptAsync(new StoredScript("aaa", B("return 1"), Loaded: false), default);
        await Store.SaveScriptAsync(new StoredScript("bbb", B("return 2"), Loaded: true), default);
        await Store.SaveScriptAsync(new StoredScript("aaa", B("return 1"), Loaded: true), default);
        Assert.Equal("aaa:return 1:True,bbb:return 2:True",
            string.Join(",", (await Store.LoadScriptsAsync(default)).Select(s => $"{s.Sha}:{Encoding.UTF8.GetString(s.Body)}:{s.Loaded}")));
        await Store.DeleteScriptsAsync(["aaa"], default);
        Assert.Equal(["bbb"], (await Store.LoadScriptsAsync(default)).Select(s => s.Sha));
        await Store.DeleteScriptsAsync(null, default);
        Assert.Empty(await Store.LoadScriptsAsync(default));

        await Store.SaveSettingsAsync(new Dictionary<string, string?>
        {
            ["busy-reply-threshold"] = "50", ["script-memory-limit"] = "1048576", ["user:alice"] = "on nopass ~* &* +@all",
        }, default);
        await Store.SaveSettingsAsync(new Dictionary<string, string?> { ["busy-reply-threshold"] = "70", ["user:alice"] = null }, default);
        var settings = await Store.LoadSettingsAsync(default);
        Assert.Equal("70", settings["busy-reply-threshold"]);
        Assert.Equal("1048576", settings["script-memory-limit"]);
        Assert.Equal(2, settings.Count);
    }

    [Fact]
    public async Task Concurrent_commits_and_claims_keep_every_committed_write()
    {
        const int slots = 16, rounds = 50;
        var epochs = new long[slots];
        for (int s = 0; s < slots; s++) epochs[s] = await Store.ClaimAsync(1000 + s, default);
        await Task.WhenAll(Enumerable.Range(0, slots).Select(s => Task.Run(async () =>
        {
            for (int r = 0; r < rounds; r++)
                Assert.Empty(await Store.CommitAsync([new WriteSet(1000 + s, epochs[s], [new KeyWrite(B("k" + r), B(r.ToString()), -1)])], true, default));
        })));
        for (int s = 0; s < slots; s++) Assert.Equal(rounds, (await Store.LoadAsync(1000 + s, default)).Count);
    }
}

public sealed class SqliteSlotStoreTests : SlotStoreTests, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("orleanslua-sqlite-").FullName;

    protected override ISlotStore CreateStore() => new SqliteSlotStore(_dir, durable: true);

    [Fact]
    public async Task Data_survives_reopening_the_file()
    {
        long epoch = await Store.ClaimAsync(5, default);
        await Store.CommitAsync([new WriteSet(5, epoch, [new KeyWrite("k"u8.ToArray(), "v"u8.ToArray(), -1)])], true, default);
        await Store.DisposeAsync();
        await using var reopened = new SqliteSlotStore(_dir, durable: false);
        await reopened.InitializeAsync(default);
        Assert.Equal(epoch + 1, await reopened.ClaimAsync(5, default));
        Assert.Equal("v"u8.ToArray(), Assert.Single(await reopened.LoadAsync(5, default)).Value);
    }

    [Fact]
    public async Task A_second_store_on_the_same_directory_is_refused_until_the_first_closes()
    {
        await using var second = new SqliteSlotStore(_dir, durable: true);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => second.InitializeAsync(default));
        Assert.Contains("is in use by another OrleansLua process", refused.Message);
        Assert.Equal($"{Environment.ProcessId}\n", ReadShared(Path.Combine(_dir, DataDirectoryLock.FileName)));

        await Store.DisposeAsync();
        await using var third = new SqliteSlotStore(_dir, durable: true);
        await third.InitializeAsync(default);
    }

    [Fact]
    public async Task Everysec_write_sets_are_logged_and_a_crashed_log_is_folded_at_the_next_start()
    {
        long epoch = await Store.ClaimAsync(9, default);
        await Store.CommitAsync([new WriteSet(9, epoch, [new KeyWrite(B("a"), B("1"), -1), new KeyWrite(B("b"), B("2"), 77)])], durable: false, default);
        await Store.CommitAsync([new WriteSet(9, epoch, [new KeyWrite(B("a"), B("3"), -1), new KeyWrite(B("b"), null, -1)]),
            new WriteSet(10, epoch, [])], durable: false, default);
        Assert.Equal((2L, 0L), Rows(_dir)); // one row per commit

        // A crash image: the files as they are now, the log not folded (the store is still open).
        var crashed = Directory.CreateTempSubdirectory("orleanslua-sqlite-crash-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(_dir, "orleanslua.db*")) File.Copy(file, Path.Combine(crashed, Path.GetFileName(file)));
            await using (var restarted = new SqliteSlotStore(crashed, durable: false))
            {
                await restarted.InitializeAsync(default);
                Assert.Equal((0L, 1L), Rows(crashed));
                Assert.Equal([9], await restarted.StoredSlotsAsync(default));
                await restarted.ClaimAsync(9, default);
                Assert.Equal("a=3@-1", Dump(await restarted.LoadAsync(9, default)));
            }
        }
        finally
        {
            Directory.Delete(crashed, recursive: true);
        }
    }

    [Fact]
    public async Task A_durable_commit_after_logged_ones_wins_and_a_load_sees_both()
    {
        long epoch = await Store.ClaimAsync(11, default);
        await Store.CommitAsync([new WriteSet(11, epoch, [new KeyWrite(B("x"), B("logged"), -1), new KeyWrite(B("y"), B("logged"), -1)])], durable: false, default);
        await Store.CommitAsync([new WriteSet(11, epoch, [new KeyWrite(B("x"), B("durable"), 5)])], durable: true, default);
        Assert.Equal("x=durable@5,y=logged@-1", Dump(await Store.LoadAsync(11, default)));
        await Store.CommitAsync([new WriteSet(11, epoch, [new KeyWrite(B("y"), null, -1)])], durable: false, default);
        Assert.Equal("x=durable@5", Dump(await Store.LoadAsync(11, default)));
        Assert.Equal((0L, 1L), Rows(_dir));
    }

    /// <summary>(log rows, key rows) in the directory's database, read on a connection of its own.</summary>
    private static (long Log, long Keys) Rows(string dir)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir, "orleanslua.db")};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT (SELECT count(*) FROM log), (SELECT count(*) FROM keys)";
        using var reader = count.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static string Run(string program, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    /// <summary>The lock file's text, read the way `cat` does (no lock of its own).</summary>
    private static string ReadShared(string path) => Run("cat", path);

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
