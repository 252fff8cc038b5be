using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Methods;

namespace Repro.Tests.Methods;

public class DglTablesTests
{
    [Theory]
    [InlineData("dgl-table1")]
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
    public void Table4ColumnsCarryNumericAlphas()
    {
        var col = PaperTables.Get("dgl-table4").Columns.Single(c => c.Label == "alpha=2");
        Assert.Equal(2.0, ((Repro.Methods.Dgl.DglOptions)col.Spec().Options).Alpha);
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
