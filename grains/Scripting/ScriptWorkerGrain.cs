using Orleans.Concurrency;
using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Diagnostics;
using OrleansLua.GrainInterfaces.Security;
using OrleansLua.Grains.Commands;
using OrleansLua.Protocol;
using KeyspaceStore = OrleansLua.Grains.Keyspace.Keyspace;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// Runs scripts that declare no keys (EVAL … 0). A stateless worker: any silo, many at once, no
/// keyspace — such a script may call keyless commands only; any key access is refused. Its runs are
/// registered with the silo's <see cref="ScriptHost"/> like a slot's, so SCRIPT KILL, the time limits
/// and a client that disconnects stop them too.
/// </summary>
[StatelessWorker]
public sealed class ScriptWorkerGrain(ScriptHost scripts, CommandStats stats, AccessControl acl) : Grain, IScriptWorkerGrain
{
    private readonly CommandContext _context = new(new KeyspaceStore(), NullReply.Instance);

    public async Task<byte[]> Execute(ShardBatch batch)
    {
        _context.Client = batch.Client;
        if (scripts.NeedsPreparation(batch.Commands)) await scripts.PrepareAsync(batch.Commands);
        var writer = new RespWriter((RespProtocol)batch.Protocol) { ErrorWritten = stats.ErrorReplied };
        _context.User = batch.User is null ? null : acl.Find(batch.User) ?? AclUser.Nobody;
        foreach (var args in batch.Commands)
        {
            _context.Args = args;
            _context.Now = UnixTime.NowMilliseconds();
            var spec = GrainInterfaces.Commands.CommandTable.Resolve(args, out var error);
            if (spec is null) writer.WriteError(error!);
            else if (!spec.RunsScript) writer.WriteError($"ERR '{spec.Name}' needs a key");
            else
            {
                int mark = writer.Length;
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                scripts.Run(_context, spec, slot: -1, writer);
                stats.Called(spec, System.Diagnostics.Stopwatch.GetTimestamp() - started, writer.WrittenSpan[mark] == (byte)'-');
            }
        }
        return writer.ToArray();
    }
}
