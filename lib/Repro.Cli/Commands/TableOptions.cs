using System.CommandLine;
using Repro.Experiments;
using Repro.Experiments.Tables;

namespace Repro.Cli.Commands;

/// <summary>The options that say which table's runs a command means (`repro reproduce`, `repro status`), declared once.</summary>
sealed class TableOptions
{
    public Argument<string> Experiment { get; } = new("experiment") { Description = $"Paper table id ({string.Join(", ", PaperTables.Ids)})" };
    public Option<string> Dataset { get; } = CommonOptions.Dataset();
    public Option<string?> Data { get; } = CommonOptions.Data();
    public Option<string> Profile { get; } = CommonOptions.Profile();
    public Option<string?> Results { get; } = CommonOptions.Results();
    public Option<string> Selection { get; } = CommonOptions.Selection();
    public Option<int?> Seeds { get; } = new("--seeds") { Description = "Seeds per cell (default: the profile's; paper: 3)" };
    public Option<string[]> Columns { get; } = new("--columns") { Description = "Only these columns (labels, comma-separated)", AllowMultipleArgumentsPerToken = true };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Experiment);
        foreach (var o in new Option[] { Dataset, Data, Profile, Results, Selection, Seeds, Columns }) command.Options.Add(o);
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
        var ds = p.GetValue(Dataset)!;
        // a table of one dataset (mla-table2: iemocap) runs on it unless --dataset says otherwise
        if (p.GetResult(Dataset) is null or { Implicit: true } && !spec.Datasets.Contains(ds) && spec.Datasets.Count() == 1) ds = spec.Datasets.Single();
        var only = p.GetValue(Columns)?.SelectMany(c => c.Split(',')).Select(c => c.Trim()).Where(c => c.Length > 0).ToArray();
        var profile = Experiments.Profile.Named(p.GetValue(Profile)!);
        var data = p.GetValue(Data);
        return new Resolved(spec, ds, data, profile, CommonOptions.Store(p.GetValue(Results)), p.GetValue(Seeds),
            CommonOptions.ParseSelection(p.GetValue(Selection)!), only is { Length: > 0 } ? only : null,
            $"{ds}{(data is null ? "" : "-data")}-{profile.Name}-{p.GetValue(Selection)}");
    }
}
