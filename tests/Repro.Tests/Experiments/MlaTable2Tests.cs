using Repro.Experiments;
using Repro.Experiments.Tables;

namespace Repro.Tests.Experiments;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MlaTable2Tests
{
    [Fact]
    public void TheSpecHoldsThePapersGridAndEachProfileRunsASubsetOfItsRows()
    {
        var spec = PaperTables.Get("mla-table2");
        Assert.Equal(12, spec.Columns.Count);
        foreach (var rate in new[] { "10%", "40%", "70%" })
            foreach (var c in spec.Columns)
                Assert.NotNull(spec.PaperValue("iemocap", $"{rate} acc", c.Label));
        Assert.Equal(75.07, spec.PaperValue("iemocap", "10% acc", "MLA"));
        Assert.Equal(30.61, spec.PaperValue("iemocap", "70% acc", "CCA"));
        var labels = spec.Rows.Select(r => r.Label).ToHashSet();
        foreach (var p in Profile.All) Assert.All(spec.RowsFor!(p), l => Assert.Contains(l, labels));
        Assert.Equal(16, spec.RowsFor!(Profile.Paper).Count);
        Assert.Equal(5, spec.ReplicatesFor!(Profile.Paper).Count);
        Assert.Equal(["fold=1", "fold=2"], spec.ReplicatesFor!(Profile.Embedded));
        // every column of the paper's table is implemented (none is skipped)
        Assert.All(spec.Columns, c => Assert.True(Repro.Methods.MethodRegistry.IsKnown(c.Method), $"{c.Label}: method '{c.Method}' is not registered"));
        Assert.Equal(57.25, spec.PaperValue("iemocap", "10% acc", "DCCA"));
        Assert.Equal(41.42, spec.PaperValue("iemocap", "70% acc", "DCCAE"));
        Assert.Equal(52.04, spec.PaperValue("iemocap", "70% acc", "IF-MMIN"));
        Assert.Equal(67.84, spec.PaperValue("iemocap", "10% acc", "TATE"));
    }

    [Fact]
    public void CellsAreFilledPerFoldAndReusedRunByRun()
    {
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var spec = PaperTables.Get("mla-table2");
        var t = TableRunner.Run(new ExperimentRunner(store), spec, "iemocap", null, Profile.Smoke, onlyColumns: ["Late Fusion"]);
        var cost = Assert.Single(t.Costs);
        Assert.Equal(("Late Fusion", "missing-rate=0.5", "fold=1", false), (cost.Column, cost.Settings, cost.Replicate, cost.Reused));
        Assert.Single(t.Cells[("50% acc", "Late Fusion")]);
        Assert.Single(t.Cells[("50% wF1", "Late Fusion")]);
        Assert.False(t.Cells.ContainsKey(("10% acc", "Late Fusion")));
        var again = TableRunner.Run(new ExperimentRunner(store), spec, "iemocap", null, Profile.Smoke, onlyColumns: ["Late Fusion"]);
        Assert.True(Assert.Single(again.Costs).Reused);
        Assert.Equal(t.Mean("50% acc", "Late Fusion"), again.Mean("50% acc", "Late Fusion"));
    }
}
