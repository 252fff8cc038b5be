using Repro.Training;

namespace Repro.Experiments;

/// <summary>A finished run as stored in its folder's run.json.</summary>
public sealed record RunResult
{
    public required string Key { get; init; }
    public required string Method { get; init; }
    public required System.Text.Json.Nodes.JsonObject Spec { get; init; }
    public required int SelectedEpoch { get; init; }
    public required Selection Selection { get; init; }
    /// <summary>The metric the selection rule compares ("acc", or "f1_macro" for multi-label data).</summary>
    public string SelectionMetric { get; init; } = "acc";
    /// <summary>Test metrics at the selected epoch.</summary>
    public required Dictionary<string, double> Test { get; init; }
    public Dictionary<string, double>? Validation { get; init; }
    public required List<EpochRecord> History { get; init; }
    public double WallSeconds { get; init; }
    public int DroppedExamples { get; init; }
    /// <summary>
    /// Under missing-files=drop: per split (train, test) the examples listed, present and dropped, in all and per class;
    /// null otherwise. <see cref="Data.SplitCoverage.Describe"/> prints it on one line.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Data.SplitCoverage>? DataCoverage { get; init; }
    public string Machine { get; init; } = "";
    public string StartedUtc { get; init; } = "";

    /// <summary>
    /// A metric per epoch, NaN where an epoch lacks it: "train/loss", "val/acc", "test/acc_visual" (or just
    /// "acc_visual"), "probe/grad-suppression/visual/zeta".
    /// </summary>
    public double[] Series(string metric)
    {
        var (split, name) = metric.IndexOf('/') is var i and > 0 ? (metric[..i], metric[(i + 1)..]) : ("test", metric);
        return History.Select(h =>
        {
            var source = split switch
            {
                "train" => h.TrainLosses,
                "val" => h.Validation,
                "test" => h.Test,
                "probe" => h.Probes,
                _ => throw new ArgumentException($"Unknown split '{split}' in metric '{metric}'; use train/, val/, test/ or probe/."),
            };
            return source is not null && source.TryGetValue(name, out var v) ? v : double.NaN;
        }).ToArray();
    }

    /// <summary>
    /// Test metrics at the epoch another rule would have selected (training does not depend on the rule), e.g. the
    /// test-best reading of a validation-selected run; null when the history lacks per-epoch test metrics.
    /// </summary>
    public Dictionary<string, double>? TestAt(Selection rule) =>
        rule == Selection ? Test : EpochSelection.Pick(History, rule, SelectionMetric)?.Test;

    /// <summary>The mean of a metric over the epochs that have it (NaN when none does).</summary>
    public double MeanOverEpochs(string metric) =>
        Series(metric).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
}
