using Repro.Methods;
using Repro.Training;

namespace Repro.Experiments.Tables;

/// <summary>Fills a paper table on a dataset: one run per column and seed (reused when already finished).</summary>
public static class TableRunner
{
    /// <summary>One run of a table: the column it fills, the rows it reads, its replicate and seed, and its spec.</summary>
    public sealed record PlannedRun(TableColumn Column, IReadOnlyList<TableRow> Rows, string Settings, string Replicate, int Seed, RunSpec Spec);

    /// <summary>
    /// Every run a table needs on a dataset, in the order <see cref="Run"/> trains them (columns, row settings, replicates,
    /// seeds), and the columns it cannot run in this build with the reason.
    /// </summary>
    public static (IReadOnlyList<PlannedRun> Runs, IReadOnlyList<TableColumn> Columns, IReadOnlyList<(string, string)> Skipped) Plan(
        TableSpec spec, string dataset, string? dataRoot, Profile profile, int? seeds = null, Selection selection = Selection.Validation,
        IEnumerable<string>? onlyColumns = null)
    {
        var (table, dataSettings) = TableDataset(dataset);
        if (!spec.Datasets.Contains(table))
            throw new ArgumentException($"{spec.Id} has no rows for dataset '{table}'; it covers {string.Join(", ", spec.Datasets)}.");
        dataset = table;
        var wanted = onlyColumns?.ToHashSet();
        var columns = new List<TableColumn>();
        var skipped = new List<(string, string)>();
        foreach (var c in spec.Columns.Where(c => (wanted is null || wanted.Contains(c.Label)) && c.RunsOn(dataset)))
        {
            if (MethodRegistry.IsKnown(c.Method)) columns.Add(c);
            else skipped.Add((c.Label, $"method '{c.Method}' is not implemented in this build of the kit"));
        }
        int n = seeds ?? spec.SeedsFor?.Invoke(profile) ?? profile.Seeds;
        var runDataset = spec.RunDatasets.GetValueOrDefault(dataset, dataset);
        var rowsRun = spec.RowsFor?.Invoke(profile)?.ToHashSet();
        var rows = spec.Rows.Where(r => r.MetricByDataset.ContainsKey(dataset) && (rowsRun is null || rowsRun.Contains(r.Label))).ToArray();
        var replicates = spec.ReplicatesFor?.Invoke(profile) ?? [""];
        var runs = new List<PlannedRun>();
        foreach (var column in columns)
            foreach (var group in rows.GroupBy(r => r.DatasetSettings ?? ""))
                foreach (var replicate in replicates)
                    for (int s = 0; s < n; s++)
                    {
                        var ds = string.Join(":", new[] { runDataset, group.Key, replicate, dataSettings }.Where(x => x.Length > 0));
                        runs.Add(new PlannedRun(column, group.ToArray(), group.Key, replicate, s, new RunSpec
                        {
                            Dataset = ds, DataRoot = dataRoot, Profile = profile,
                            Method = column.Spec(dataset, profile), Seed = (ulong)s, Selection = selection, Probes = spec.Probes,
                        }));
                    }
        return (runs, columns, skipped);
    }

    /// <summary>
    /// A table's dataset and the settings that describe the user's copy rather than choose a cell (missing-files=drop),
    /// which every run of the table carries: <c>ks:missing-files=drop</c> fills the <c>ks</c> rows on what is present.
    /// </summary>
    public static (string Table, string DataSettings) TableDataset(string dataset)
    {
        var parts = dataset.Split(':');
        var data = parts.Skip(1).Where(p => p.StartsWith(Datasets.MissingFiles.Name + "=", StringComparison.Ordinal)).ToArray();
        return (string.Join(":", parts.Where(p => !data.Contains(p))), string.Join(":", data));
    }

    public static TableResult Run(ExperimentRunner runner, TableSpec spec, string dataset, string? dataRoot, Profile profile,
        int? seeds = null, Selection selection = Selection.Validation, IEnumerable<string>? onlyColumns = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (plan, columns, skipped) = Plan(spec, dataset, dataRoot, profile, seeds, selection, onlyColumns);
        dataset = TableDataset(dataset).Table;
        IReadOnlyList<Data.SplitCoverage>? coverage = null;
        var cells = new Dictionary<(string, string), List<double>>();
        var testBest = new Dictionary<(string, string), List<double>>();
        var runs = columns.ToDictionary(c => c.Label, _ => new List<(string, double, bool)>());
        var costs = new List<CellCost>();
        var points = new Dictionary<(string, string), List<IReadOnlyList<Evaluation.ProjectedPoint>>>();
        foreach (var planned in plan)
        {
            var column = planned.Column;
            var (result, reused) = runner.Run(planned.Spec);
            runs[column.Label].Add((result.Key, result.WallSeconds, reused));
            coverage ??= result.DataCoverage;
            costs.Add(new CellCost(column.Label, planned.Settings, planned.Replicate, planned.Seed, result.WallSeconds, reused));
            var atTestBest = result.TestAt(Selection.TestBest);
            foreach (var row in planned.Rows.Where(r => r.Reads(column.Label)))
            {
                if (row.Point is { } point)
                {
                    // a history does not depend on the selection rule: the test-best reading is the same point
                    var series = result.Series(row.MetricByDataset[dataset]);
                    if (point.Epoch > series.Length || !double.IsFinite(series[point.Epoch - 1])) continue;
                    var at = new Dictionary<string, double> { ["point"] = series[point.Epoch - 1] };
                    Add(cells, at, row.Label, column.Label, "point");
                    Add(testBest, at, row.Label, column.Label, "point");
                    continue;
                }
                if (row.Analysis is { } analysis)
                {
                    var output = runner.Analyse(planned.Spec, analysis);
                    Add(cells, output.Metrics, row.Label, column.Label, row.MetricByDataset[dataset]);
                    if (output.Points.Count > 0)
                    {
                        if (!points.TryGetValue((row.Label, column.Label), out var perSeed)) points[(row.Label, column.Label)] = perSeed = new();
                        perSeed.Add(output.Points);
                    }
                    continue;
                }
                if (row.TestSettings is { } test)
                {
                    Add(cells, runner.Evaluate(planned.Spec, $"{planned.Spec.Dataset}:{test}"), row.Label, column.Label, row.MetricByDataset[dataset]);
                    continue;
                }
                Add(cells, result.Test, row.Label, column.Label, row.MetricByDataset[dataset]);
                Add(testBest, atTestBest, row.Label, column.Label, row.MetricByDataset[dataset]);
            }
        }
        return new TableResult
        {
            Spec = spec, Dataset = dataset, Profile = profile, StandIn = dataRoot is null,
            Selection = selection.ToString(), Columns = columns, Skipped = skipped, Cells = cells, TestBestCells = testBest,
            Runs = runs, Costs = costs, DataCoverage = coverage, Points = points,
            WallSeconds = watch.Elapsed.TotalSeconds,
        };
    }

    static void Add(Dictionary<(string, string), List<double>> cells, Dictionary<string, double>? metrics, string row, string column, string metric)
    {
        if (metrics is null || !metrics.TryGetValue(metric, out var value)) return;
        if (!cells.TryGetValue((row, column), out var list)) cells[(row, column)] = list = new();
        list.Add(value);
    }
}
