using System.Globalization;

namespace Repro.Experiments.Tables;

/// <summary>
/// U2A Figure 2: trained on complete data, tested with 100% image + x% text (x = 10..100; MAP's text table on the test
/// split only, the model evaluated without retraining). Food-101 accuracy (%), MM-IMDb F1-Macro. Rows "no MT" read the
/// same model with the placeholder text's CLS instead of the image mask token's estimate. The paper prints a chart, not
/// numbers; it states one: 5.8 points of F1-Macro over Kim and Kim on MM-IMDb at 10% text.
/// </summary>
[PaperTable]
public static class U2aFigure2
{
    public static readonly int[] TextPercents = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

    public static string Label(int percent, bool maskToken = true) => $"text {percent}%" + (maskToken ? "" : ", no MT");

    static IReadOnlyList<TableRow> BuildRows() => TextPercents.SelectMany(x =>
    {
        var test = x == 100 ? null : "test-missing=text/" + ((100 - x) / 100.0).ToString(CultureInfo.InvariantCulture);
        return new TableRow[]
        {
            new(Label(x), new Dictionary<string, string> { ["food101"] = "acc", ["mmimdb"] = "f1_macro" }) { TestSettings = test },
            new(Label(x, false), new Dictionary<string, string> { ["food101"] = "acc@without-mask-token", ["mmimdb"] = "f1_macro@without-mask-token" }) { TestSettings = test },
        };
    }).ToArray();

    public static readonly TableSpec Spec = new()
    {
        Id = "u2a-figure2",
        Title = "U2A Figure 2: trained complete, tested with 100% image + x% text (Food-101 accuracy %, MM-IMDb F1-Macro)",
        Source = "Unified Unimodal Adaptation (U2A), arXiv 2501.17823 v1, Figure 2",
        Columns = [U2aColumns.U2a("U2A")],
        Rows = BuildRows(),
        RunDatasets = new Dictionary<string, string> { ["food101"] = "food101:map" },
        RowsFor = p => p.Coverage == TableCoverage.Sample ? [Label(10), Label(10, false), Label(100), Label(100, false)] : BuildRows().Select(r => r.Label).ToArray(),
        Paper = new Dictionary<string, Dictionary<string, Dictionary<string, double>>>(),
        Notes = "The paper's figure has no printed values; it says the curves fall as text decreases and that U2A stays above Ma et al., " +
                "Kim and Kim and ViLT at every x. The training run is Table 1's (same spec), so it is reused.",
    };
}
