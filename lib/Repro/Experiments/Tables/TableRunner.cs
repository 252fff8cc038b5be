using Repro.Methods;
using Repro.Training;

namespace Repro.Experiments.Tables;

/// <summary>Fills a paper table on a dataset: one run per column and seed (reused when already finished).</summary>
public static class TableRunner
{
    public static TableResult Run(ExperimentRunner runner, TableSpec spec, string dataset, string? dataRoot, Profile profile,
        int? seeds = null, Selection selection = Selection.Validation, IEnumerable<string>? onlyColumns = null)
    {
        if (!spec.Datasets.Contains(dataset))
            throw new ArgumentException($"{spec.Id} has no rows for dataset '{dataset}'; it covers {string.Join(", ", spec.Datasets)}.");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var wanted = onlyColumns?.ToHashSet();
        var columns = new List<TableColumn>();
        var skipped = new List<(string, string)>();
        foreach (var c in spec.Columns.Where(c => wanted is null || wanted.Contains(c.Label)))
        {
            if (MethodRegistry.IsKnown(c.Method)) columns.Add(c);
            else skipped.Add((c.Label, $"method '{c.Method}' is not implemented in this build of the kit"));
        }
        var cells = new Dictionary<(string, string), List<double>>();
        var testBest = new Dictionary<(string, string), List<double>>();
        var runs = new Dictionary<string, List<(string, double, bool)>>();
        var costs = new List<CellCost>();
        int n = seeds ?? spec.SeedsFor?.Invoke(profile) ?? profile.Seeds;
        var runDataset = spec.RunDatasets.GetValueOrDefault(dataset, dataset);
        var rowsRun = spec.RowsFor?.Invoke(profile)?.ToHashSet();
        var rows = spec.Rows.Where(r => r.MetricByDataset.ContainsKey(dataset) && (rowsRun is null || rowsRun.Contains(r.Label))).ToArray();
        var replicates = spec.ReplicatesFor?.Invoke(profile) ?? [""];
        foreach (var column in columns)
        {
            runs[column.Label] = new();
            foreach (var group in rows.GroupBy(r => r.DatasetSettings ?? ""))
                foreach (var replicate in replicates)
                    for (int s = 0; s < n; s++)
                    {
                        var ds = string.Join(":", new[] { runDataset, group.Key, replicate }.Where(x => x.Length > 0));
                        var spec1 = new RunSpec
                        {
                            Dataset = ds, DataRoot = dataRoot, Profile = profile.Name,
                            Method = column.MethodOptions(dataset, profile.Name), Seed = (ulong)s, Selection = selection,
                        };
                        var (result, reused) = runner.Run(spec1);
                        runs[column.Label].Add((result.Key, result.WallSeconds, reused));
                        costs.Add(new CellCost(column.Label, group.Key, replicate, s, result.WallSeconds, reused));
                        var atTestBest = result.TestAt(Selection.TestBest);
                        foreach (var row in group)
                        {
                            if (row.TestSettings is { } test)
                            {
                                Add(cells, runner.Evaluate(spec1, $"{ds}:{test}"), row.Label, column.Label, row.MetricByDataset[dataset]);
                                continue;
                            }
                            Add(cells, result.Test, row.Label, column.Label, row.MetricByDataset[dataset]);
                            Add(testBest, atTestBest, row.Label, column.Label, row.MetricByDataset[dataset]);
                        }
                    }
        }
        return new TableResult
        {
            Spec = spec, Dataset = dataset, Profile = profile.Name, StandIn = dataRoot is null,
            Selection = selection.ToString(), Columns = columns, Skipped = skipped, Cells = cells, TestBestCells = testBest,
            Runs = runs, Costs = costs,
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
