using System.Runtime.CompilerServices;
using System.Text;
using Orleans.Runtime;
using OrleansLua.Client.Gateway;
using OrleansLua.GrainInterfaces;
using Xunit;
using static OrleansLua.Client.Gateway.GrainCallRetry;

namespace OrleansLua.Tests.Cluster;

/// <summary>The gateway's retry policy for grain calls during a silo failure (messages as Orleans 10.4.2 words them).</summary>
public class GrainCallRetryTests
{
    private const string InFlightToShard =
        "The target silo became unavailable for message: Request [S127.0.0.1:11113:154460232 sys.client/hosted-127.0.0.1:11113@154460232]" +
        "->[S127.0.0.1:11112:154460232 shard/3F4E] OrleansLua.GrainInterfaces.IShardGrain.Execute(OrleansLua.GrainInterfaces.ShardBatch) " +
        "#099E17A0A80D0623. See https://aka.ms/orleans-troubleshooting for troubleshooting help.";

    private const string InFlightToDirectory =
        "The target silo became unavailable for message: Request [S127.0.0.1:7703:154462070 sys.client/hosted-127.0.0.1:7703@154462070]" +
        "->[S127.0.0.1:7702:154462069 sys.svc.dir.mem/127.0.0.1:7702@154462069] Orleans.GrainDirectory.IDhtGrainDirectory.LookupAsync" +
        "(Orleans.Runtime.GrainId, System.Int32) #62488D8DE3F56689. See https://aka.ms/orleans-troubleshooting for troubleshooting help.";

    [Fact]
    public void Failures_are_classified_by_whether_the_call_may_have_run()
    {
        Assert.Equal(Failure.OutcomeUnknown, Classify(new SiloUnavailableException(InFlightToShard)));
        Assert.Equal(Failure.NotDelivered, Classify(new SiloUnavailableException(InFlightToDirectory)));
        Assert.Equal(Failure.NotDelivered, Classify(new SiloUnavailableException())); // "Target silo is known to be dead"
        Assert.Equal(Failure.NotDelivered, Classify(new SiloUnavailableException("Unable to select a candidate because there are no compatible silos.")));
        // "Exception while sending message: ConnectionFailedException …" (no public constructor)
        Assert.Equal(Failure.NotDelivered, Classify((Exception)RuntimeHelpers.GetUninitializedObject(typeof(OrleansMessageRejectionException))));
        Assert.Equal(Failure.Other, Classify(new InvalidOperationException("BUSY Redis is busy running a script.")));
        Assert.Equal(Failure.Other, Classify(new TimeoutException("Response did not arrive on time")));
        Assert.Equal(Failure.OutcomeUnknown, Classify(new AggregateException(new SiloUnavailableException(InFlightToShard))));
        // the runtime cancelled a call the gateway passed no token to (the distributed directory, for a silo that died)
        Assert.Equal(Failure.OutcomeUnknown, Classify(new OperationCanceledException()));
        Assert.Equal(Failure.OutcomeUnknown, Classify(new TaskCanceledException()));
        // a standalone gateway's call through a silo to one that died is never answered: lost after its bound
        Assert.Equal(Failure.OutcomeUnknown, Classify(new OrleansLua.Client.Gateway.UnansweredCallException("no answer within 10000 ms")));
    }

    [Fact]
    public void Only_batches_of_read_only_commands_count_as_read_only()
    {
        static ShardBatch Batch(params string[][] commands) =>
            new() { Commands = commands.Select(c => c.Select(Encoding.UTF8.GetBytes).ToArray()).ToArray() };
        Assert.True(IsReadOnly(5, Batch(["GET", "a"], ["STRLEN", "a"], ["EVAL_RO", "return 1", "1", "a"])));
        Assert.False(IsReadOnly(5, Batch(["GET", "a"], ["INCR", "a"])));
        Assert.False(IsReadOnly(5, Batch(["EVAL", "return redis.call('GET', KEYS[1])", "1", "a"])));
        Assert.False(IsReadOnly(5, Batch(["NOSUCHCOMMAND"])));
        Assert.True(IsReadOnly(-1, Batch(["EVAL", "return 1", "0"]))); // keyless scripts touch no key
    }

    [Fact]
    public async Task Undelivered_calls_and_reads_are_retried_until_they_succeed()
    {
        var retry = new GrainCallRetry();
        int calls = 0;
        var result = await retry.RunAsync(() => ++calls < 3 ? throw new SiloUnavailableException() : Task.FromResult(calls), readOnly: false, "test");
        Assert.Equal(3, result);

        calls = 0;
        result = await retry.RunAsync(() => ++calls < 2 ? throw new SiloUnavailableException(InFlightToShard) : Task.FromResult(calls), readOnly: true, "test");
        Assert.Equal(2, result);
        Assert.Equal(3, retry.Retries);
    }

    [Fact]
    public async Task A_write_in_flight_on_a_dead_silo_answers_tryagain_once_and_other_errors_pass_through()
    {
        var retry = new GrainCallRetry();
        int calls = 0;
        var tryAgain = await Assert.ThrowsAsync<TryAgainException>(() =>
            retry.RunAsync<int>(() => { calls++; throw new SiloUnavailableException(InFlightToShard); }, readOnly: false, "test"));
        Assert.StartsWith("TRYAGAIN ", tryAgain.Message);
        Assert.Equal(1, calls);
        Assert.Equal(1, retry.TryAgains);

        calls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            retry.RunAsync<int>(() => { calls++; throw new InvalidOperationException("BUSY"); }, readOnly: true, "test"));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_call_that_keeps_failing_answers_tryagain_once_the_budget_is_spent_not_later()
    {
        Assert.Equal(TimeSpan.FromSeconds(20), DefaultBudget); // what docs/durability.md promises
        var budget = TimeSpan.FromSeconds(1);
        var retry = new GrainCallRetry(budget: budget);
        int calls = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var tryAgain = await Assert.ThrowsAsync<TryAgainException>(() =>
            retry.RunAsync<int>(() => { calls++; throw new SiloUnavailableException(); }, readOnly: false, "test"));
        var took = clock.Elapsed;
        Assert.StartsWith("TRYAGAIN cluster unavailable for 1 s: ", tryAgain.Message);
        Assert.IsType<SiloUnavailableException>(tryAgain.InnerException);
        // Backoff 20, 40, … 500 ms: it gives up before the next delay would overrun the budget, so within it
        // (the upper bound leaves room for a loaded 2-core machine; the default budget is 20 s).
        Assert.InRange(took, budget - TimeSpan.FromMilliseconds(600), budget + TimeSpan.FromMilliseconds(1500));
        Assert.InRange(calls, 2, 10); // a busy machine stretches the delays: fewer tries fit
        Assert.Equal(calls - 1, retry.Retries);
        Assert.Equal(1, retry.TryAgains);
    }
}
