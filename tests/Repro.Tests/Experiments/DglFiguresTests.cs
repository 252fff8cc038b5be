using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Reporting;

namespace Repro.Tests.Experiments;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class DglFiguresTests
{
    static TableRunner.PlannedRun Planned(TableSpec spec, string column, Profile profile) =>
        TableRunner.Plan(spec, "cremad", null, profile).Runs.Single(r => r.Column.Label == column && r.Seed == 0);

    [Theory]
    [InlineData("smoke")]
    [InlineData("embedded")]
    [InlineData("paper")]
    public void TheFiguresRunTable1sMethodsWithBothProbesAndShareTheirConcatRun(string name)
    {
        var profile = Profile.Named(name);
        var concat = Planned(DglFigure1.Spec, DglFigure1.Concat, profile).Spec;
        Assert.Equal(concat.Key, Planned(DglFigure3.Spec, DglFigure3.Concat, profile).Spec.Key);
        foreach (var (figure, column, table1Column) in new[]
                 {
                     (DglFigure1.Spec, DglFigure1.Concat, "Concat"), (DglFigure1.Spec, DglFigure1.AudioOnly, "Audio-only"), (DglFigure3.Spec, DglFigure3.Dgl, "DGL"),
                 })
        {
            var run = Planned(figure, column, profile).Spec;
            Assert.Equal(new Dictionary<string, int> { ["grad-suppression"] = 2, ["grad-step"] = 2 }, run.Probes);
            // without its probes the run is Table 1's: the same method, options, data and seed
            Assert.Equal(Planned(DglTable1.Spec, table1Column, profile).Spec.Key, (run with { Probes = new Dictionary<string, int>() }).Key);
        }
    }

    [Fact]
    public void AProfileRunsOnePointPerCurveAndEpochItTrains()
    {
        foreach (var profile in Profile.All)
        {
            var rows = DglFigure1.Spec.RowsFor!(profile).Select(l => DglFigure1.Spec.Rows.Single(r => r.Label == l)).ToArray();
            Assert.Equal(5 * profile.Train.Epochs, rows.Length);   // (a) three curves, (b) and (c) one each
            Assert.Equal(Enumerable.Range(1, profile.Train.Epochs), rows.Select(r => r.Point!.Epoch).Distinct().Order());
        }
    }

    [Fact]
    public void TheCellsAreTheStoredRunsHistoriesReadBack()
    {
        var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results")));
        var figure3 = TableRunner.Run(runner, DglFigure3.Spec, "cremad", null, Profile.Smoke);
        var figure1 = TableRunner.Run(runner, DglFigure1.Spec, "cremad", null, Profile.Smoke);
        Assert.True(figure1.Runs[DglFigure1.Concat].Single().Reused);   // Figure 3 trained it

        foreach (var (table, column) in new[] { (figure1, DglFigure1.Concat), (figure1, DglFigure1.AudioOnly), (figure3, DglFigure3.Dgl) })
        {
            var (run, reused) = runner.Run(Planned(table.Spec, column, Profile.Smoke).Spec);
            Assert.True(reused);
            var read = 0;
            foreach (var row in table.Rows.Where(r => r.Point is not null && r.Reads(column) && r.Point.Epoch <= Profile.Smoke.Train.Epochs))
            {
                var stored = run.Series(row.MetricByDataset["cremad"])[row.Point!.Epoch - 1];
                Assert.True(double.IsFinite(stored), $"{column}: {row.Label} was not recorded");
                Assert.Equal(stored, table.Value(row.Label, column));
                read++;
            }
            Assert.Equal(Profile.Smoke.Train.Epochs * (column == DglFigure1.Concat ? 5 : 2), read);
        }
        Assert.Null(figure1.Mean(EpochCurves.Label("(a)", "fused", 1), DglFigure1.AudioOnly));   // a curve of the Concat model only

        var text = TableReport.ToText(figure3);
        Assert.Contains("(b) audio encoder's gradient norm - DGL", text);
        Assert.Equal(2, TableReport.Charts(figure3).Count());   // one line chart per panel
    }
}
