namespace Repro.Training;

/// <summary>
/// The rule that picks the reported epoch: the first selectable epoch with the highest score. Training never depends
/// on it, so one run's history answers every rule (a validation-selected run also gives its test-best epoch).
/// </summary>
public static class EpochSelection
{
    public static double Score(EpochRecord r, Selection selection, string metric) => selection switch
    {
        Selection.Validation => Read(r.Validation, metric),
        Selection.TestBest => Read(r.Test, metric),
        _ => r.Epoch,
    };

    /// <summary>The selected epoch of a history under a rule; null when no selectable epoch has the metric.</summary>
    public static EpochRecord? Pick(IReadOnlyList<EpochRecord> history, Selection selection, string metric)
    {
        EpochRecord? best = null;
        double bestScore = double.NegativeInfinity;
        foreach (var r in history.Where(r => r.Selectable))
        {
            double score = Score(r, selection, metric);
            if (score > bestScore) { bestScore = score; best = r; }
        }
        return best;
    }

    static double Read(Dictionary<string, double>? metrics, string metric) =>
        metrics is null ? double.NaN
        : metrics.TryGetValue(metric, out var v) ? v
        : throw new KeyNotFoundException($"Selection metric '{metric}' is not among the evaluated metrics ({string.Join(", ", metrics.Keys)}).");
}
