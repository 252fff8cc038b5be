using System.CommandLine;
using Repro.Experiments;
using Repro.Experiments.Tables;

namespace Repro.Cli.Commands;

/// <summary>
/// The options that say which table's runs a command means (`repro reproduce`, `repro status`): the experiment, seeds
/// and columns, beside the shared <see cref="TrainingOptions"/> (all of them when the command trains, else only those
/// that name runs).
/// </summary>
sealed class TableOptions
{
    public TrainingOptions Common { get; } = new();
    public Argument<string> Experiment { get; } = new("experiment") { Description = $"Paper table id ({string.Join(", ", PaperTables.Ids)})" };
    public Option<int?> Seeds { get; } = new("--seeds") { Description = "Seeds per cell (default: the profile's; paper: 3)" };
    public Option<string[]> Columns { get; } = new("--columns") { Description = "Only these columns (labels, comma-separated)", AllowMultipleArgumentsPerToken = true };

    public void AddTo(Command command, bool trains)
    {
        command.Arguments.Add(Experiment);
        command.Options.Add(Seeds);
        command.Options.Add(Columns);
        if (trains) Common.AddTo(command);
        else Common.AddRunOptionsTo(command);
    }

    /// <summary>What the options select. <see cref="Resolved.Variant"/> (dataset, profile, selection) names the table's output folder, <see cref="Resolved.Name"/> its submissions.</summary>
    public sealed record Resolved(TableSpec Spec, string Dataset, string? DataRoot, Profile Profile, ResultsStore Store, int? Seeds,
        Training.Selection Selection, string[]? Columns, string Variant)
    {
        public string Name => $"{Spec.Id}-{Variant}";
    }

    public Resolved Resolve(ParseResult p)
    {
        var spec = PaperTables.Get(p.GetValue(Experiment)!);
        var ds = Common.DatasetId(p);
        // a table of one dataset (mla-table2: iemocap) runs on it unless --dataset says otherwise
        if (p.GetResult(Common.Dataset) is null or { Implicit: true } && !spec.Datasets.Contains(ds) && spec.Datasets.Count() == 1) ds = spec.Datasets.Single();
        var only = p.GetValue(Columns)?.SelectMany(c => c.Split(',')).Select(c => c.Trim()).Where(c => c.Length > 0).ToArray();
        var profile = Common.ProfileOf(p);
        var data = p.GetValue(Common.Data);
        return new Resolved(spec, ds, data, profile, Common.Store(p), p.GetValue(Seeds), Common.SelectionOf(p), only is { Length: > 0 } ? only : null,
            $"{ds}{(data is null ? "" : "-data")}-{profile.Name}-{p.GetValue(Common.Selection)}");
    }
}
