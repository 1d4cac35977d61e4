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
/// keyspace. A script that touches a key is stopped and run again from the start in the grain of that
/// key's slot, where it stays (Redis Cluster pins such a script to the first slot it touches). Its runs are
/// registered with the silo's <see cref="ScriptHost"/> like a slot's, so SCRIPT KILL, the time limits
/// and a client that disconnects stop them too.
/// </summary>
[StatelessWorker]
public sealed class ScriptWorkerGrain(ScriptHost scripts, CommandStats stats, CommandMeter meter, AccessControl acl) : Grain, IScriptWorkerGrain
{
    private readonly CommandContext _context = new(new KeyspaceStore(), NullReply.Instance);

    public async Task<byte[]> Execute(ShardBatch batch)
    {
        _context.Client = batch.Client;
        if (scripts.NeedsPreparation(batch)) await scripts.PrepareAsync(batch);
        var writer = new RespWriter((RespProtocol)batch.Protocol) { ErrorWritten = stats.ErrorReplied };
        _context.User = batch.User is null ? null : acl.Find(batch.User) ?? AclUser.Nobody;
        for (int i = 0; i < batch.Commands.Length; i++)
        {
            var args = _context.Args = batch.Commands[i];
            _context.Now = UnixTime.NowMilliseconds();
            var spec = batch.Spec(i, out var error);
            if (spec is null) writer.WriteError(error!);
            else if (!spec.RunsScript) writer.WriteError($"ERR '{spec.Name}' needs a key");
            else
            {
                int mark = writer.Length;
                long started = CommandMeter.Start();
                int slot = scripts.Run(_context, spec, slot: -1, writer);
                // measured where it then runs
                if (slot != ScriptHost.NotMoved) writer.WriteRaw(await GrainFactory.GetGrain<IShardGrain>(slot).Execute(batch.OneOf(i)));
                else meter.Ran(spec, started, writer.WrittenSpan[mark] == (byte)'-', args, batch.ClientAddress, batch.ClientName);
            }
        }
        return writer.ToArray();
    }
}
