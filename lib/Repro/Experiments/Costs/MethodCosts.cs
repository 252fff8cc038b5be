using System.Globalization;
using System.Text;
using Repro.Data;
using Repro.Experiments.Tables;
using Repro.Methods;
using Repro.Models;
using Repro.Training;
using static TorchSharp.torch;

namespace Repro.Experiments.Costs;

/// <summary>
/// The cost table for choosing a method: every method column of MLA Table 1 and DGL Table 1 (or of the tables given),
/// each trained for a few epochs the way a run trains it (the profile's settings, the seeded validation split evaluated
/// every epoch, the test split too), one after another in this process, measured by <see cref="MethodCost"/>. Numbers
/// depend on the machine and on what else runs on it: compare rows of one table, not tables of two machines.
/// </summary>
public static class MethodCosts
{
    public static readonly TableSpec[] DefaultTables = [MlaTable1.Spec, DglTable1.Spec];

    public static IReadOnlyList<MethodCost> Measure(ExperimentRunner runner, string dataset, Profile profile, int epochs = 3,
        string? dataRoot = null, IReadOnlyList<TableSpec>? tables = null, Action<string>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        var concat = MethodRegistry.Resolve("concat").Describe();
        var columns = Columns(tables ?? DefaultTables, dataset, profile);
        if (!columns.Any(c => c.Options.Describe() == concat)) columns.Insert(0, ("Concat", MethodRegistry.Resolve("concat"), []));
        var data = runner.Dataset(dataset, dataRoot, profile);
        var (train, validation) = Subset.CarveValidation(data.Train, profile.ValidationFraction, Rng.Derive(0, 11));
        var measured = new List<(string Label, MethodSpec Options, List<string> Tables, double Seconds, long? Peak, long? Rise, long Parameters)>();
        foreach (var (label, options, inTables) in columns)
        {
            progress?.Invoke($"{label}: {epochs} epochs");
            manual_seed(0);
            var method = MethodRegistry.Create(options, new ModelParts(data.Info.ModalityNames.ToArray(), data.BuildEncoder, data.Info.NumClasses, data.Info.MultiLabel) { Info = data.Info });
            if (method is not IInitialisesItself) WeightInit.Apply(method.Model);
            var config = profile.Train with { Epochs = epochs, Seed = 0 };
            if (method is IAdjustsTraining adjusts) config = adjusts.AdjustTraining(config);
            long parameters = method.TrainableParameters().Distinct().Sum(p => p.numel());
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = ResidentMemory.CurrentBytes;
            ResidentMemory.ResetPeak();
            var fit = new Trainer { Config = config, Device = runner.Device, SelectionMetric = data.SelectionMetric }.Fit(method,
                new DataLoader(train, config.BatchSize, config.ShuffleTrain, SampleMode.Train, Rng.Derive(0, 13), config.DropLastTrain),
                new DataLoader(validation, config.BatchSize, false, SampleMode.Eval, 0, config.DropLastEval),
                new DataLoader(data.Test, config.BatchSize, false, SampleMode.Eval, 0, config.DropLastEval));
            var peak = ResidentMemory.PeakBytes;
            method.Model.Dispose();
            var timed = fit.History.Count > 1 ? fit.History.Skip(1) : fit.History;
            measured.Add((label, options, inTables, timed.Average(h => h.Seconds), peak, peak - before, parameters));
        }
        double baseline = measured.First(m => m.Options.Describe() == concat).Seconds;
        return measured.Select(m => new MethodCost(m.Label, m.Options.Describe(), m.Tables, m.Seconds, m.Seconds / baseline, m.Peak, m.Rise, m.Parameters)).ToList();
    }

    /// <summary>The tables' method columns, each method once (the first label), with the tables it appears in.</summary>
    static List<(string Label, MethodSpec Options, List<string> Tables)> Columns(IReadOnlyList<TableSpec> tables, string dataset, Profile profile)
    {
        var columns = new List<(string Label, MethodSpec Options, List<string> Tables)>();
        foreach (var table in tables)
            foreach (var column in table.Columns.Where(c => MethodRegistry.IsKnown(c.Method) && c.RunsOn(dataset)))
            {
                var options = column.Spec(dataset, profile);
                var same = columns.FindIndex(c => c.Options.Describe() == options.Describe());
                if (same >= 0) columns[same].Tables.Add(table.Id);
                else columns.Add((column.Label, options, [table.Id]));
            }
        return columns;
    }

    /// <summary>The table as text, one method a line.</summary>
    public static string Format(IReadOnlyList<MethodCost> costs)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"method",-14} {"s/epoch",8} {"x Concat",9} {"peak MB",8} {"rise MB",8} {"trained params",15}  tables");
        foreach (var c in costs)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.Label,-14} {c.SecondsPerEpoch,8:F2} {c.RelativeToConcat,9:F2} {ResidentMemory.Megabytes(c.PeakBytes),8} {ResidentMemory.Megabytes(c.RiseBytes),8} {c.TrainableParameters,15:N0}  {string.Join(", ", c.Tables)}"));
        return sb.ToString();
    }
}
