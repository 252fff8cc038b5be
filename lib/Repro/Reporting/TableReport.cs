using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using Plotly.NET;
using Repro.Experiments.Tables;

namespace Repro.Reporting;

/// <summary>Renders a filled paper table: text for the terminal, CSV/JSON files, a DataFrame, and an offline HTML page with charts.</summary>
public static class TableReport
{
    static string F(double? v, int digits = 1) => v is null ? "-" : v.Value.ToString("F" + digits, CultureInfo.InvariantCulture);

    public static string Caption(TableResult t)
    {
        // A column's runs are seeds x replicates (folds) x row settings (missing rates): count the seeds alone.
        int seeds = t.Costs.Count > 0 ? t.Costs.Select(c => c.Seed).Distinct().Count() : t.Runs.Values.Select(r => r.Count).DefaultIfEmpty(0).Max();
        int replicates = t.Costs.Select(c => c.Replicate).Distinct().Count();
        return $"{t.Spec.Title} - {t.Dataset} ({(t.StandIn ? "embedded stand-in" : "user data")}), profile {t.Profile}, " +
               $"selection {t.Selection}, {seeds} seed{(seeds == 1 ? "" : "s")}" + (replicates > 1 ? $" x {replicates} replicates" : "") +
               (t.DataCoverage is { } c ? $"; missing files dropped: {Data.SplitCoverage.Describe(c)}" : "");
    }

    const string TestBestNote =
        "test-best: the same runs read at their best test epoch, as the official repositories select (no extra training).";

    /// <summary>Whether the table shows a test-best reading beside its validation-selected one (only where they differ).</summary>
    public static bool ShowTestBest(TableResult t) => t.Selection != nameof(Training.Selection.TestBest) && t.TestBestDiffers;

    /// <summary>The rows with a number to show, ours or the paper's (a figure without published values shows only the rows that ran); only the rows that ran when <paramref name="ranOnly"/>.</summary>
    public static IEnumerable<TableRow> ShownRows(TableResult t, bool ranOnly = false) =>
        t.Rows.Where(r => t.Columns.Any(c => t.Mean(r.Label, c.Label) is not null || (!ranOnly && t.Paper(r.Label, c.Label) is not null)));

    /// <summary>Rows of ours (mean over seeds, ± SD when several) with the paper's numbers beneath.</summary>
    public static string ToText(TableResult t)
    {
        var cols = t.Columns.Select(c => c.Label).ToArray();
        int w0 = Math.Max(12, t.Rows.Max(r => r.Label.Length) + (ShowTestBest(t) ? 10 : 7));
        var widths = cols.Select(c => Math.Max(c.Length, 11)).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine(Caption(t));
        if (ShownRows(t).Any(r => r.Point is null))
        {
            sb.Append("".PadRight(w0));
            for (int i = 0; i < cols.Length; i++) sb.Append("  ").Append(cols[i].PadLeft(widths[i]));
            sb.AppendLine();
        }
        foreach (var row in ShownRows(t).Where(r => r.Point is null))
        {
            sb.Append($"{row.Label} ours".PadRight(w0));
            for (int i = 0; i < cols.Length; i++)
            {
                var mean = t.Mean(row.Label, cols[i]);
                var sd = t.StdDev(row.Label, cols[i]);
                sb.Append("  ").Append((F(mean, row.Digits) + (sd is null ? "" : "±" + F(sd, row.Digits))).PadLeft(widths[i]));
            }
            sb.AppendLine();
            if (ShowTestBest(t))
            {
                sb.Append($"{"".PadRight(row.Label.Length)} test-best".PadRight(w0));
                for (int i = 0; i < cols.Length; i++) sb.Append("  ").Append(F(t.Mean(row.Label, cols[i], testBest: true), row.Digits).PadLeft(widths[i]));
                sb.AppendLine();
            }
            sb.Append($"{"".PadRight(row.Label.Length)} paper".PadRight(w0));
            for (int i = 0; i < cols.Length; i++)
                sb.Append("  ").Append(F(t.Paper(row.Label, cols[i]), Math.Max(2, row.Digits)).PadLeft(widths[i]));
            sb.AppendLine();
        }
        if (ShowTestBest(t)) sb.AppendLine(TestBestNote);
        if (CurveMatrix(t) is { } matrix)
        {
            var w = matrix.Rows.Max(r => r.Name.Length);
            var cw = matrix.Rows.SelectMany(r => r.Values).Select(v => FCurve(v).Length).Append(matrix.Epochs.ToString().Length).Max();
            const int perLine = 20;   // epochs per block, so the paper profile's 100 stay readable in a terminal
            for (int from = 0; from < matrix.Epochs; from += perLine)
            {
                int to = Math.Min(matrix.Epochs, from + perLine);
                sb.Append("epoch".PadRight(w));
                for (int e = from; e < to; e++) sb.Append("  ").Append((e + 1).ToString(CultureInfo.InvariantCulture).PadLeft(cw));
                sb.AppendLine();
                foreach (var (name, values) in matrix.Rows)
                {
                    sb.Append(name.PadRight(w));
                    for (int e = from; e < to; e++) sb.Append("  ").Append(FCurve(values[e]).PadLeft(cw));
                    sb.AppendLine();
                }
            }
        }
        foreach (var (c, why) in t.Skipped) sb.AppendLine($"not run: {c} ({why})");
        if (t.Spec.Notes.Length > 0) sb.AppendLine(t.Spec.Notes);
        return sb.ToString();
    }

    static string FCurve(double? v) => v is null ? "-" : v.Value.ToString(Math.Abs(v.Value) >= 10 ? "F1" : "G3", CultureInfo.InvariantCulture);

    /// <summary>A figure's curves (<see cref="TableRow.Point"/> rows) as "{panel} {curve} - {column}" by epoch (mean over seeds, null where a run lacks the epoch); null when the table has none.</summary>
    public static (int Epochs, IReadOnlyList<(string Name, double?[] Values)> Rows)? CurveMatrix(TableResult t)
    {
        var points = ShownRows(t, ranOnly: true).Where(r => r.Point is not null).ToArray();
        if (points.Length == 0) return null;
        int epochs = points.Max(r => r.Point!.Epoch);
        var rows = new List<(string, double?[])>();
        foreach (var curve in points.GroupBy(r => (r.Point!.Panel, r.Point.Curve)))
            foreach (var c in t.Columns.Where(c => curve.First().Reads(c.Label)))
            {
                var values = new double?[epochs];
                foreach (var r in curve) values[r.Point!.Epoch - 1] = t.Mean(r.Label, c.Label);
                if (values.Any(v => v is not null)) rows.Add(($"{curve.Key.Panel} {curve.Key.Curve} - {c.Label}", values));
            }
        return (epochs, rows);
    }

    /// <summary>The rows the CSV and JSON files list: every ordinary row (with the paper's number where ours is missing), a figure's points only where a run has them.</summary>
    static IEnumerable<TableRow> FileRows(TableResult t) =>
        t.Rows.Where(r => r.Point is null || t.Columns.Any(c => t.Mean(r.Label, c.Label) is not null));

    /// <summary>Long format: one line per (row, column) with ours (mean, SD, seeds) and the paper's number.</summary>
    public static string ToCsv(TableResult t)
    {
        var sb = new StringBuilder("experiment,dataset,profile,selection,row,column,ours_mean,ours_sd,seeds,ours_test_best_mean,paper\n");
        foreach (var row in FileRows(t))
            foreach (var c in t.Columns.Where(c => row.Reads(c.Label)))
            {
                int n = t.Cells.TryGetValue((row.Label, c.Label), out var v) ? v.Count : 0;
                sb.AppendJoin(',', t.Spec.Id, t.Dataset, t.Profile.Name, t.Selection, Q(row.Label), Q(c.Label),
                    F(t.Mean(row.Label, c.Label), 4), F(t.StdDev(row.Label, c.Label), 4), n,
                    F(t.Mean(row.Label, c.Label, testBest: true), 4), F(t.Paper(row.Label, c.Label), 2)).Append('\n');
            }
        return sb.ToString().Replace(",-,", ",,").Replace(",-\n", ",\n");

        static string Q(string s) => s.Contains(',') ? $"\"{s}\"" : s;
    }

    public static string ToJson(TableResult t)
    {
        var cells = new JsonArray();
        foreach (var row in FileRows(t))
            foreach (var c in t.Columns.Where(c => row.Reads(c.Label)))
                cells.Add(new JsonObject
                {
                    ["row"] = row.Label, ["column"] = c.Label,
                    ["ours"] = t.Cells.TryGetValue((row.Label, c.Label), out var v) ? new JsonArray(v.Select(x => (JsonNode?)x).ToArray()) : new JsonArray(),
                    ["oursMean"] = t.Mean(row.Label, c.Label), ["oursTestBestMean"] = t.Mean(row.Label, c.Label, testBest: true),
                    ["paper"] = t.Paper(row.Label, c.Label),
                });
        var o = new JsonObject
        {
            ["experiment"] = t.Spec.Id, ["title"] = t.Spec.Title, ["source"] = t.Spec.Source,
            ["dataset"] = t.Dataset, ["standIn"] = t.StandIn, ["profile"] = t.Profile.Name, ["selection"] = t.Selection,
            ["cells"] = cells,
            ["runs"] = new JsonObject(t.Runs.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key,
                new JsonArray(kv.Value.Select(r => (JsonNode?)new JsonObject { ["key"] = r.Key, ["seconds"] = r.Seconds, ["reused"] = r.Reused }).ToArray())))),
            ["dataCoverage"] = t.DataCoverage is null ? null : JsonSerializer.SerializeToNode(t.DataCoverage, Json.Options),
            ["skipped"] = new JsonArray(t.Skipped.Select(s => (JsonNode?)new JsonObject { ["column"] = s.Column, ["reason"] = s.Reason }).ToArray()),
            ["wallSeconds"] = t.WallSeconds,
        };
        return o.ToJsonString(Json.Options);
    }

    /// <summary>The table as a DataFrame: columns Row, Column, Ours, OursSD, OursTestBest (the same runs at their best test epoch), Paper; with <paramref name="ranOnly"/>, only the rows this profile ran (a grid whose other rows show the paper's numbers alone).</summary>
    public static DataFrame ToDataFrame(TableResult t, bool ranOnly = false)
    {
        var rows = ShownRows(t, ranOnly).SelectMany(r => t.Columns.Select(c => (Row: r.Label, Col: c.Label))).ToList();
        return new DataFrame(
            new StringDataFrameColumn("Row", rows.Select(x => x.Row)),
            new StringDataFrameColumn("Column", rows.Select(x => x.Col)),
            new DoubleDataFrameColumn("Ours", rows.Select(x => t.Mean(x.Row, x.Col))),
            new DoubleDataFrameColumn("OursSD", rows.Select(x => t.StdDev(x.Row, x.Col))),
            new DoubleDataFrameColumn("OursTestBest", rows.Select(x => t.Mean(x.Row, x.Col, testBest: true))),
            new DoubleDataFrameColumn("Paper", rows.Select(x => t.Paper(x.Row, x.Col))));
    }

    /// <summary>One grouped bar chart per table row: ours (and its test-best reading where it differs) beside the paper's number for every column.</summary>
    public static IEnumerable<GenericChart> Charts(TableResult t)
    {
        var cols = t.Columns.Select(c => c.Label).ToArray();
        GenericChart Bars(string name, Func<string, double> value) =>
            Plotly.NET.CSharp.Chart.Column<double, string, string>(values: cols.Select(value).ToArray(), Keys: cols, Name: name);
        foreach (var panel in ShownRows(t, ranOnly: true).Where(r => r.Point is not null).GroupBy(r => r.Point!.Panel))
        {
            var lines = panel.GroupBy(r => r.Point!.Curve).SelectMany(curve => t.Columns.Where(c => curve.First().Reads(c.Label)).Select(c =>
            {
                var byEpoch = curve.OrderBy(r => r.Point!.Epoch).ToArray();
                return ($"{curve.Key} - {c.Label}", (IReadOnlyList<double>)byEpoch.Select(r => (double)r.Point!.Epoch).ToArray(),
                    (IReadOnlyList<double>)byEpoch.Select(r => t.Value(r.Label, c.Label)).ToArray());
            })).Where(l => l.Item3.Any(double.IsFinite));
            yield return Reporting.Charts.Lines(lines, $"{panel.Key} {string.Join("; ", panel.Select(r => r.Point!.Curve).Distinct())}", "epoch");
        }
        foreach (var row in ShownRows(t).Where(r => r.Point is null))
        {
            var series = new List<GenericChart> { Bars("ours", c => t.Value(row.Label, c)) };
            if (ShowTestBest(t)) series.Add(Bars("ours, test-best", c => t.Value(row.Label, c, testBest: true)));
            series.Add(Bars("paper", c => t.Paper(row.Label, c) ?? double.NaN));
            var chart = Plotly.NET.CSharp.Chart.Combine(series);
            chart = Plotly.NET.Chart.withTitle($"{row.Label}: {row.Measure}", null).Invoke(chart);
            yield return Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, 900, 380);
        }
    }

    /// <summary>
    /// The 2-D points of the rows' analyses in long format, one line per point: row, column, seed, group, x, y; null
    /// when the table has none.
    /// </summary>
    public static string? ToPointsCsv(TableResult t)
    {
        if (t.Points.Count == 0) return null;
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("experiment,dataset,profile,row,column,seed,group,x,y\n");
        foreach (var ((row, column), seeds) in t.Points.OrderBy(kv => kv.Key.Row, StringComparer.Ordinal).ThenBy(kv => t.Columns.Select(c => c.Label).ToList().IndexOf(kv.Key.Column)))
            for (int s = 0; s < seeds.Count; s++)
                foreach (var p in seeds[s])
                    sb.AppendJoin(',', t.Spec.Id, t.Dataset, t.Profile.Name, Q(row), Q(column), s, Q(p.Group),
                        p.X.ToString("G6", ci), p.Y.ToString("G6", ci)).Append('\n');
        return sb.ToString();

        static string Q(string s) => s.Contains(',') ? $"\"{s}\"" : s;
    }

    /// <summary>One scatter chart per (row, column) with points: the first seed's (seeds' projections have unrelated axes).</summary>
    public static IEnumerable<GenericChart> PointCharts(TableResult t) =>
        t.Columns.SelectMany(c => t.Rows.Where(r => t.Points.ContainsKey((r.Label, c.Label)))
            .Select(r => Reporting.Charts.Scatter(t.Points[(r.Label, c.Label)][0], $"{c.Label}: {r.Label} (seed 0; {r.Measure} {F(t.Mean(r.Label, c.Label), r.Digits)})", "PC 1", "PC 2")));

    public static string ToHtml(TableResult t)
    {
        var page = new HtmlPage(t.Spec.Title).Paragraph(Caption(t)).Paragraph(t.Spec.Source);
        var header = new List<string> { "" }.Concat(t.Columns.Select(c => c.Label)).ToList();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var r in t.Rows.Where(r => r.Point is null))
        {
            rows.Add(new List<string> { r.Label + " (ours)" }.Concat(t.Columns.Select(c => F(t.Mean(r.Label, c.Label), r.Digits))).ToList());
            if (ShowTestBest(t))
                rows.Add(new List<string> { r.Label + " (ours, test-best)" }.Concat(t.Columns.Select(c => F(t.Mean(r.Label, c.Label, testBest: true), r.Digits))).ToList());
            rows.Add(new List<string> { r.Label + " (paper)" }.Concat(t.Columns.Select(c => F(t.Paper(r.Label, c.Label), Math.Max(2, r.Digits)))).ToList());
        }
        if (rows.Count > 0) page.Table(header, rows);
        if (ShowTestBest(t)) page.Paragraph(TestBestNote);
        if (CurveMatrix(t) is { } matrix)
            page.Table(["epoch", .. Enumerable.Range(1, matrix.Epochs).Select(e => e.ToString(CultureInfo.InvariantCulture))],
                matrix.Rows.Select(r => (IReadOnlyList<string>)[r.Name, .. r.Values.Select(FCurve)]).ToList());
        foreach (var c in Charts(t)) page.Chart(c);
        foreach (var c in PointCharts(t)) page.Chart(c);
        foreach (var (c, why) in t.Skipped) page.Paragraph($"Not run: {c} ({why}).");
        if (t.Spec.Notes.Length > 0) page.Paragraph(t.Spec.Notes);
        return page.ToString();
    }
}
