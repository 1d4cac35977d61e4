using Orleans.Concurrency;
using OrleansLua.GrainInterfaces;
using OrleansLua.Grains.Commands;
using OrleansLua.Protocol;
using KeyspaceStore = OrleansLua.Grains.Keyspace.Keyspace;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// Runs scripts that declare no keys (EVAL … 0). A stateless worker: any silo, many at once, no
/// keyspace — such a script may call keyless commands only; any key access is refused.
/// </summary>
[StatelessWorker]
public sealed class ScriptWorkerGrain(ScriptHost scripts) : Grain, IScriptWorkerGrain
{
    private readonly CommandContext _context = new(new KeyspaceStore(), NullReply.Instance);

    public async Task<byte[]> Execute(ShardBatch batch)
    {
        if (scripts.NeedsPreparation(batch.Commands)) await scripts.PrepareAsync(batch.Commands);
        var writer = new RespWriter((RespProtocol)batch.Protocol);
        foreach (var args in batch.Commands)
        {
            _context.Args = args;
            _context.Now = UnixTime.NowMilliseconds();
            var spec = GrainInterfaces.Commands.CommandTable.Resolve(args, out var error);
            if (spec is null) writer.WriteError(error!);
            else if (!ScriptHost.IsScriptCommand(spec)) writer.WriteError($"ERR '{spec.Name}' needs a key");
            else scripts.Run(_context, spec, slot: -1, writer);
        }
        return writer.ToArray();
    }
}
