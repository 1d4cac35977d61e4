using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrleansLua.GrainInterfaces;

namespace OrleansLua.Client.Gateway;

/// <summary>
/// Builds INFO text. clients, memory, stats, commandstats, errorstats and cluster are totals over
/// every node of the cluster (this gateway's own numbers are live, the others' as they answered just
/// now); keyspace counts every active slot; server and cpu describe this process.
/// </summary>
public sealed class ServerInfo(GatewayContext gateway, IGrainFactory grains)
{
    private static readonly string[] DefaultSections =
        ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "slots", "keyspace"];
    private static readonly string[] AllSections = [.. DefaultSections[..8], "commandstats", .. DefaultSections[8..]];

    public async Task<string> RenderAsync(string[] requested)
    {
        IEnumerable<string> sections = requested.Length == 0 || requested.Contains("default") ? DefaultSections
            : requested.Any(s => s is "all" or "everything") ? AllSections
            : requested;
        var wanted = sections.Distinct().ToList();
        var reports = wanted.Any(s => s is "clients" or "memory" or "stats" or "commandstats" or "errorstats" or "cluster" or "slots")
            ? await ReportsAsync() : [];
        var text = new StringBuilder();
        foreach (var section in wanted)
        {
            string? body = section switch
            {
                "server" => Server(),
                "clients" => Clients(reports),
                "memory" => Memory(reports, await CachedScriptsAsync()),
                "persistence" => "loading:0\r\nasync_loading:0\r\nrdb_changes_since_last_save:0\r\nrdb_bgsave_in_progress:0\r\n"
                    + $"aof_enabled:{(gateway.Options.AppendOnly ? 1 : 0)}\r\naof_rewrite_in_progress:0\r\n",
                "stats" => Stats(reports),
                "replication" => "role:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\nmaster_repl_offset:0\r\n",
                "cpu" => Cpu(),
                "modules" => "",
                "commandstats" => CommandStats(reports),
                "errorstats" => ErrorStats(reports),
                "cluster" => await ClusterAsync(reports),
                "slots" => Slots(reports),
                "keyspace" => await KeyspaceAsync(),
                _ => null,
            };
            if (body is null) continue;
            if (text.Length > 0) text.Append("\r\n");
            text.Append("# ").Append(SectionTitle(section)).Append("\r\n").Append(body);
        }
        return text.ToString();
    }

    private static string SectionTitle(string section) => section switch
    {
        "commandstats" => "Commandstats",
        "errorstats" => "Errorstats",
        _ => char.ToUpperInvariant(section[0]) + section[1..],
    };

    /// <summary>Every node's report, this node's taken live.</summary>
    public async Task<List<NodeReport>> ReportsAsync()
    {
        var local = NodeAgent.LocalReport(gateway);
        var reports = new List<NodeReport> { local };
        try
        {
            reports.AddRange((await gateway.Nodes.Reports()).Where(r => r.Node != local.Node));
        }
        catch (Exception)
        {
            // the node list is unreachable (its silo is being replaced): this node's numbers alone
        }
        return reports;
    }

    private string Server()
    {
        var process = Process.GetCurrentProcess();
        long uptime = (long)(DateTime.UtcNow - gateway.Stats.Started).TotalSeconds;
        return $"redis_version:{ConnectionCommands.RedisVersion}\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\n" +
               $"redis_build_id:orleanslua\r\nredis_mode:cluster\r\nserver_name:orleanslua\r\n" +
               $"os:{Environment.OSVersion}\r\narch_bits:64\r\nmultiplexing_api:epoll\r\n" +
               $"process_id:{process.Id}\r\nrun_id:{RunId}\r\ntcp_port:{gateway.BoundPort}\r\n" +
               $"uptime_in_seconds:{uptime}\r\nuptime_in_days:{uptime / 86400}\r\nhz:10\r\nexecutable:{Environment.ProcessPath}\r\n";
    }

    private async Task<int?> CachedScriptsAsync()
    {
        try
        {
            return await gateway.Scripts.Count();
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static readonly string RunId = Guid.NewGuid().ToString("N") + "00000000";

    private static string Clients(List<NodeReport> reports) =>
        $"connected_clients:{reports.Sum(r => r.ConnectedClients)}\r\ncluster_connections:0\r\n" +
        $"maxclients:{reports[0].MaxClients}\r\nblocked_clients:{reports.Sum(r => r.BlockedClients)}\r\n" +
        $"pubsub_clients:{reports.Sum(r => r.PubSubClients)}\r\ntracking_clients:0\r\nclients_in_timeout_table:0\r\n";

    /// <summary>number_of_cached_scripts is the cluster registry's count; left out while the registry is unreachable.</summary>
    private static string Memory(List<NodeReport> reports, int? cachedScripts)
    {
        long used = reports.Sum(r => r.UsedMemory), rss = reports.Sum(r => r.ResidentMemory);
        return $"used_memory:{used}\r\nused_memory_human:{Human(used)}\r\nused_memory_rss:{rss}\r\n" +
               $"used_memory_rss_human:{Human(rss)}\r\n" +
               (cachedScripts is { } scripts ? $"number_of_cached_scripts:{scripts}\r\n" : "") +
               "maxmemory:0\r\nmaxmemory_human:0B\r\n" +
               "maxmemory_policy:noeviction\r\nmem_allocator:dotnet\r\n";
    }

    private static string Stats(List<NodeReport> reports) =>
        $"total_connections_received:{reports.Sum(r => r.TotalConnectionsReceived)}\r\n" +
        $"total_commands_processed:{reports.Sum(r => r.CommandsProcessed)}\r\n" +
        $"total_net_input_bytes:{reports.Sum(r => r.NetInputBytes)}\r\ntotal_net_output_bytes:{reports.Sum(r => r.NetOutputBytes)}\r\n" +
        $"rejected_connections:{reports.Sum(r => r.RejectedConnections)}\r\nevicted_keys:0\r\n" +
        $"total_error_replies:{reports.Sum(r => r.TotalErrorReplies)}\r\n";

    private static string CommandStats(List<NodeReport> reports)
    {
        var text = new StringBuilder();
        var totals = reports.SelectMany(r => r.Commands).GroupBy(c => c.Name).OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var command in totals)
        {
            long calls = command.Sum(c => c.Calls), usec = command.Sum(c => c.Microseconds);
            double perCall = calls == 0 ? 0 : usec / (double)calls;
            text.Append("cmdstat_").Append(command.Key).Append(":calls=").Append(calls).Append(",usec=").Append(usec)
                .Append(",usec_per_call=").Append(perCall.ToString("F2", CultureInfo.InvariantCulture))
                .Append(",rejected_calls=").Append(command.Sum(c => c.RejectedCalls))
                .Append(",failed_calls=").Append(command.Sum(c => c.FailedCalls)).Append("\r\n");
        }
        return text.ToString();
    }

    private static string ErrorStats(List<NodeReport> reports)
    {
        var text = new StringBuilder();
        foreach (var error in reports.SelectMany(r => r.Errors).GroupBy(e => e.Code).OrderBy(g => g.Key, StringComparer.Ordinal))
            text.Append("errorstat_").Append(error.Key).Append(":count=").Append(error.Sum(e => e.Count)).Append("\r\n");
        return text.ToString();
    }

    /// <summary>Slots stuck in one batch longer than busy-reply-threshold, on every node (OrleansLua's own section).</summary>
    private static string Slots(List<NodeReport> reports)
    {
        var running = reports.SelectMany(r => r.LongRunning).DistinctBy(r => r.Slot).OrderBy(r => r.Slot).ToList();
        var text = new StringBuilder().Append("slots_running_long:").Append(running.Count).Append("\r\n");
        foreach (var slot in running)
            text.Append("slot").Append(slot.Slot).Append(":command=").Append(slot.Command).Append(",running_ms=").Append(slot.Milliseconds).Append("\r\n");
        return text.ToString();
    }

    private static string Cpu()
    {
        var process = Process.GetCurrentProcess();
        return $"used_cpu_sys:{process.PrivilegedProcessorTime.TotalSeconds:F6}\r\nused_cpu_user:{process.UserProcessorTime.TotalSeconds:F6}\r\n";
    }

    private async Task<string> KeyspaceAsync()
    {
        var slots = await gateway.Router.ActiveSlotsAsync();
        var stats = await Task.WhenAll(slots.Select(s => gateway.Router.FanOutCall(s, "info keyspace", gateway.Router.Read(s, "INFO keyspace", shard => shard.Stats()))));
        long keys = stats.Sum(s => s.Keys), expires = stats.Sum(s => s.Expires);
        return keys == 0 ? "" : $"db0:keys={keys},expires={expires},avg_ttl=0\r\n";
    }

    /// <summary>Redis's one field, then OrleansLua's view: silos, gateways (nodes), active slots and how requests are routed.</summary>
    private async Task<string> ClusterAsync(List<NodeReport> reports)
    {
        var hosts = await grains.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetHosts(onlyActive: true);
        var slots = await gateway.Router.ActiveSlotsAsync();
        return $"cluster_enabled:1\r\norleans_silos:{hosts.Count}\r\norleans_gateways:{reports.Count}\r\n" +
               $"orleans_active_slots:{slots.Length}\r\norleans_silo_active_slots:{gateway.Telemetry.ActiveSlots()}\r\n" +
               $"orleans_slot_map_version:{gateway.SlotMap.Current.Version}\r\n" +
               $"cluster_redirects:{(gateway.Settings.ClusterRedirectsEnabled ? "yes" : "no")}\r\n";
    }

    private static string Human(long bytes) =>
        bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):F2}G" : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):F2}M" : $"{bytes / 1024.0:F2}K";
}
