using System.Diagnostics;
using System.Text;
using OrleansLua.GrainInterfaces;

namespace OrleansLua.Client.Gateway;

/// <summary>Builds INFO text. Keyspace and cluster sections are totals over the whole cluster.</summary>
public sealed class ServerInfo(GatewayContext gateway, IGrainFactory grains)
{
    private static readonly string[] DefaultSections =
        ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "cluster", "keyspace"];

    public async Task<string> RenderAsync(string[] requested)
    {
        IEnumerable<string> sections = requested.Length == 0 || requested.Any(s => s is "default" or "all" or "everything")
            ? DefaultSections
            : requested;
        var text = new StringBuilder();
        foreach (var section in sections.Distinct())
        {
            string? body = section switch
            {
                "server" => Server(),
                "clients" => Clients(),
                "memory" => Memory(),
                "persistence" => "loading:0\r\nasync_loading:0\r\nrdb_changes_since_last_save:0\r\nrdb_bgsave_in_progress:0\r\n"
                    + $"aof_enabled:{(gateway.Options.AppendOnly ? 1 : 0)}\r\naof_rewrite_in_progress:0\r\n",
                "stats" => Stats(),
                "replication" => "role:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\nmaster_repl_offset:0\r\n",
                "cpu" => Cpu(),
                "cluster" => "cluster_enabled:0\r\n",
                "keyspace" => await KeyspaceAsync(),
                _ => null,
            };
            if (body is null) continue;
            if (text.Length > 0) text.Append("\r\n");
            text.Append("# ").Append(char.ToUpperInvariant(section[0])).Append(section[1..]).Append("\r\n").Append(body);
        }
        return text.ToString();
    }

    private string Server()
    {
        var process = Process.GetCurrentProcess();
        long uptime = (long)(DateTime.UtcNow - gateway.Stats.Started).TotalSeconds;
        return $"redis_version:{ConnectionCommands.RedisVersion}\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\n" +
               $"redis_build_id:orleanslua\r\nredis_mode:standalone\r\nserver_name:orleanslua\r\n" +
               $"os:{Environment.OSVersion}\r\narch_bits:64\r\nmultiplexing_api:epoll\r\n" +
               $"process_id:{process.Id}\r\nrun_id:{RunId}\r\ntcp_port:{gateway.BoundPort}\r\n" +
               $"uptime_in_seconds:{uptime}\r\nuptime_in_days:{uptime / 86400}\r\nhz:10\r\nexecutable:{Environment.ProcessPath}\r\n";
    }

    private static readonly string RunId = Guid.NewGuid().ToString("N") + "00000000";

    private string Clients() =>
        $"connected_clients:{gateway.Clients.Count}\r\ncluster_connections:0\r\nmaxclients:10000\r\n" +
        "blocked_clients:0\r\ntracking_clients:0\r\nclients_in_timeout_table:0\r\n";

    private static string Memory()
    {
        long managed = GC.GetTotalMemory(false);
        long rss = Environment.WorkingSet;
        return $"used_memory:{managed}\r\nused_memory_human:{Human(managed)}\r\nused_memory_rss:{rss}\r\n" +
               $"used_memory_rss_human:{Human(rss)}\r\nused_memory_peak:{rss}\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\n" +
               "maxmemory_policy:noeviction\r\nmem_allocator:dotnet\r\n";
    }

    private string Stats() =>
        $"total_connections_received:{gateway.Clients.TotalConnections}\r\n" +
        $"total_commands_processed:{gateway.Stats.CommandsProcessed}\r\ninstantaneous_ops_per_sec:0\r\n" +
        "rejected_connections:0\r\nexpired_keys:0\r\nevicted_keys:0\r\nkeyspace_hits:0\r\nkeyspace_misses:0\r\n";

    private static string Cpu()
    {
        var process = Process.GetCurrentProcess();
        return $"used_cpu_sys:{process.PrivilegedProcessorTime.TotalSeconds:F6}\r\nused_cpu_user:{process.UserProcessorTime.TotalSeconds:F6}\r\n";
    }

    private async Task<string> KeyspaceAsync()
    {
        var slots = await gateway.Router.ActiveSlotsAsync();
        var stats = await Task.WhenAll(slots.Select(s => gateway.Router.Shard(s).Stats()));
        long keys = stats.Sum(s => s.Keys), expires = stats.Sum(s => s.Expires);
        return keys == 0 ? "" : $"db0:keys={keys},expires={expires},avg_ttl=0\r\n";
    }

    public async Task<string> ClusterInfoAsync()
    {
        var hosts = await grains.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetHosts(onlyActive: true);
        return "cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\ncluster_slots_pfail:0\r\n" +
               $"cluster_slots_fail:0\r\ncluster_known_nodes:{hosts.Count}\r\ncluster_size:{hosts.Count}\r\n" +
               "cluster_current_epoch:0\r\ncluster_my_epoch:0\r\n";
    }

    private static string Human(long bytes) =>
        bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):F2}G" : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):F2}M" : $"{bytes / 1024.0:F2}K";
}
