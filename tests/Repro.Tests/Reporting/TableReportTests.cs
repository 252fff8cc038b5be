using Repro.Experiments.Tables;
using Repro.Reporting;

namespace Repro.Tests.Reporting;

public class TableReportTests
{
    static TableResult Table(string selection, List<double> testBest) => new()
    {
        Spec = new TableSpec
        {
            Id = "t", Title = "T", Source = "s",
            Columns = [new TableColumn("Concat", "concat")],
            Rows = [new TableRow("Multi", new Dictionary<string, string> { ["cremad"] = "acc" })],
            Paper = new Dictionary<string, Dictionary<string, Dictionary<string, double>>> { ["cremad"] = new() { ["Multi"] = new() { ["Concat"] = 61.56 } } },
        },
        Dataset = "cremad", Profile = Repro.Experiments.Profile.Smoke, StandIn = true, Selection = selection,
        Columns = [new TableColumn("Concat", "concat")], Skipped = [],
        Cells = new() { [("Multi", "Concat")] = [50, 60] },
        TestBestCells = new() { [("Multi", "Concat")] = testBest },
        Runs = new() { ["Concat"] = [("a", 1, false), ("b", 1, false)] },
    };

    [Fact]
    public void TheTestBestReadingIsShownBesideValidationSelectionWhereItDiffers()
    {
        var t = Table("Validation", [55, 65]);
        Assert.True(TableReport.ShowTestBest(t));
        Assert.Equal(55, t.Value("Multi", "Concat"));
        Assert.Equal(60, t.Value("Multi", "Concat", testBest: true));
        Assert.Contains("test-best", TableReport.ToText(t));
        Assert.Contains("60.0", TableReport.ToText(t));
        var df = TableReport.ToDataFrame(t);
        Assert.Equal(60.0, (double?)df["OursTestBest"][0]);
        Assert.Contains(",55.0000,7.0711,2,60.0000,61.56", TableReport.ToCsv(t));
    }

    [Fact]
    public void NoTestBestLineWhenNothingDiffersOrTheTableIsAlreadyTestBest()
    {
        Assert.False(TableReport.ShowTestBest(Table("Validation", [50, 60])));
        Assert.DoesNotContain("test-best", TableReport.ToText(Table("Validation", [50, 60])));
        Assert.False(TableReport.ShowTestBest(Table("TestBest", [55, 65])));
        Assert.True(double.IsNaN(Table("Validation", []).Value("Multi", "Concat", testBest: true)));
    }

    [Fact]
    public void TheCaptionCountsSeedsNotEveryRunOfAColumn()
    {
        // Two seeds x two folds x two missing rates: eight runs in the column, two seeds.
        var costs = (from seed in new[] { 0, 1 } from fold in new[] { "fold1", "fold2" } from rate in new[] { "0.1", "0.7" }
                     select new CellCost("Concat", rate, fold, seed, 1, false)).ToList();
        var t = Table("Validation", [55, 65]) with { Costs = costs };
        Assert.EndsWith("2 seeds x 2 replicates", TableReport.Caption(t));
        Assert.EndsWith("2 seeds", TableReport.Caption(Table("Validation", [55, 65])));
    }
}
