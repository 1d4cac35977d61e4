using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace OrleansLua.BenchReport;

/// <summary>The report's PNG charts (ScottPlot). Every chart has a title, axis labels and a legend.</summary>
public static class Charts
{
    private const int Width = 1200;
    private const int Height = 620;

    private static readonly Dictionary<string, string> ScenarioColors = new()
    {
        ["redis"] = "#d62728",
        ["ol-1-memory"] = "#1f5fa8",
        ["ol-1-durable"] = "#7fb2e0",
        ["ol-3-memory"] = "#238b45",
        ["ol-3-memory-cluster"] = "#e6a100",
        ["ol-3-durable"] = "#8fd18a",
    };

    private static readonly string[] Extra = ["#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static Color ColorOf(IReadOnlyList<string> scenarios, string scenario) =>
        Color.FromHex(ScenarioColors.TryGetValue(scenario, out var hex)
            ? hex
            : Extra[Math.Max(0, scenarios.Where(s => !ScenarioColors.ContainsKey(s)).ToList().IndexOf(scenario)) % Extra.Length]);

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");   // the serif fallback reads worse; DejaVu ships with fontconfig on Debian
        plot.Title(title, 20);
        plot.XLabel(xLabel, 16);
        plot.YLabel(yLabel, 16);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 14;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Legend.FontSize = 14;
        return plot;
    }

    /// <summary>
    /// Grouped bars: one group per workload, one bar per scenario, with the value on top of each bar.
    /// <paramref name="value"/> returns null for a missing run (no bar).
    /// </summary>
    public static void GroupedBars(string path, string title, string yLabel, IReadOnlyList<string> groups,
        IReadOnlyList<string> scenarios, Func<string, string, double?> value, Func<double, string> label)
    {
        var plot = NewPlot(title, "workload", yLabel);
        double slot = 0.84 / scenarios.Count;
        var bars = new List<Bar>();
        for (int g = 0; g < groups.Count; g++)
        {
            for (int s = 0; s < scenarios.Count; s++)
            {
                if (value(groups[g], scenarios[s]) is not double v || !double.IsFinite(v)) continue;
                bars.Add(new Bar
                {
                    Position = g + (s - (scenarios.Count - 1) / 2.0) * slot,
                    Value = v,
                    Size = slot * 0.92,
                    FillColor = ColorOf(scenarios, scenarios[s]),
                    LineWidth = 0,
                    Label = label(v),
                });
            }
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = scenarios.Count > 4 ? 11 : 13;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, groups.Count).Select(i => (double)i)], [.. groups]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0, top: 0.18);
        plot.HideGrid();
        plot.Grid.YAxisStyle.IsVisible = true;
        foreach (var scenario in scenarios)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = scenario, FillColor = ColorOf(scenarios, scenario) });
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.SavePng(path, Width + 200, Height);
    }

    /// <summary>
    /// Latency percentile curves: x = percentile on a log scale of 1/(1-p) (50 %, 90 %, 99 %, …), y = latency (ms, log scale).
    /// </summary>
    public static void PercentileCurves(string path, string title, IReadOnlyList<(string Scenario, double[][] Points)> series,
        IReadOnlyList<string> scenarios)
    {
        var plot = NewPlot(title, "percentile", "latency (ms, log scale)");
        double maxX = 0, minY = double.MaxValue, maxY = double.MinValue;
        foreach (var (scenario, points) in series)
        {
            // From the 1st percentile (the very fastest replies would stretch the y axis by a decade) to
            // the last one below 100 % (1/(1-p) is infinite there).
            var usable = points.Where(p => p.Length >= 2 && p[0] >= 1 && p[0] < 100 && p[1] > 0).ToArray();
            if (usable.Length == 0) continue;
            double[] xs = [.. usable.Select(p => Math.Log10(1 / (1 - p[0] / 100)))];
            double[] ys = [.. usable.Select(p => Math.Log10(p[1] / 1000))];
            var line = plot.Add.ScatterLine(xs, ys, ColorOf(scenarios, scenario));
            line.LineWidth = 2.5f;
            line.LegendText = scenario;
            maxX = Math.Max(maxX, xs.Max());
            minY = Math.Min(minY, ys.Min());
            maxY = Math.Max(maxY, ys.Max());
        }
        if (maxX == 0) return;
        var xTicks = new NumericManual();
        string[] names = ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"];
        xTicks.AddMajor(Math.Log10(2), "50%");
        for (int i = 1; i < names.Length && i <= Math.Ceiling(maxX); i++) xTicks.AddMajor(i, names[i]);
        plot.Axes.Bottom.TickGenerator = xTicks;
        plot.Axes.Left.TickGenerator = LogTicks(minY, maxY, v => Number(v) + " ms");
        plot.Axes.SetLimitsX(0, Math.Ceiling(maxX * 10) / 10);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Throughput against connection count: one line per scenario, log2 x axis.</summary>
    public static void Lines(string path, string title, string xLabel, string yLabel,
        IReadOnlyList<(string Scenario, double[] Xs, double[] Ys)> series, IReadOnlyList<string> scenarios)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        var all = new SortedSet<double>();
        foreach (var (scenario, xs, ys) in series)
        {
            if (xs.Length == 0) continue;
            var line = plot.Add.Scatter(xs.Select(Math.Log2).ToArray(), ys, ColorOf(scenarios, scenario));
            line.LineWidth = 2.5f;
            line.MarkerSize = 9;
            line.LegendText = scenario;
            foreach (double x in xs) all.Add(x);
        }
        if (all.Count == 0) return;
        plot.Axes.Bottom.SetTicks([.. all.Select(Math.Log2)], [.. all.Select(x => Number(x))]);
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = v => Thousands(v) };
        plot.Axes.SetLimitsY(0, series.Where(s => s.Ys.Length > 0).Max(s => s.Ys.Max()) * 1.08);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }

    private static readonly string[] SeriesColors = ["#1f5fa8", "#238b45", "#e6a100", "#9467bd", "#8c564b", "#17becf"];

    /// <summary>
    /// Values over time: one line per series (a total, named "all …", black and dashed; "name (…)" dashed in the
    /// colour of "name"), dotted vertical lines at <paramref name="marks"/>. x is seconds since the run started.
    /// </summary>
    public static void TimeLines(string path, string title, string yLabel, IReadOnlyList<(string Name, double[] Xs, double[] Ys)> series,
        IReadOnlyList<(double X, string Label)> marks, bool decimals = false)
    {
        var plot = NewPlot(title, "seconds since the generator started", yLabel);
        double maxY = 0;
        var bases = new List<string>();
        for (int i = 0; i < series.Count; i++)
        {
            var (name, xs, ys) = series[i];
            if (xs.Length == 0) continue;
            bool total = name.StartsWith("all", StringComparison.Ordinal);
            int paren = name.IndexOf(" (", StringComparison.Ordinal);
            string baseName = paren > 0 ? name[..paren] : name;
            if (!bases.Contains(baseName)) bases.Add(baseName);
            var color = total ? Colors.Black : Color.FromHex(SeriesColors[bases.IndexOf(baseName) % SeriesColors.Length]);
            var line = plot.Add.ScatterLine(xs, ys, color);
            line.LineWidth = total || paren > 0 ? 1.5f : 2.5f;
            if (total || paren > 0) line.LinePattern = LinePattern.Dashed;
            line.LegendText = name;
            maxY = Math.Max(maxY, ys.Max());
        }
        if (maxY == 0) maxY = 1;
        foreach (var (x, label) in marks)
        {
            var mark = plot.Add.VerticalLine(x, 1.5f, Colors.Gray, LinePattern.Dotted);
            mark.LegendText = $"{label} ({x:0.0} s)";
        }
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            LabelFormatter = decimals ? v => v.ToString("0.##", CultureInfo.InvariantCulture) : v => Thousands(v),
        };
        plot.Axes.SetLimitsY(0, maxY * 1.12);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Decade ticks for a log10 axis: majors at 1, 10, 100, … with 2 and 5 labelled too, minors at 2..9.</summary>
    private static NumericManual LogTicks(double min, double max, Func<double, string> format)
    {
        var ticks = new NumericManual();
        int lo = (int)Math.Floor(min), hi = (int)Math.Ceiling(max);
        bool fewDecades = hi - lo <= 3;
        for (int d = lo; d <= hi; d++)
        {
            for (int m = 1; m <= 9; m++)
            {
                double v = m * Math.Pow(10, d);
                double pos = Math.Log10(v);
                if (m == 1 || (fewDecades && m is 2 or 5)) ticks.AddMajor(pos, format(v));
                else ticks.AddMinor(pos);
            }
        }
        return ticks;
    }

    public static string Number(double v) =>
        v >= 100 ? v.ToString("0", CultureInfo.InvariantCulture)
        : v >= 1 ? v.ToString("0.##", CultureInfo.InvariantCulture)
        : v.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Thousands(double v) => v.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>61234 → "61k", 1234 → "1.2k", 950 → "950".</summary>
    public static string Short(double v) =>
        v >= 10_000 ? (v / 1000).ToString("0", CultureInfo.InvariantCulture) + "k"
        : v >= 1000 ? (v / 1000).ToString("0.0", CultureInfo.InvariantCulture) + "k"
        : v >= 10 ? v.ToString("0", CultureInfo.InvariantCulture)
        : v.ToString("0.0", CultureInfo.InvariantCulture);
}
