using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Methods;

namespace Repro.Tests.Methods;

/// <summary>DGL Table 2's right half (dgl-table2-mosi): the paper's MOSI numbers, MLP-Mixer fusion on every multimodal column.</summary>
public class DglTable2MosiTests
{
    [Fact]
    public void HasThePapersMosiNumbersAndMixerFusion()
    {
        var spec = PaperTables.Get("dgl-table2-mosi");
        Assert.Equal(["mosi"], spec.Datasets);
        Assert.Equal(79.78, spec.PaperValue("mosi", "Multi", "DGL"));
        Assert.Equal(40.65, spec.PaperValue("mosi", "Audio", "Baseline"));
        Assert.Equal(77.12, spec.PaperValue("mosi", "Text", "Text-only"));
        Assert.Equal(54.28, spec.PaperValue("mosi", "Visual", "Visual-only"));
        Assert.Equal(53.81, spec.PaperValue("mosi", "Visual", "D&R"));
        Assert.Null(spec.PaperValue("mosi", "Multi", "Text-only"));
        Assert.All(spec.Columns.Where(c => c.Method != "unimodal"), c => Assert.Contains("fusion=mixer", c.Spec().Describe()));
    }

    [Fact]
    public void CpuProfilesTakeTheLayerNormLastBlocksAndThePaperProfileTheFirst()
    {
        var spec = PaperTables.Get("dgl-table2-mosi");
        var smoke = TableRunner.Plan(spec, "mosi", null, Profile.Smoke).Runs;
        Assert.All(smoke.Where(r => r.Column.Method != "unimodal"), r => Assert.Contains("mixer_norm=last", r.Spec.Method.Describe()));
        var paper = TableRunner.Plan(spec, "mosi", null, Profile.Paper).Runs;
        Assert.All(paper, r => Assert.DoesNotContain("mixer_norm", r.Spec.Method.Describe()));
    }

    [Fact]
    public void BaselineAndDglRunOnTheStandIn()
    {
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var t = TableRunner.Run(new ExperimentRunner(store), PaperTables.Get("dgl-table2-mosi"), "mosi", null, Profile.Smoke, onlyColumns: ["Baseline", "DGL"]);
        foreach (var column in new[] { "Baseline", "DGL" })
            foreach (var row in new[] { "Audio", "Visual", "Text", "Multi" })
                Assert.InRange(t.Mean(row, column)!.Value, 0, 100);
    }
}
