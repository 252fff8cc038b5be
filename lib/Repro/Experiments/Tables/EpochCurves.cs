namespace Repro.Experiments.Tables;

/// <summary>
/// Figure rows over epochs (<see cref="TableRow.Point"/>): one row per curve and epoch, labelled "{panel} {curve}, epoch
/// {n}", for as many epochs as the longest profile trains; a profile runs the rows of its own epochs.
/// </summary>
public static class EpochCurves
{
    public static int MaxEpochs => Profile.All.Max(p => p.Train.Epochs);

    public static string Label(string panel, string curve, int epoch) => $"{panel} {curve}, epoch {epoch}";

    /// <summary>The rows of one curve: <paramref name="metric"/> (a <see cref="RunResult.Series"/> name) of the given columns' runs.</summary>
    public static IEnumerable<TableRow> Curve(string panel, string curve, string dataset, string metric, params string[] columns) =>
        Enumerable.Range(1, MaxEpochs).Select(e => new TableRow(Label(panel, curve, e), new Dictionary<string, string> { [dataset] = metric })
        {
            Point = new EpochPoint(panel, curve, e),
            Columns = columns.Length == 0 ? null : columns,
        });

    /// <summary>A figure's <see cref="TableSpec.RowsFor"/>: the points of the epochs the profile trains.</summary>
    public static Func<Profile, IReadOnlyList<string>> RowsFor(IReadOnlyList<TableRow> rows) =>
        p => rows.Where(r => r.Point is null || r.Point.Epoch <= p.Train.Epochs).Select(r => r.Label).ToArray();
}
