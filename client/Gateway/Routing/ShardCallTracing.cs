using System.Diagnostics;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.GrainInterfaces.Diagnostics;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// Spans for gateway→grain calls (ActivitySource <see cref="OrleansLuaTelemetry.GatewaySourceName"/>). With
/// Orleans' activity propagation on, the grain call's own spans become their children. Callers check
/// <see cref="ActivitySource.HasListeners"/> first, so with no tracer nothing here runs; with one, a call the
/// sampler drops costs the sampling decision only (no name, tags or async frame).
/// </summary>
internal static class ShardCallTracing
{
    public static Task<byte[]> Run<TState>(TState state, Func<TState, Task<byte[]>> call, int slot, ShardBatch batch, int gatewayPort)
    {
        var previous = Activity.Current;
        var activity = OrleansLuaTelemetry.GatewaySource.StartActivity(OrleansLuaTelemetry.GatewaySpanName, ActivityKind.Client);
        if (activity is null) return call(state);
        if (activity.IsAllDataRequested) Describe(activity, slot, batch, gatewayPort);
        Task<byte[]> task;
        try
        {
            // Orleans' outgoing filter reads Activity.Current while the call is issued here (or captures it
            // with the context at its first await), so the span is the grain call's parent ...
            task = call(state);
        }
        catch (Exception ex)
        {
            Fail(activity, ex);
            activity.Dispose();
            throw;
        }
        finally
        {
            // ... and the connection's loop, whose context this is, gets its own current activity back at once.
            Activity.Current = previous;
        }
        return EndAsync(activity, task);
    }

    private static async Task<byte[]> EndAsync(Activity activity, Task<byte[]> call)
    {
        using (activity)
        {
            try
            {
                return await call;
            }
            catch (Exception ex)
            {
                Fail(activity, ex);
                throw;
            }
        }
    }

    /// <summary>Database client conventions: the command (or MULTI / PIPELINE for batches), the slot, the RESP port.</summary>
    private static void Describe(Activity activity, int slot, ShardBatch batch, int gatewayPort)
    {
        var commands = batch.Commands;
        string operation = batch.Transaction ? "MULTI"
            : commands.Length == 1 ? CommandTable.Find(commands[0][0])?.Name.ToUpperInvariant() ?? "UNKNOWN"
            : "PIPELINE";
        activity.DisplayName = operation;
        activity.SetTag("db.system.name", "redis");
        activity.SetTag("db.operation.name", operation);
        if (commands.Length > 1) activity.SetTag("db.operation.batch.size", commands.Length);
        activity.SetTag("orleanslua.slot", slot);
        activity.SetTag("orleanslua.gateway.port", gatewayPort);
    }

    private static void Fail(Activity activity, Exception ex)
    {
        activity.SetStatus(ActivityStatusCode.Error, ex.Message);
        activity.SetTag("error.type", ex.GetType().FullName);
    }
}
