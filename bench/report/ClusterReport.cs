using System.Globalization;
using System.Text;

namespace OrleansLua.BenchReport;

/// <summary>
/// The cluster sections: server CPU per operation on one silo, on three silos behind round-robin gateways
/// (forwarding) and on three silos with the cluster-mode generator, beside redis-server; and the scale-out
/// run (a third silo joining two under load).
/// </summary>
public sealed partial class Report
{
    private const string Forwarding = "ol-3-memory", ClusterClient = "ol-3-memory-cluster";

    private void ClusterClientCpu()
    {
        string[] columns = [Reference, OneSilo, Forwarding, ClusterClient];
        if (!set.Results.Any(r => r.Scenario == ClusterClient)) return;
        md.AppendLine("## Cluster client: CPU per operation").AppendLine();
        md.AppendLine($"The same three silos, two ways of reaching them: in `{Forwarding}` the generator's connections go round-robin " +
                      "to the three gateways and a request whose slot another silo owns is forwarded there (two of three requests); in " +
                      $"`{ClusterClient}` the silos run with `--cluster-redirects yes` and the generator is a cluster client " +
                      "(`--cluster`): every request goes to its slot's silo and runs there, with no hop. Server CPU per operation " +
                      $"(µs, all server processes: silos and, with three silos, the PostgreSQL holding membership), {mainConnections} connections, " +
                      "closed loop; in brackets how many times Redis's; the last two columns compare the cluster client with forwarding " +
                      "and with one silo.").AppendLine();
        md.Append("| workload |");
        foreach (var sc in columns) md.Append($" {sc} |");
        md.AppendLine(" cluster / forwarding | cluster / 1 silo |");
        md.Append("|---|");
        foreach (var _ in columns) md.Append("---:|");
        md.AppendLine("---:|---:|");
        var rows = workloads.Select(w => (Label: w, Get: (Func<string, LoadResult?>)(sc => set.Closed(sc, w, mainConnections)))).ToList();
        if (set.Results.Any(r => r.Scenario == ClusterClient && r.OpenLoop))
            rows.Add(($"getset open {Charts.Thousands(set.Open(ClusterClient, "getset")!.TargetRate ?? 0)}/s", sc => set.Open(sc, "getset")));
        foreach (var (label, get) in rows)
        {
            var cpu = columns.ToDictionary(sc => sc, sc => get(sc) is { } r ? PerOp(r, r.Cpu?.Servers) : null);
            if (cpu[ClusterClient] is null) continue;
            md.Append($"| {label} |");
            foreach (var sc in columns)
                md.Append(cpu[sc] is not double v ? " – |"
                    : $" {F(v)}{(sc != Reference && cpu[Reference] is double rv ? $" ({Ratio(v, rv)})" : "")} |");
            double c = cpu[ClusterClient]!.Value;
            md.AppendLine($" {(cpu[Forwarding] is double f ? Ratio(c, f) : "")} | {(cpu[OneSilo] is double o ? Ratio(c, o) : "")} |");
        }
        md.AppendLine();

        md.AppendLine("Throughput (operations per second) of the same runs:").AppendLine();
        md.Append("| workload |");
        foreach (var sc in columns) md.Append($" {sc} |");
        md.AppendLine(" cluster / forwarding |");
        md.Append("|---|");
        foreach (var _ in columns) md.Append("---:|");
        md.AppendLine("---:|");
        foreach (var w in workloads)
        {
            var c = set.Closed(ClusterClient, w, mainConnections);
            if (c is null) continue;
            md.Append($"| {w} |");
            foreach (var sc in columns) md.Append(set.Closed(sc, w, mainConnections) is { } r ? $" {Charts.Thousands(r.Throughput)} |" : " – |");
            md.AppendLine($" {(set.Closed(Forwarding, w, mainConnections) is { } f ? Ratio(c.Throughput, f.Throughput) : "")} |");
        }
        md.AppendLine();

        // How the cluster client spread the load, and whether it had to be redirected (a correct map: never).
        var runs = set.Results.Where(r => r.Scenario == ClusterClient && r.Cluster is not null).ToList();
        if (runs.Count > 0)
        {
            long moved = runs.Sum(r => r.Cluster!.Redirects);
            var shares = runs.Where(r => r.Workload is not ("hotkey" or "transfer") && r.Nodes is { Count: > 1 } && r.Operations > 0)
                .SelectMany(r => r.Nodes!.Select(n => (double)n.Operations / r.Operations)).ToList();
            md.AppendLine($"In the {runs.Count} `{ClusterClient}` runs the generator followed {Charts.Thousands(moved)} MOVED redirects " +
                          $"of measured requests (0 means every request went straight to its slot's silo)" +
                          (shares.Count > 0 ? $"; each silo answered {shares.Min():P1}–{shares.Max():P1} of a run's operations " +
                                              "(workloads on random keys and `spread`; `hotkey` is one slot, `transfer` 100)" : "") + ".").AppendLine();
        }
    }

    // ------------------------------------------------------------------ scale-out

    private void ScaleOutSection()
    {
        if (set.ScaleOut is not { } so) return;
        var r = so.Result;
        var ev = so.Events;
        md.AppendLine("## Scale-out: a third silo joins under load").AppendLine();
        md.AppendLine($"Two silos (`--storage memory --cluster-redirects yes`, PostgreSQL membership) warmed like the other scenarios " +
                      $"(every slot active, half on each), then `getset` from the cluster-mode generator, {r.Connections} connections, closed " +
                      $"loop, {Num(ev.WarmupSeconds)} s warm-up and {Num(ev.DurationSeconds)} s measured; {Num(ev.JoinAtSeconds)} s after the " +
                      "generator was started a third silo process was started. It joins Orleans' membership, its gateway listens, its node " +
                      "joins the slot map, which then gives it a third of the slots at once; each slot's grain then migrates to it live with " +
                      "its keys, eight at a time per silo. Meanwhile a request that reaches the new owner's gateway before the slot's grain " +
                      "does is forwarded to the grain on its old silo. Every silo, the generator and the PostgreSQL share this machine's " +
                      $"{MachineCores()} cores, so the total cannot grow with the third silo here: what the run shows is how the work moves " +
                      "and what the move costs.").AppendLine();

        double T(long unixMs) => (unixMs - ev.GeneratorStartedUnixMs) / 1000.0;
        string ep3 = ev.Ports.Count >= 3 ? Endpoint(r, ev.Ports[2]) : "";
        var points = (r.Timeline ?? []).Where(p => p.Interval > 0.5).ToList(); // not the last, partial interval
        double Total(TimelinePoint p) => p.Replies.Values.Sum() / p.Interval;

        var facts = new List<(string What, string When)>();
        if (ev.Silo3StartedUnixMs is long start)
        {
            double s3 = T(start);
            string After(double t) => $"{t - s3:0.0} s";
            if (ev.Silo3PingUnixMs is long ping) facts.Add(("its gateway answered PING", After(T(ping))));
            var first = points.FirstOrDefault(p => p.UnixMs > start && p.Replies.GetValueOrDefault(ep3) > 0);
            if (first is not null) facts.Add(("the generator got its first reply from it (second ending)", After(T(first.UnixMs))));
            var quarter = points.FirstOrDefault(p => p.UnixMs > start && Share(p, ep3) >= 0.25);
            facts.Add(("**it answered ≥ 25 % of a second's replies**", quarter is null ? "never" : $"**{After(T(quarter.UnixMs))}** ({Share(quarter, ep3):P0})"));
            var slots = SlotShares(so, ev.Ports.Count >= 3 ? ev.Ports[2] : -1);
            var slotQuarter = slots.FirstOrDefault(x => x.Share >= 0.25);
            facts.Add(("**it held ≥ 25 % of the active slot grains** (INFO `orleans_silo_active_slots`)",
                slotQuarter == default ? "never" : $"**{After(T(slotQuarter.UnixMs))}** ({slotQuarter.Slots:N0} slots)"));
            // Migration done: every slot the map gives it has its grain there.
            var owned = so.Slots.Where(x => x.Port == ev.Ports.ElementAtOrDefault(2) && x.OwnedSlots is > 0 && x.ActiveSlots is not null).ToList();
            if (owned.Count > 0)
            {
                var done = owned.FirstOrDefault(x => x.ActiveSlots >= x.OwnedSlots);
                facts.Add(done is not null
                    ? ($"**all {done.OwnedSlots:N0} slots its node owns were active on it** (migration complete)", $"**{After(T(done.UnixMs))}**")
                    : ($"all {owned[^1].OwnedSlots:N0} slots its node owns active on it", $"not by the end: {owned[^1].ActiveSlots:N0} at {After(T(owned[^1].UnixMs))}"));
            }

            var before = points.Where(p => p.Phase == "measure" && p.UnixMs <= start).ToList();
            var after = points.Where(p => p.UnixMs > start && p.Phase == "measure").ToList();
            var last = after.Where(p => T(p.UnixMs) >= T(after.LastOrDefault()?.UnixMs ?? 0) - 10).ToList();
            if (before.Count > 0 && after.Count > 0)
            {
                var low = after.MinBy(Total)!;
                md.AppendLine($"Throughput: {Charts.Thousands(before.Average(Total))} ops/s on two silos (measured seconds before the third started); " +
                              $"lowest second after it started {Charts.Thousands(Total(low))} ops/s ({After(T(low.UnixMs))} after its start); " +
                              $"the last {last.Count} s of the run {Charts.Thousands(last.Average(Total))} ops/s, " +
                              "per silo " + string.Join(", ", ev.Ports.Select((port, i) =>
                                  $"silo {i + 1} {last.Average(p => Share(p, Endpoint(r, port))):P0}")) + " of the replies.").AppendLine();
            }
            md.AppendLine($"Times after the third silo's process was started ({Num(s3)} s into the run):").AppendLine();
            md.AppendLine("| event | after |").AppendLine("|---|---:|");
            foreach (var (what, when) in facts) md.AppendLine($"| {what} | {when} |");
            md.AppendLine();
        }
        else md.AppendLine("_The third silo was not started during the run._").AppendLine();
        md.AppendLine($"Over the whole run: {Charts.Thousands(r.Throughput)} ops/s, p50 {Ms(r.LatencyMicros.P50)} ms, p99 {Ms(r.LatencyMicros.P99)} ms, " +
                      $"max {Ms(r.LatencyMicros.Max)} ms, {r.ErrorCount} errors" +
                      (r.Cluster is { } c ? $", {Charts.Thousands(c.Redirects)} MOVED followed, {c.MapRefreshes} map refreshes " +
                                            $"({Charts.Thousands(c.MapChanges)} slots changed node by a refresh)" : "") + ". " +
                      "A silo's replies are those that came back from its gateway: where the generator's map sent the request. With a " +
                      "slot's grain still on its old silo that gateway forwarded it, so the share of replies moves first and the work (CPU, " +
                      "active slots) follows as the grains arrive.").AppendLine();

        // Charts: replies per silo per second, active slots per silo, CPU per silo.
        var marks = new List<(double X, string Label)>();
        if (ev.Silo3StartedUnixMs is long st) marks.Add((T(st), "silo 3 started"));
        if (ev.Silo3PingUnixMs is long pg) marks.Add((T(pg), "silo 3 answers PING"));
        var series = new List<(string, double[], double[])>();
        foreach (var (port, i) in ev.Ports.Select((p, i) => (p, i)))
        {
            string ep = Endpoint(r, port);
            var pts = points.Where(p => p.Replies.ContainsKey(ep)).ToList();
            series.Add(($"silo {i + 1}", [.. pts.Select(p => T(p.UnixMs))], [.. pts.Select(p => p.Replies[ep] / p.Interval)]));
        }
        series.Add(("all silos", [.. points.Select(p => T(p.UnixMs))], [.. points.Select(Total)]));
        Charts.TimeLines(Path.Combine(set.Directory, "scaleout-throughput.png"), "Scale-out: replies per second from each silo's gateway (getset, cluster client)",
            "operations per second", series, marks);
        md.AppendLine("![Scale-out: replies per silo over time](scaleout-throughput.png)").AppendLine();

        // Active slot grains (solid) and the slots the map gives the silo's node (dashed): the map moves at once, the grains follow.
        var slotSeries = new List<(string, double[], double[])>();
        foreach (var (port, i) in ev.Ports.Select((p, i) => (p, i)))
        {
            var active = so.Slots.Where(x => x.Port == port && x.ActiveSlots is not null).ToList();
            slotSeries.Add(($"silo {i + 1}", [.. active.Select(x => T(x.UnixMs))], [.. active.Select(x => (double)x.ActiveSlots!.Value)]));
            var owned = so.Slots.Where(x => x.Port == port && x.OwnedSlots is not null).ToList();
            if (owned.Count > 0)
                slotSeries.Add(($"silo {i + 1} (owned in the map)", [.. owned.Select(x => T(x.UnixMs))], [.. owned.Select(x => (double)x.OwnedSlots!.Value)]));
        }
        if (slotSeries.Any(s => s.Item2.Length > 0))
        {
            Charts.TimeLines(Path.Combine(set.Directory, "scaleout-slots.png"),
                "Scale-out: slot grains active per silo (INFO orleans_silo_active_slots), and slots its node owns (dashed)",
                "slots", slotSeries, marks);
            md.AppendLine("![Scale-out: active slots per silo over time](scaleout-slots.png)").AppendLine();
        }
        var cpuSeries = CpuSeries(so, T);
        if (cpuSeries.Count > 0)
        {
            Charts.TimeLines(Path.Combine(set.Directory, "scaleout-cpu.png"), "Scale-out: CPU per silo process (/proc, per second)",
                "cores busy", cpuSeries, marks, decimals: true);
            md.AppendLine("![Scale-out: CPU per silo over time](scaleout-cpu.png)").AppendLine();
        }
        WriteScaleOutCsv(so, T, points);
        md.AppendLine("Per second: `scaleout.csv` beside this report (replies per silo, active slots and CPU per silo).").AppendLine();
    }

    private static string Endpoint(LoadResult r, int port) =>
        r.Nodes?.Select(n => n.Endpoint).Concat(r.Timeline?.SelectMany(p => p.Replies.Keys) ?? [])
            .FirstOrDefault(e => e.EndsWith($":{port}", StringComparison.Ordinal)) ?? $"127.0.0.1:{port}";

    private static double Share(TimelinePoint p, string endpoint)
    {
        long total = p.Replies.Values.Sum();
        return total == 0 ? 0 : p.Replies.GetValueOrDefault(endpoint) / (double)total;
    }

    /// <summary>For each sample of <paramref name="port"/>: its active slots and their share of all silos' (each silo's latest sample).</summary>
    private static List<(long UnixMs, int Slots, double Share)> SlotShares(ScaleOut so, int port)
    {
        var result = new List<(long, int, double)>();
        var latest = new Dictionary<int, int>();
        foreach (var s in so.Slots)
        {
            if (s.ActiveSlots is not int slots) continue;
            latest[s.Port] = slots;
            if (s.Port != port) continue;
            int all = latest.Values.Sum();
            result.Add((s.UnixMs, slots, all == 0 ? 0 : slots / (double)all));
        }
        return result;
    }

    private static List<(string, double[], double[])> CpuSeries(ScaleOut so, Func<long, double> t)
    {
        var series = new List<(string, double[], double[])>();
        foreach (var (port, i) in so.Events.Ports.Select((p, i) => (p, i)))
        {
            var xs = new List<double>();
            var ys = new List<double>();
            (long Ms, long Ticks)? previous = null;
            foreach (var sample in so.Cpu)
            {
                if (sample.Silos.Find(x => x.Port == port) is not { } silo) continue;
                if (previous is { } p && sample.UnixMs > p.Ms && silo.CpuTicks >= p.Ticks)
                {
                    xs.Add(t(sample.UnixMs));
                    ys.Add((silo.CpuTicks - p.Ticks) / sample.ClockTicksPerSecond / ((sample.UnixMs - p.Ms) / 1000.0));
                }
                previous = (sample.UnixMs, silo.CpuTicks);
            }
            if (xs.Count > 0) series.Add(($"silo {i + 1}", [.. xs], [.. ys]));
        }
        // The generator, and what else kept the machine busy (other processes than the silos and the generator).
        var gx = new List<double>();
        var gy = new List<double>();
        var ox = new List<double>();
        var oy = new List<double>();
        for (int k = 1; k < so.Cpu.Count; k++)
        {
            var (a, b) = (so.Cpu[k - 1], so.Cpu[k]);
            double seconds = (b.UnixMs - a.UnixMs) / 1000.0;
            if (seconds <= 0) continue;
            double Cores(long? x, long? y) => x is long p && y is long q && q >= p ? (q - p) / b.ClockTicksPerSecond / seconds : double.NaN;
            double generator = Cores(a.GeneratorTicks, b.GeneratorTicks);
            double silos = b.Silos.Sum(s => a.Silos.Find(x => x.Pid == s.Pid) is { } before ? Cores(before.CpuTicks, s.CpuTicks) : 0);
            double others = Cores(a.MachineTicks, b.MachineTicks) - silos - generator;
            if (double.IsFinite(generator))
            {
                gx.Add(t(b.UnixMs));
                gy.Add(generator);
            }
            if (double.IsFinite(others))
            {
                ox.Add(t(b.UnixMs));
                oy.Add(Math.Max(0, others));
            }
        }
        if (gx.Count > 0) series.Add(("generator", [.. gx], [.. gy]));
        if (ox.Count > 0) series.Add(("other processes (PostgreSQL included)", [.. ox], [.. oy]));
        return series;
    }

    /// <summary>scaleout.csv: one line per generator second, with each silo's latest active slots and CPU at its end.</summary>
    private void WriteScaleOutCsv(ScaleOut so, Func<long, double> t, List<TimelinePoint> points)
    {
        var ports = so.Events.Ports;
        var csv = new StringBuilder("seconds,phase,ops_per_s");
        for (int i = 1; i <= ports.Count; i++) csv.Append($",silo{i}_ops_per_s,silo{i}_active_slots,silo{i}_cores");
        csv.AppendLine(",redirects,errors");
        var cpu = CpuSeries(so, t).ToDictionary(s => s.Item1, s => (Xs: s.Item2, Ys: s.Item3));
        foreach (var p in points)
        {
            double x = t(p.UnixMs);
            csv.Append(F3(x)).Append(',').Append(p.Phase).Append(',').Append(F3(p.Replies.Values.Sum() / p.Interval));
            for (int i = 0; i < ports.Count; i++)
            {
                string ep = Endpoint(so.Result, ports[i]);
                csv.Append(',').Append(p.Replies.TryGetValue(ep, out long n) ? F3(n / p.Interval) : "");
                var slot = so.Slots.LastOrDefault(s => s.Port == ports[i] && s.UnixMs <= p.UnixMs && s.ActiveSlots is not null);
                csv.Append(',').Append(slot?.ActiveSlots?.ToString(CultureInfo.InvariantCulture) ?? "");
                int k = cpu.TryGetValue($"silo {i + 1}", out var c) ? Array.FindLastIndex(c.Xs, v => v <= x) : -1;
                csv.Append(',').Append(k >= 0 ? F3(c.Ys[k]) : "");
            }
            csv.Append(',').Append(p.Redirects.ToString(CultureInfo.InvariantCulture)).Append(',').AppendLine(p.Errors.ToString(CultureInfo.InvariantCulture));
        }
        File.WriteAllText(Path.Combine(set.Directory, "scaleout.csv"), csv.ToString());
        static string F3(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
