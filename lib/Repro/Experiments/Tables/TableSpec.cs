using Repro.Methods;

namespace Repro.Experiments.Tables;

/// <summary>One column of a paper table: a label and the run that fills it (a method with options).</summary>
public sealed record TableColumn(string Label, string Method, (string Key, string Value)[]? Options = null, bool InPaper = true)
{
    /// <summary>
    /// The datasets the column runs on (null: every dataset of the table), e.g. a column training the image encoder
    /// alone, which an audio-video dataset cannot fill.
    /// </summary>
    public IReadOnlyList<string>? Datasets { get; init; }

    /// <summary>Whether the column has a run on <paramref name="dataset"/> (a table's dataset key, e.g. "cremad").</summary>
    public bool RunsOn(string dataset) => Datasets is null || Datasets.Contains(dataset);

    /// <summary>
    /// Options added for one dataset and profile (e.g. OGM-GE's modulate=non1d where the encoders have no convolutions, a
    /// learning rate for the CPU profiles' far shorter training); null: none.
    /// </summary>
    public Func<string, Profile, (string Key, string Value)[]>? ExtraOptions { get; init; }

    /// <summary>The column's method and options (with the extra ones for a dataset and profile), bound as the CLI binds
    /// `--option key=value`, so a column and the same run asked for on the command line share one identity.</summary>
    public MethodSpec Spec(string? dataset = null, Profile? profile = null) =>
        MethodRegistry.Resolve(Method, [.. Options ?? [], .. dataset is not null && profile is not null && ExtraOptions is { } extra ? extra(dataset, profile) : []]);
}

/// <summary>
/// One row: a label and, per dataset, the run metric that fills it (e.g. "acc_visual"). Rows with
/// <see cref="DatasetSettings"/> (e.g. "missing-rate=0.3") are filled by runs on the dataset with those settings added
/// (<c>iemocap:missing-rate=0.3</c>); rows without share the plain dataset's runs.
/// </summary>
public sealed record TableRow(string Label, IReadOnlyDictionary<string, string> MetricByDataset, string? DatasetSettings = null)
{
    /// <summary>
    /// Settings applied to the test split only (e.g. "test-missing=text/0.7", "test-absent=audio"): the row reads the run
    /// trained without them, its selected model evaluated on the test split with them (no retraining).
    /// </summary>
    public string? TestSettings { get; init; }

    /// <summary>
    /// A point of a figure's curve: the row reads its metric from the run's per-epoch history (<see cref="RunResult.Series"/>,
    /// so "probe/..." and "train/..." metrics too) at <see cref="EpochPoint.Epoch"/> instead of at the selected epoch. Rows
    /// sharing a panel are drawn as one line chart, a line per curve and column. Null: an ordinary row.
    /// </summary>
    public EpochPoint? Point { get; init; }

    /// <summary>The column labels this row reads (null: every column), for a curve only some runs have.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    public bool Reads(string column) => Columns is null || Columns.Contains(column);

    /// <summary>
    /// A measurement of the run's selected model on its test split (e.g. the modality gap) whose metrics the row reads
    /// instead of the run's test metrics; null: the test metrics.
    /// </summary>
    public RunAnalysis? Analysis { get; init; }

    /// <summary>Decimals the reports print (1 for accuracies in %; a distance in [0, 2] needs more).</summary>
    public int Digits { get; init; } = 1;

    /// <summary>What the row's numbers are, for chart titles.</summary>
    public string Measure { get; init; } = "accuracy (%)";
}

/// <summary>Where a figure row sits: the panel it is drawn in, the curve's name there, and the epoch (1-based).</summary>
public sealed record EpochPoint(string Panel, string Curve, int Epoch);

/// <summary>
/// A paper table as data: its columns (runs), rows (metrics) and the paper's numbers per dataset,
/// so an experiment is "run every column on a dataset, read every row's metric, print beside the paper".
/// </summary>
public sealed record TableSpec
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Source { get; init; }
    public required IReadOnlyList<TableColumn> Columns { get; init; }
    public required IReadOnlyList<TableRow> Rows { get; init; }
    /// <summary>dataset -> row label -> column label -> the paper's number.</summary>
    public required IReadOnlyDictionary<string, Dictionary<string, Dictionary<string, double>>> Paper { get; init; }
    public string Notes { get; init; } = "";
    /// <summary>The rows a profile runs (null: all); the others show the paper's numbers only.</summary>
    public Func<Profile, IReadOnlyList<string>>? RowsFor { get; init; }
    /// <summary>
    /// Dataset settings every cell is repeated over and averaged across, per profile (e.g. the five IEMOCAP folds
    /// "fold=1".."fold=5"); null: none.
    /// </summary>
    public Func<Profile, IReadOnlyList<string>>? ReplicatesFor { get; init; }

    /// <summary>The dataset a table's runs use for a dataset key when it differs (e.g. cremad -> cremad:mla: U2A's CREMA-D is MLA's fbank and 3 frames).</summary>
    public IReadOnlyDictionary<string, string> RunDatasets { get; init; } = new Dictionary<string, string>();
    /// <summary>Seeds per cell per profile (null: the profile's), e.g. U2A Table 3's three seeds with mean and SD.</summary>
    public Func<Profile, int>? SeedsFor { get; init; }
    /// <summary>
    /// Step probes every run of the table records, name -> sampling period in steps (a figure of per-step quantities);
    /// they are part of the runs' identity, so such runs are not those of a table without probes.
    /// </summary>
    public IReadOnlyDictionary<string, int> Probes { get; init; } = new Dictionary<string, int>();

    public IEnumerable<string> Datasets => Rows.SelectMany(r => r.MetricByDataset.Keys).Distinct();

    public double? PaperValue(string dataset, string row, string column) =>
        Paper.TryGetValue(dataset, out var rows) && rows.TryGetValue(row, out var cols) && cols.TryGetValue(column, out var v) ? v : null;
}
