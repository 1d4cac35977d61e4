using OrleansLua.GrainInterfaces;
using OrleansLua.GrainInterfaces.Commands;
using OrleansLua.GrainInterfaces.Security;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// MULTI / EXEC / DISCARD / WATCH / UNWATCH. Commands are queued here and run as one batch in their
/// slot's grain; all of a transaction's keys (and its watched keys) must share a slot, as in Redis
/// Cluster. WATCH asks the grain for key versions; EXEC runs only if they are unchanged.
/// </summary>
public sealed partial class RespConnection
{
    private const string ExecAbort = "EXECABORT Transaction discarded because of previous errors.";

    /// <summary>A command inside MULTI: validated now (errors make EXEC abort), run at EXEC.</summary>
    private void Queue(CommandSpec? spec, byte[][] args, string? error)
    {
        if (spec is not null && error is null)
        {
            if (spec.InMulti != MultiBehavior.Queued) error = $"ERR '{spec.Name}' cannot be used inside MULTI in OrleansLua";
            else
            {
                int slot = SlotRouter.SlotOf(spec, args, _keyScratch, out error);
                error ??= _gateway.Router.Redirect(slot);
                if (error is null && slot >= 0)
                {
                    if (_transaction.Slot >= 0 && _transaction.Slot != slot) error = SlotRouter.CrossSlotError;
                    else _transaction.Slot = slot;
                }
            }
        }
        if (error is not null)
        {
            _transaction.Dirty = true;
            Immediate(w => w.WriteError(error));
            return;
        }
        _transaction.Commands.Add(args);
        _transaction.Specs.Add(spec!);
        Immediate(w => w.WriteSimpleString("QUEUED"));
    }

    private static void RegisterTransactions(GatewayHandlers handlers)
    {
        handlers.Add("multi", c => c.Connection.Multi());
        handlers.Add("exec", c => c.Connection.ExecAsync());
        handlers.Add("discard", c => c.Connection.Discard());
        handlers.Add("watch", c => c.Connection.WatchAsync(c.Spec, c.Args));
        handlers.Add("unwatch", c =>
        {
            c.Connection.ForgetWatches();
            c.Connection.Immediate(w => w.WriteOk());
        });
    }

    private void Multi()
    {
        if (_transaction.Active) Immediate(w => w.WriteError("ERR MULTI calls can not be nested"));
        else
        {
            _transaction.Begin();
            Immediate(w => w.WriteOk());
        }
    }

    private void Discard()
    {
        if (!_transaction.Active) Immediate(w => w.WriteError("ERR DISCARD without MULTI"));
        else
        {
            _transaction.EndMulti();
            ForgetWatches();
            Immediate(w => w.WriteOk());
        }
    }

    private async Task ExecAsync()
    {
        if (!_transaction.Active)
        {
            Immediate(w => w.WriteError("ERR EXEC without MULTI"));
            return;
        }
        string? error = _transaction.Dirty ? ExecAbort
            : _transaction.Slot >= 0 && _transaction.WatchSlot >= 0 && _transaction.Slot != _transaction.WatchSlot ? SlotRouter.CrossSlotError
            : null;
        var commands = _transaction.Commands.ToArray();
        var specs = _transaction.Specs.ToArray();
        int slot = _transaction.Slot >= 0 ? _transaction.Slot : Math.Max(_transaction.WatchSlot, 0);
        var watches = _transaction.Watches.Select(w => new WatchedKey(w.Key, w.Version)).ToArray();
        _transaction.EndMulti();
        if (error is not null)
        {
            ForgetWatches();
            Immediate(w => w.WriteError(error));
            return;
        }
        FlushBatch();
        // ACL rules may have changed since the commands were queued: denied ones answer NOPERM in place, as in Redis
        var denied = DeniedAtExec(commands, specs);
        if (denied is not null)
        {
            commands = commands.Where((_, i) => denied[i] is null).ToArray();
            specs = specs.Where((_, i) => denied[i] is null).ToArray();
        }
        var batch = NewBatch(commands, specs.Select(s => (ushort)s.Id).ToArray(), transaction: true, watches, script: specs.Any(s => s.RunsScript));
        var reply = CallSlot(slot, batch);
        _pending.Add(new Pending(1, denied is null ? reply : ReplyMerger.InsertErrors(reply, denied, _session.Protocol)));
        await DrainAsync();
        ForgetWatches();
    }

    /// <summary>The NOPERM text for each queued command the user may no longer run (null entries run), or null if all may.</summary>
    private string?[]? DeniedAtExec(byte[][][] commands, CommandSpec[] specs)
    {
        if (!_session.Refresh(_gateway.Acl) || _session.User.IsUnrestricted) return null;
        string?[]? denied = null;
        for (int i = 0; i < commands.Length; i++)
        {
            var denial = _session.User.Check(specs[i], commands[i], _keyScratch);
            if (denial == AclDenial.None) continue;
            denied ??= new string?[commands.Length];
            denied[i] = "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. " +
                        "This command is no longer allowed for the following reason: " + denial switch
                        {
                            AclDenial.Command => "no permission to execute the command or subcommand",
                            AclDenial.Key => "no permission to touch the specified keys",
                            _ => "no permission to access one of the channels used as arguments",
                        };
        }
        return denied;
    }

    private async Task WatchAsync(CommandSpec spec, byte[][] args)
    {
        if (_transaction.Active)
        {
            Immediate(w => w.WriteError("ERR WATCH inside MULTI is not allowed"));
            return;
        }
        int slot = SlotRouter.SlotOf(spec, args, _keyScratch, out var error);
        error ??= _gateway.Router.Redirect(slot);
        if (error is null && _transaction.WatchSlot >= 0 && slot != _transaction.WatchSlot) error = SlotRouter.CrossSlotError;
        if (error is not null)
        {
            Immediate(w => w.WriteError(error));
            return;
        }
        await DrainAsync();
        var keys = args[1..];
        var shard = _gateway.Router.Shard(slot);
        var versions = await _gateway.Router.Retry.RunAsync(() => shard.Watch(keys), readOnly: true, "WATCH");
        _transaction.WatchSlot = slot;
        for (int i = 0; i < keys.Length; i++) _transaction.Watches.Add((keys[i], versions[i]));
        _out.WriteOk();
    }

    /// <summary>UNWATCH, EXEC, DISCARD, RESET, disconnect: the grain stops tracking this connection's keys.</summary>
    private void ForgetWatches()
    {
        if (_transaction.Watches.Count == 0) return;
        _ = _gateway.Router.Shard(_transaction.WatchSlot).Unwatch(_transaction.Watches.Select(w => w.Key).ToArray());
        _transaction.ClearWatches();
    }
}
