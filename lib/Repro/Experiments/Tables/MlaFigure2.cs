using System.Globalization;

namespace Repro.Experiments.Tables;

/// <summary>
/// MLA (CVPR'24) Figure 2 as a table: Kinetics-Sounds unimodal test accuracy (%) of QMF and MLA when a fraction of the
/// TRAINING samples lose their audio or their video (the test split stays complete; dataset setting
/// missing-train=modality/fraction). The paper's claim (MLA §4.3.2): MLA's unimodal accuracy is unaffected by the other
/// modality's absence, QMF's is hurt by it. Rows: for each dropped modality and fraction, the audio and the video
/// accuracy; the complete-data rows are the fraction-0 reference. The figure's values and ratios are not in the text we
/// have, so there are no paper numbers; the paper profile runs 10-90% in steps of 20.
/// </summary>
[PaperTable]
public static class MlaFigure2
{
    static readonly string[] Dropped = ["audio", "video"];
    static readonly double[] PaperFractions = [0.1, 0.3, 0.5, 0.7, 0.9];

    static string Pct(double f) => (f * 100).ToString("F0", CultureInfo.InvariantCulture) + "%";

    /// <summary>The row label: "no audio 30%: video" is the video accuracy when 30% of the training samples lack audio.</summary>
    public static string Row(string dropped, double fraction, string measured) =>
        fraction == 0 ? $"complete: {measured}" : $"no {dropped} {Pct(fraction)}: {measured}";

    static string Metric(string measured) => measured == "audio" ? "acc_audio" : "acc_visual";

    static IReadOnlyList<TableRow> BuildRows()
    {
        var rows = new List<TableRow>();
        foreach (var measured in Dropped) rows.Add(new(Row("", 0, measured), new Dictionary<string, string> { ["ks"] = Metric(measured) }));
        foreach (var dropped in Dropped)
            foreach (var f in Profile.All.SelectMany(FractionsFor).Distinct().Order())
                foreach (var measured in Dropped)
                    rows.Add(new(Row(dropped, f, measured), new Dictionary<string, string> { ["ks"] = Metric(measured) },
                        $"missing-train={dropped}/{f.ToString(CultureInfo.InvariantCulture)}"));
        return rows;
    }

    /// <summary>
    /// The fractions a profile runs besides complete data: full coverage 10-90%; a subset 50% (six Kinetics-Sounds runs:
    /// complete, no audio, no video for each method; a Kinetics-Sounds run of the embedded profile costs minutes); a sample
    /// 50% of the audio only.
    /// </summary>
    public static IReadOnlyList<double> FractionsFor(Profile p) => p.Coverage == TableCoverage.Full ? PaperFractions : [0.5];

    static IReadOnlyList<string> RowsFor(Profile p)
    {
        bool sample = p.Coverage == TableCoverage.Sample;
        var dropped = sample ? ["audio"] : Dropped;
        var rows = sample ? new List<string>() : Dropped.Select(m => Row("", 0, m)).ToList();
        foreach (var d in dropped)
            foreach (var f in FractionsFor(p))
                rows.AddRange(Dropped.Select(m => Row(d, f, m)));
        return rows;
    }

    public static readonly TableSpec Spec = new()
    {
        Id = "mla-figure2",
        Title = "MLA Figure 2: Kinetics-Sounds unimodal accuracy (%) with a fraction of the training audio or video missing",
        Source = "Zhang et al., Multimodal Representation Learning by Alternating Unimodal Adaptation, CVPR 2024, Figure 2 (§4.3.2)",
        Columns = [new("QMF", "qmf"), new("MLA", "mla")],
        Rows = BuildRows(),
        RowsFor = RowsFor,
        Paper = new Dictionary<string, Dictionary<string, Dictionary<string, double>>>(),
        Notes = "The paper gives this result as a figure only (no values or ratios in the text). Training samples losing a " +
                "modality are chosen by a seeded permutation (QMF's code drops the last entries of its list); the test split " +
                "is complete. Missing inputs are zeros for QMF; MLA leaves a sample out of the step of the modality it lacks.",
    };
}
