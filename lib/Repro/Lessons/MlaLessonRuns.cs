using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Training;

namespace Repro.Lessons;

/// <summary>
/// The run behind one column of a filled table, read back from the results store, for a lesson that looks inside a
/// table's runs (a metric per epoch, the selected model). It names the run exactly as <see cref="TableRunner"/> did, so
/// nothing is trained again; a table of settings rows or replicates (folds, missing rates) has several runs per column
/// and is refused.
/// </summary>
public static class MlaLessonRuns
{
    public static RunResult Column(ExperimentRunner runner, TableResult table, string column, int seed = 0, string? dataRoot = null) =>
        runner.Run(Spec(table, column, seed, dataRoot)).Result;

    /// <summary>The run behind one column of a filled table, named as <see cref="TableRunner"/> named it (for
    /// <see cref="ExperimentRunner.Fresh"/>: the weights it started from; <see cref="ExperimentRunner.Selected"/>: its selected model).</summary>
    public static RunSpec Spec(TableResult table, string column, int seed = 0, string? dataRoot = null)
    {
        var c = table.Columns.FirstOrDefault(c => c.Label == column)
                ?? throw new ArgumentException($"{table.Spec.Id} on {table.Dataset} has no column '{column}'; it has {string.Join(", ", table.Columns.Select(c => c.Label))}.");
        if (table.Costs.Any(x => x.Settings.Length > 0 || x.Replicate.Length > 0))
            throw new ArgumentException($"{table.Spec.Id}: a column has one run per row setting or replicate; name the run with ExperimentRunner.Run instead.");
        var spec = new RunSpec
        {
            Dataset = table.Spec.RunDatasets.GetValueOrDefault(table.Dataset, table.Dataset), DataRoot = dataRoot,
            Profile = table.Profile, Method = c.Spec(table.Dataset, table.Profile), Seed = (ulong)seed,
            Selection = Enum.Parse<Selection>(table.Selection),
        };
        var key = spec.Key;
        if (table.Runs.TryGetValue(column, out var runs) && runs.All(r => r.Key != key))
            throw new ArgumentException($"{table.Spec.Id}, column {column}: seed {seed} is not one of the table's runs ({string.Join(", ", runs.Select(r => r.Key))}).");
        return spec;
    }
}
