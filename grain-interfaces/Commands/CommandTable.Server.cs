using static OrleansLua.GrainInterfaces.Commands.CommandRouting;

namespace OrleansLua.GrainInterfaces.Commands;

public static partial class CommandTable
{
    // connection, server and cluster commands the gateway answers itself
    private static CommandSpec[] ServerSpecs() =>
    [
        Cmd("ping", -1, "fast", NoKeys, Connection, "connection", "1.0.0", "Returns the server's liveliness response.", inMulti: MultiBehavior.Queued, whileSubscribed: true),
        Cmd("echo", 2, "fast", NoKeys, Connection, "connection", "1.0.0", "Returns the given string.", inMulti: MultiBehavior.Queued),
        Cmd("quit", -1, "noscript loading stale fast no_auth allow_busy", NoKeys, Connection, "connection", "1.0.0", "Closes the connection.", inMulti: MultiBehavior.RunsAtOnce, whileSubscribed: true),
        Cmd("auth", -2, "noscript loading stale fast no_auth allow_busy", NoKeys, Connection, "connection", "1.0.0", "Authenticates the connection.", secrets: SecretArgs.All),
        Cmd("hello", -1, "noscript loading stale fast no_auth allow_busy", NoKeys, Connection, "connection", "6.0.0", "Handshakes with the Redis server.", secrets: SecretArgs.AuthOption),
        Cmd("select", 2, "loading stale fast", NoKeys, Connection, "connection", "1.0.0", "Changes the selected database."),
        Cmd("reset", 1, "noscript loading stale fast no_auth allow_busy", NoKeys, Connection, "connection", "6.2.0", "Resets the connection.", inMulti: MultiBehavior.RunsAtOnce, whileSubscribed: true),
        Cmd("client", -2, "", NoKeys, Connection, "connection", "2.4.0", "A container for client connection commands.", subcommands:
        [
            Cmd("client|setname", 3, "noscript loading stale", NoKeys, Connection, "connection", "2.6.9", "Sets the connection name."),
            Cmd("client|getname", 2, "noscript loading stale", NoKeys, Connection, "connection", "2.6.9", "Returns the name of the connection."),
            Cmd("client|id", 2, "noscript loading stale", NoKeys, Connection, "connection", "5.0.0", "Returns the unique client ID of the connection."),
            Cmd("client|info", 2, "noscript loading stale", NoKeys, Connection, "connection", "6.2.0", "Returns information about the connection."),
            Cmd("client|list", -2, "admin noscript loading stale", NoKeys, Connection, "connection", "2.4.0", "Lists open connections."),
            Cmd("client|setinfo", 4, "noscript loading stale", NoKeys, Connection, "connection", "7.2.0", "Sets information specific to the client or connection."),
            Cmd("client|kill", -3, "admin noscript loading stale", NoKeys, Connection, "connection", "2.4.0", "Terminates open connections."),
            Cmd("client|no-evict", 3, "admin noscript loading stale", NoKeys, Connection, "connection", "7.0.0", "Sets the client eviction mode of the connection."),
            Cmd("client|help", 2, "loading stale", NoKeys, Connection, "connection", "5.0.0", "Returns helpful text about the different subcommands."),
        ]),
        Cmd("acl", -2, "", NoKeys, Connection, "server", "6.0.0", "A container for Access List Control commands.", subcommands:
        [
            Cmd("acl|cat", -2, "noscript loading stale", NoKeys, Connection, "server", "6.0.0", "Lists the ACL categories, or the commands inside a category."),
            Cmd("acl|deluser", -3, "admin noscript loading stale", NoKeys, Connection, "server", "6.0.0", "Deletes ACL users, and terminates their connections."),
            Cmd("acl|dryrun", -4, "admin noscript loading stale", NoKeys, Connection, "server", "7.0.0", "Simulates the execution of a command by a user, without executing the command."),
            Cmd("acl|genpass", -2, "noscript loading stale", NoKeys, Connection, "server", "6.0.0", "Generates a pseudorandom, secure password that can be used to identify ACL users."),
            Cmd("acl|getuser", 3, "admin noscript loading stale", NoKeys, Connection, "server", "6.0.0", "Lists the ACL rules of a user."),
            Cmd("acl|list", 2, "admin noscript loading stale", NoKeys, Connection, "server", "6.0.0", "Dumps the effective rules in ACL file format."),
            Cmd("acl|load", 2, "admin noscript loading stale", NoKeys, Connection, "server", "6.0.0", "Reloads the rules from the configured ACL file."),
            Cmd("acl|log", -2, "admin noscript loading stale", NoKeys, Connection, "server", "6.0.0", "Lists recent security events generated due to ACL rules."),
            Cmd("acl|save", 2, "admin noscript loading stale", NoKeys, Connection, "server", "6.0.0", "Saves the effective ACL rules in the configured ACL file."),
            Cmd("acl|setuser", -3, "admin noscript loading stale", NoKeys, Connection, "server", "6.0.0", "Creates and modifies an ACL user and its rules.", secrets: SecretArgs.AfterFirst),
            Cmd("acl|users", 2, "admin noscript loading stale", NoKeys, Connection, "server", "6.0.0", "Lists all ACL users."),
            Cmd("acl|whoami", 2, "noscript loading stale", NoKeys, Connection, "server", "6.0.0", "Returns the authenticated username of the current connection."),
            Cmd("acl|help", 2, "loading stale", NoKeys, Connection, "server", "6.0.0", "Returns helpful text about the different subcommands."),
        ]),
        Cmd("slowlog", -2, "", NoKeys, Connection, "server", "2.2.12", "A container for slow log commands.", subcommands:
        [
            Cmd("slowlog|get", -2, "admin loading stale", NoKeys, Connection, "server", "2.2.12", "Returns the slow log's entries."),
            Cmd("slowlog|len", 2, "admin loading stale", NoKeys, Connection, "server", "2.2.12", "Returns the number of entries in the slow log."),
            Cmd("slowlog|reset", 2, "admin loading stale", NoKeys, Connection, "server", "2.2.12", "Clears all entries from the slow log."),
            Cmd("slowlog|help", 2, "loading stale", NoKeys, Connection, "server", "6.2.0", "Show helpful text about the different subcommands"),
        ]),
        Cmd("info", -1, "loading stale @dangerous", NoKeys, Connection, "server", "1.0.0", "Returns information and statistics about the server."),
        Cmd("memory", -2, "", NoKeys, Connection, "server", "4.0.0", "A container for memory diagnostics commands.", subcommands:
        [
            Cmd("memory|purge", 2, "", NoKeys, Connection, "server", "4.0.0", "Asks the allocator to release memory."),
            Cmd("memory|usage", -3, "readonly", Keys(2, 2, 1), Slot, "server", "4.0.0", "Estimates the memory usage of a key."),
        ]),
        Cmd("time", 1, "loading stale fast", NoKeys, Connection, "server", "2.6.0", "Returns the server time.", inMulti: MultiBehavior.Queued),
        Cmd("command", -1, "loading stale @connection", NoKeys, Connection, "server", "2.8.13", "Returns detailed information about all commands.", subcommands:
        [
            Cmd("command|count", 2, "loading stale @connection", NoKeys, Connection, "server", "2.8.13", "Returns a count of commands."),
            Cmd("command|info", -2, "loading stale @connection", NoKeys, Connection, "server", "2.8.13", "Returns information about one, multiple or all commands."),
            Cmd("command|docs", -2, "loading stale @connection", NoKeys, Connection, "server", "7.0.0", "Returns documentary information about one, multiple or all commands."),
            Cmd("command|list", -2, "loading stale @connection", NoKeys, Connection, "server", "7.0.0", "Returns a list of command names."),
            Cmd("command|getkeys", -3, "loading stale @connection", NoKeys, Connection, "server", "2.8.13", "Extracts the key names from an arbitrary command."),
            Cmd("command|help", 2, "loading stale @connection", NoKeys, Connection, "server", "5.0.0", "Returns helpful text about the different subcommands."),
        ]),
        Cmd("config", -2, "", NoKeys, Connection, "server", "2.0.0", "A container for server configuration commands.", subcommands:
        [
            Cmd("config|get", -3, "admin noscript loading stale", NoKeys, Connection, "server", "2.0.0", "Returns the effective values of configuration parameters."),
            Cmd("config|set", -4, "admin noscript loading stale", NoKeys, Connection, "server", "2.0.0", "Sets configuration parameters in-flight.", secrets: SecretArgs.ConfigValues),
            Cmd("config|resetstat", 2, "admin noscript loading stale", NoKeys, Connection, "server", "2.0.0", "Resets the server's statistics."),
            Cmd("config|help", 2, "loading stale", NoKeys, Connection, "server", "5.0.0", "Returns helpful text about the different subcommands."),
        ]),
        Cmd("cluster", -2, "", NoKeys, Connection, "cluster", "3.0.0", "A container for Redis Cluster commands.", subcommands:
        [
            Cmd("cluster|keyslot", 3, "stale", NoKeys, Connection, "cluster", "3.0.0", "Returns the hash slot for a key."),
            Cmd("cluster|info", 2, "stale", NoKeys, Connection, "cluster", "3.0.0", "Returns information about the state of a node."),
            Cmd("cluster|help", 2, "loading stale", NoKeys, Connection, "cluster", "5.0.0", "Returns helpful text about the different subcommands."),
            Cmd("cluster|slots", 2, "stale", NoKeys, Connection, "cluster", "3.0.0", "Returns the mapping of cluster slots to nodes."),
            Cmd("cluster|shards", 2, "stale", NoKeys, Connection, "cluster", "7.0.0", "Returns the mapping of cluster slots to shards."),
            Cmd("cluster|nodes", 2, "stale", NoKeys, Connection, "cluster", "3.0.0", "Returns the cluster configuration for a node."),
            Cmd("cluster|myid", 2, "stale", NoKeys, Connection, "cluster", "3.0.0", "Returns the ID of a node."),
            Cmd("cluster|myshardid", 2, "stale", NoKeys, Connection, "cluster", "7.2.0", "Returns the shard ID of a node."),
            Cmd("cluster|countkeysinslot", 3, "stale", NoKeys, Connection, "cluster", "3.0.0", "Returns the number of keys in a hash slot."),
            Cmd("cluster|getkeysinslot", 4, "stale", NoKeys, Connection, "cluster", "3.0.0", "Returns the key names in a hash slot."),
            Cmd("cluster|links", 2, "stale", NoKeys, Connection, "cluster", "7.0.0", "Returns a list of all TCP links to and from peer nodes."),
            Cmd("cluster|replicas", 3, "admin stale", NoKeys, Connection, "cluster", "5.0.0", "Lists the replica nodes of a master node."),
            Cmd("cluster|slaves", 3, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Lists the replica nodes of a master node."),
            Cmd("cluster|count-failure-reports", 3, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Returns the number of active failure reports active for a node."),
            Cmd("cluster|saveconfig", 2, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Forces a node to save the cluster configuration to disk."),
            // Slot and node management: the cluster does it by itself (ClusterCommands answers why)
            Cmd("cluster|addslots", -3, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Assigns new hash slots to a node."),
            Cmd("cluster|addslotsrange", -4, "admin stale", NoKeys, Connection, "cluster", "7.0.0", "Assigns new hash slot ranges to a node."),
            Cmd("cluster|delslots", -3, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Sets hash slots as unbound for a node."),
            Cmd("cluster|delslotsrange", -4, "admin stale", NoKeys, Connection, "cluster", "7.0.0", "Sets hash slot ranges as unbound for a node."),
            Cmd("cluster|flushslots", 2, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Deletes all slots information from a node."),
            Cmd("cluster|setslot", -4, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Binds a hash slot to a node."),
            Cmd("cluster|meet", -4, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Forces a node to handshake with another node."),
            Cmd("cluster|forget", 3, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Removes a node from the nodes table."),
            Cmd("cluster|failover", -2, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Forces a replica to perform a manual failover of its master."),
            Cmd("cluster|replicate", 3, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Configure a node as replica of a master node."),
            Cmd("cluster|reset", -2, "admin stale noscript", NoKeys, Connection, "cluster", "3.0.0", "Resets a node."),
            Cmd("cluster|bumpepoch", 2, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Advances the cluster config epoch."),
            Cmd("cluster|set-config-epoch", 3, "admin stale", NoKeys, Connection, "cluster", "3.0.0", "Sets the configuration epoch for a new node."),
        ]),
        Cmd("asking", 1, "fast @connection", NoKeys, Connection, "cluster", "3.0.0", "Signals that a cluster client is following an -ASK redirect."),
        Cmd("readonly", 1, "loading stale fast @connection", NoKeys, Connection, "cluster", "3.0.0", "Enables read-only queries for a connection to a Redis Cluster replica node."),
        Cmd("readwrite", 1, "loading stale fast @connection", NoKeys, Connection, "cluster", "3.0.0", "Enables read-write queries for a connection to a Reids Cluster replica node."),
    ];
}
