using System.Globalization;

namespace OrleansLua.BenchReport;

/// <summary>
/// The scaling model section: CPU per operation on N silos = one silo's + the share of calls that
/// cross silos × the cost of one crossing, the crossing cost taken from this run's 1- and 3-silo CPU.
/// </summary>
public sealed partial class Report
{
    private const string OneSilo = "ol-1-memory", ThreeSilos = "ol-3-memory";
    private static readonly int[] ClusterSizes = [1, 3, 10, 100];

    private void ScalingModel()
    {
        md.AppendLine("## Scaling model").AppendLine();
        md.AppendLine("Every silo co-hosts a gateway and slots are placed by hash, so a request that arrives at one of *N* silos " +
                      "finds its slot's grain on that silo with probability 1/*N*; the other (*N*−1)/*N* cross to another silo " +
                      "(a request message and a reply, serialized, through Orleans' silo-to-silo connection, and an extra thread-pool " +
                      "turn on each side). With *c*₁ the server CPU per operation of one silo and *h* the extra CPU one crossing " +
                      "costs (both silos together), the CPU per operation on *N* silos is").AppendLine();
        md.AppendLine("*c*(*N*) = *c*₁ + (*N*−1)/*N* · *h*, so a silo on a dedicated machine with *K* cores serves " +
                      "*K* / *c*(*N*) operations per second and the cluster *N* · *K* / *c*(*N*).").AppendLine();
        md.AppendLine($"*h* comes from this run: *h* = (*c*₃ − *c*₁) · 3/2, with *c*₁ from `{OneSilo}` and *c*₃ from `{ThreeSilos}` " +
                      "(silo processes only; the PostgreSQL that holds membership is left out). Calls crossing silos: " +
                      string.Join(", ", ClusterSizes.Select(n => $"{n} silo{(n > 1 ? "s" : "")} {CrossingShare(n):P0}")) + ".").AppendLine();

        var rows = workloads.Select(w => (Workload: w, One: SiloCpu(OneSilo, w), Three: SiloCpu(ThreeSilos, w)))
            .Where(r => r.One is not null && r.Three is not null).ToList();
        if (rows.Count == 0)
        {
            md.AppendLine($"_This run has no CPU figures for both `{OneSilo}` and `{ThreeSilos}`: no model._").AppendLine();
            return;
        }
        md.Append("| workload | *c*₁ µs/op | *c*₃ µs/op | *h* µs per crossing |");
        foreach (int n in ClusterSizes) md.Append($" ops/s per core, {n} silo{(n > 1 ? "s" : "")} |");
        md.Append(" per-silo efficiency at 100 silos |");
        bool measured = rows.Any(r => SiloCpu(ClusterClient, r.Workload) is not null);
        if (measured) md.Append(" *c*₃ᶜ µs/op, cluster client (measured) | *c*₃ᶜ / *c*₁ |");
        md.AppendLine();
        md.Append("|---|---:|---:|---:|");
        foreach (var _ in ClusterSizes) md.Append("---:|");
        md.AppendLine(measured ? "---:|---:|---:|" : "---:|");
        foreach (var (w, one, three) in rows)
        {
            double c1 = one!.Value, h = (three!.Value - c1) * 1.5;
            md.Append($"| {w} | {F(c1)} | {F(three.Value)} | {F(h)} |");
            foreach (int n in ClusterSizes) md.Append($" {Charts.Thousands(1e6 / (c1 + CrossingShare(n) * h))} |");
            md.Append($" {c1 / (c1 + CrossingShare(100) * h):P0} |");
            if (measured) md.Append(SiloCpu(ClusterClient, w) is double cc ? $" {F(cc)} | {Ratio(cc, c1)} |" : " | |");
            md.AppendLine();
        }
        md.AppendLine();
        md.AppendLine("How to read it: a cluster of *N* silos on *N* machines of *K* cores is expected to serve *N* · *K* × the " +
                      "\"ops/s per core\" column for *N* (for 8-core machines and getset, multiply by 8*N*). Adding a silo adds " +
                      "*K* / *c*(*N*) operations per second; the price of spreading is the per-silo efficiency column — almost " +
                      "every call crosses once *N* is large. A client that sends each request to its slot's silo (a cluster-aware " +
                      "client following MOVED) removes *h* and would scale linearly at *c*₁" +
                      (measured ? $"; `{ClusterClient}` measures that on three silos: *c*₃ᶜ (silo processes only) against *c*₁ in the last " +
                                  "two columns, what remains being the cost of three processes (each with its own garbage collector, " +
                                  "thread pool and Orleans runtime) sharing the cores instead of one" : "") + ".").AppendLine();
        md.AppendLine("Caveats, from this machine: the three silos share its cores with each other, the generator and " +
                      "PostgreSQL, so *c*₃ also carries three processes' garbage collection and thread-pool spinning on oversubscribed " +
                      "cores; *h* measured here is an upper bound of a crossing on dedicated machines, and its spread between " +
                      "workloads (each crossing is one request and one reply, of the command's size) shows how much such a " +
                      "measurement varies on this machine. The per-core figures ignore the network between machines " +
                      "(loopback here) and assume the load spreads evenly over slots, which `spread`, `getset` and the script " +
                      "workloads do and `hotkey` by construction does not (one slot: one silo does all its work).").AppendLine();
    }

    private static double CrossingShare(int silos) => (silos - 1) / (double)silos;

    /// <summary>CPU µs per operation of the silo processes (not PostgreSQL) of a scenario's main run.</summary>
    private double? SiloCpu(string scenario, string workload) =>
        set.Closed(scenario, workload, mainConnections) is { Cpu: not null } r
            ? PerOp(r, r.Cpu.Servers.Where(p => p.Role.StartsWith("silo", StringComparison.Ordinal)))
            : null;

    private static string F(double v) => v.ToString(v >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);

    private void Profile()
    {
        md.AppendLine("## Profile").AppendLine();
        md.AppendLine("Where a silo spends its CPU per operation is profiled separately (sampled thread time with `dotnet-trace`, " +
                      "one silo under redis-benchmark GET/SET and EVALSHA load): see [docs/performance.md](../../../docs/performance.md) " +
                      "for the method, the shares per part of the hot path and the items a later optimisation should attack " +
                      "(thread-pool dispatch and async hops first, then GC from per-request allocations, then socket and pipe " +
                      "overhead; parsing, serialization and the command handlers are under 5 %).").AppendLine();
    }
}
