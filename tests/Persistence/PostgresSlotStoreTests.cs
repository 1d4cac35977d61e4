using OrleansLua.Grains.Persistence;
using OrleansLua.Tests.Infrastructure;
using Xunit;

namespace OrleansLua.Tests.Persistence;

/// <summary>One private PostgreSQL for a test class.</summary>
public sealed class PostgresFixture : IDisposable
{
    public PostgresServer Server { get; } = PostgresServer.Start();
    public void Dispose() => Server.Dispose();
}

public sealed class PostgresSlotStoreTests(PostgresFixture postgres) : SlotStoreTests, IClassFixture<PostgresFixture>
{
    protected override ISlotStore CreateStore() => new PostgresSlotStore(postgres.Server.ConnectionString);

    [Fact]
    public async Task A_claim_waits_for_a_commit_in_flight_so_the_new_owner_loads_its_writes()
    {
        long epoch = await Store.ClaimAsync(4000, default);
        var writes = Enumerable.Range(0, 20_000).Select(i => new KeyWrite(BitConverter.GetBytes(i), new byte[64], -1)).ToList();
        var commit = Store.CommitAsync([new WriteSet(4000, epoch, writes)], true, default);
        await using var other = CreateStore();
        long newer = await other.ClaimAsync(4000, default);
        var loaded = await other.LoadAsync(4000, default);
        // Either the commit got in first (all its keys are loaded) or it was fenced off (none are).
        var fenced = await commit;
        Assert.Equal(epoch + 1, newer);
        Assert.Equal(fenced.Contains(4000) ? 0 : 20_000, loaded.Count);
    }

    [Fact]
    public async Task Stopped_database_gives_a_clear_reason_and_the_store_recovers_when_it_returns()
    {
        long epoch = await Store.ClaimAsync(4100, default);
        postgres.Server.Stop();
        try
        {
            var error = await Assert.ThrowsAsync<StorageUnavailableException>(() =>
                Store.CommitAsync([new WriteSet(4100, epoch, [new KeyWrite([1], [1], -1)])], true, default));
            Assert.StartsWith("TRYAGAIN storage unavailable: PostgreSQL: ", error.Message);
        }
        finally
        {
            postgres.Server.Start();
        }
        Assert.Empty(await Store.CommitAsync([new WriteSet(4100, epoch, [new KeyWrite([1], [2], -1)])], true, default));
        Assert.Equal([2], Assert.Single(await Store.LoadAsync(4100, default)).Value);
    }
}
