using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Methods;

namespace Repro.Tests.Methods;

public class DglTablesTests
{
    [Theory]
    [InlineData("dgl-table1")]
    [InlineData("dgl-table2")]
    [InlineData("dgl-table3")]
    [InlineData("dgl-table4")]
    public void TablesAreRegisteredWithCremadRows(string id)
    {
        var spec = PaperTables.Get(id);
        Assert.Contains("cremad", spec.Datasets);
        Assert.All(spec.Columns.Where(c => MethodRegistry.IsKnown(c.Method)), c => Assert.NotNull(c.Spec()));
    }

    [Fact]
    public void DglTable1HasThePapersCremadNumbers()
    {
        var spec = PaperTables.Get("dgl-table1");
        Assert.Equal(77.48, spec.PaperValue("cremad", "Multi", "DGL"));
        Assert.Equal(63.12, spec.PaperValue("cremad", "Audio", "DGL"));
        Assert.Equal(62.18, spec.PaperValue("cremad", "Audio", "Audio-only"));
        Assert.Equal(68.23, spec.PaperValue("cremad", "Visual", "Visual-only"));
        Assert.Null(spec.PaperValue("cremad", "Multi", "Audio-only"));
    }

    [Fact]
    public void DglTable2RunsEveryMultimodalColumnWithMmtmAndSharesTable1sUnimodalRuns()
    {
        var spec = PaperTables.Get("dgl-table2");
        Assert.Equal(75.00, spec.PaperValue("cremad", "Multi", "DGL"));
        Assert.Equal(23.43, spec.PaperValue("cremad", "Visual", "Baseline"));
        Assert.Equal(59.18, spec.PaperValue("cremad", "Audio", "Audio-only"));
        Assert.Equal(68.34, spec.PaperValue("cremad", "Visual", "Visual-only"));
        Assert.Equal(63.21, spec.PaperValue("cremad", "Visual", "MMPareto"));
        Assert.Equal(["cremad"], spec.Datasets);   // MOSI, the right half, is its own table (dgl-table2-mosi)
        foreach (var column in spec.Columns.Where(c => c.Method != "unimodal"))
            Assert.Contains("fusion=mmtm", column.Spec().Describe());
        var table1 = PaperTables.Get("dgl-table1").Columns;
        foreach (var label in new[] { "Audio-only", "Visual-only" })
            Assert.Equal(table1.Single(c => c.Label == label).Spec().Describe(), spec.Columns.Single(c => c.Label == label).Spec().Describe());
    }

    [Fact]
    public void DglTable1RunsKineticsSoundsInDglsSettingWithItsAlpha()
    {
        var spec = PaperTables.Get("dgl-table1");
        Assert.Equal(74.78, spec.PaperValue("ks", "Multi", "DGL"));
        Assert.Equal(54.6, spec.PaperValue("ks", "Visual", "Visual-only"));
        Assert.Equal("ks:dgl", spec.RunDatasets["ks"]);
        var dgl = spec.Columns.Single(c => c.Label == "DGL");
        Assert.Equal(2.0, ((Repro.Methods.Dgl.DglOptions)dgl.Spec("ks", Profile.Embedded).Options).Alpha);
        // CREMA-D keeps DGL's default, so its stored runs keep their identity.
        Assert.Equal(dgl.Spec().IdentityJson().ToJsonString(), dgl.Spec("cremad", Profile.Embedded).IdentityJson().ToJsonString());
    }

    [Fact]
    public void DglTable1RunsVggSoundInDglsSettingWithItsAlpha()
    {
        var spec = PaperTables.Get("dgl-table1");
        Assert.Contains("vggsound", spec.Datasets);
        Assert.Equal(52.53, spec.PaperValue("vggsound", "Multi", "DGL"));
        Assert.Equal(47.13, spec.PaperValue("vggsound", "Audio", "DGL"));
        Assert.Equal(33.45, spec.PaperValue("vggsound", "Visual", "DGL"));
        Assert.Equal(45.13, spec.PaperValue("vggsound", "Audio", "Audio-only"));
        Assert.Equal(30.68, spec.PaperValue("vggsound", "Visual", "Visual-only"));
        Assert.Equal(20.55, spec.PaperValue("vggsound", "Visual", "Concat"));
        Assert.Null(spec.PaperValue("vggsound", "Multi", "Visual-only"));

        // under --profile smoke: VGGSound's one layout (DGL's), DGL at alpha 2, every other column at its defaults
        var plan = TableRunner.Plan(spec, "vggsound", null, Profile.Smoke);
        Assert.All(plan.Runs, r => Assert.Equal("vggsound", r.Spec.Dataset));
        var dgl = plan.Runs.Single(r => r.Column.Label == "DGL").Spec.Method;
        Assert.Equal(2.0, ((Repro.Methods.Dgl.DglOptions)dgl.Options).Alpha);
        Assert.Equal(spec.Columns.Single(c => c.Label == "MLA").Spec().IdentityJson().ToJsonString(),
            plan.Runs.Single(r => r.Column.Label == "MLA").Spec.Method.IdentityJson().ToJsonString());

        // and it runs: DGL's cells of the VGGSound columns filled from the smoke stand-in (6 of the 309 labels)
        var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results")));
        var table = TableRunner.Run(runner, spec, "vggsound", null, Profile.Smoke, onlyColumns: ["DGL"]);
        Assert.Equal("vggsound", table.Dataset);
        foreach (var row in new[] { "Audio", "Visual", "Multi" })
            Assert.InRange(table.Value(row, "DGL"), 0, 100);
        Assert.Equal(6, runner.Dataset("vggsound", null, Profile.Smoke).Train.Info.NumClasses);
    }

    [Fact]
    public void Table4ColumnsCarryNumericAlphas()
    {
        var col = PaperTables.Get("dgl-table4").Columns.Single(c => c.Label == "alpha=2");
        Assert.Equal(2.0, ((Repro.Methods.Dgl.DglOptions)col.Spec().Options).Alpha);
    }

    [Fact]
    public void Table4SweepsGBlendingsAlphaBesideDgls()
    {
        var spec = PaperTables.Get("dgl-table4");
        Assert.Equal(["alpha=1", "alpha=2", "alpha=3", "alpha=4", "alpha=5"], spec.Columns.Where(c => c.Method == "dgl").Select(c => c.Label));
        var gb = spec.Columns.Single(c => c.Label == "G-Blending alpha=3").Spec();
        Assert.Equal("gblending", gb.Name);
        Assert.Equal(3.0, ((Repro.Methods.GBlending.GBlendingOptions)gb.Options).Alpha);
        Assert.Equal(69.20, spec.PaperValue("cremad", "ACC", "G-Blending alpha=3"));
        Assert.Equal(76.13, spec.PaperValue("cremad", "ACC", "alpha=3"));
        // alpha = 1 is G-Blending's own loss: the same run as DGL Table 1's G-Blending column.
        var table1 = PaperTables.Get("dgl-table1").Columns.Single(c => c.Label == "G-Blending").Spec();
        Assert.Equal(table1.Describe(), spec.Columns.Single(c => c.Label == "G-Blending alpha=1").Spec().Describe());
    }

    [Fact]
    public void MlaTable1sBaselineColumnsResolveToTheseMethods()
    {
        var columns = PaperTables.Get("mla-table1").Columns;
        var ogm = columns.Single(c => c.Label == "OGM-GE").Spec();
        Assert.Equal("ogm", ogm.Name);
        Assert.Equal(Repro.Methods.Ogm.OgmVariant.OgmGe, ((Repro.Methods.Ogm.OgmOptions)ogm.Options).Variant);
        Assert.Equal("qmf", columns.Single(c => c.Label == "QMF").Spec().Name);
    }
}
