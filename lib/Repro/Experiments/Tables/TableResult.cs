namespace Repro.Experiments.Tables;

/// <summary>A table filled by runs: per cell the values of each seed, and the paper's number beside them.</summary>
public sealed record TableResult
{
    public required TableSpec Spec { get; init; }
    public required string Dataset { get; init; }
    public required Profile Profile { get; init; }
    public required bool StandIn { get; init; }
    public required string Selection { get; init; }
    public required IReadOnlyList<TableColumn> Columns { get; init; }
    /// <summary>Columns that could not run in this build, with the reason.</summary>
    public required IReadOnlyList<(string Column, string Reason)> Skipped { get; init; }
    /// <summary>(row, column) -> one value per seed.</summary>
    public required Dictionary<(string Row, string Column), List<double>> Cells { get; init; }
    /// <summary>
    /// The same runs read at their best test epoch, what the official repositories report (no extra training: the
    /// selection rule does not change training); equal to <see cref="Cells"/> when the table was selected that way.
    /// </summary>
    public Dictionary<(string Row, string Column), List<double>> TestBestCells { get; init; } = new();
    /// <summary>column -> run keys (one per seed) and their training seconds.</summary>
    public required Dictionary<string, List<(string Key, double Seconds, bool Reused)>> Runs { get; init; }
    public double WallSeconds { get; init; }
    /// <summary>(row, column) -> per seed, the 2-D points of the row's <see cref="TableRow.Analysis"/> (e.g. MLA Figure 3's projection); empty for most tables.</summary>
    public Dictionary<(string Row, string Column), List<IReadOnlyList<Evaluation.ProjectedPoint>>> Points { get; init; } = new();
    /// <summary>Every run behind the table: column, row settings, replicate, seed, training seconds, reused or not.</summary>
    public IReadOnlyList<CellCost> Costs { get; init; } = [];
    /// <summary>Under missing-files=drop, what of the user's copy the runs trained and were tested on (per split and class); null otherwise.</summary>
    public IReadOnlyList<Data.SplitCoverage>? DataCoverage { get; init; }

    /// <summary>The spec's rows that have a metric for this table's dataset (a table of two datasets prints each one's own).</summary>
    public IReadOnlyList<TableRow> Rows => Spec.Rows.Where(r => r.MetricByDataset.ContainsKey(Dataset)).ToArray();

    public double? Mean(string row, string column, bool testBest = false) =>
        (testBest ? TestBestCells : Cells).TryGetValue((row, column), out var v) && v.Count > 0 ? v.Average() : null;

    /// <summary>The mean as a number (NaN for an empty cell), for arithmetic on the table.</summary>
    public double Value(string row, string column, bool testBest = false) => Mean(row, column, testBest) ?? double.NaN;

    /// <summary>Whether reading the runs at their best test epoch changes any cell.</summary>
    public bool TestBestDiffers => Cells.Any(kv => TestBestCells.TryGetValue(kv.Key, out var t) && !t.SequenceEqual(kv.Value));

    public double? StdDev(string row, string column, bool testBest = false)
    {
        if (!(testBest ? TestBestCells : Cells).TryGetValue((row, column), out var v) || v.Count < 2) return null;
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1));
    }

    public double? Paper(string row, string column) => Spec.PaperValue(Dataset, row, column);
}

/// <summary>The cost of one run of a table: which cell (column, row settings, replicate such as a fold, seed) and its training seconds.</summary>
public sealed record CellCost(string Column, string Settings, string Replicate, int Seed, double Seconds, bool Reused);
