using Repro.Experiments;
using Repro.Experiments.Tables;

namespace Repro.Tests.Experiments;

/// <summary>MLA Tables 1 and 3 on MVSA: the image-text rows, the paper's numbers, and both tables run on the stand-in.</summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MlaMvsaTests
{
    [Fact]
    public void Table1HasMvsasRowsColumnsAndPaperNumbers()
    {
        var spec = PaperTables.Get("mla-table1");
        Assert.Contains("mvsa", spec.Datasets);
        Assert.Equal(75.72, spec.PaperValue("mvsa", "Text", "MLA"));
        Assert.Equal(27.32, spec.PaperValue("mvsa", "Image", "Concat"));
        Assert.Equal(45.24, spec.PaperValue("mvsa", "Image", "Late Fusion"));
        Assert.Equal(77.96, spec.PaperValue("mvsa", "Multi", "QMF"));
        Assert.Equal(79.94, spec.PaperValue("mvsa", "Multi", "MLA"));
        Assert.Null(spec.PaperValue("mvsa", "Audio", "MLA"));
        var planned = TableRunner.Plan(MlaTable1.Spec, "mvsa", null, Profile.Smoke).Columns.Select(c => c.Label);
        Assert.Equal(["Sum", "Concat", "Late Fusion", "FiLM", "BiGated", "OGM-GE", "QMF", "MLA", "Image alone", "Text alone"], planned);
        Assert.Equal(Repro.Methods.Ogm.OgmModulate.Non1d, ((Repro.Methods.Ogm.OgmOptions)MlaTable1.OgmGe.Spec("mvsa", Profile.Embedded).Options).Modulate);

        // Table 3 shares the paper's unimodal numbers with Table 1's Late Fusion (HGM ✗) and MLA (HGM ✓) columns
        var t3 = PaperTables.Get("mla-table3");
        Assert.Equal(spec.PaperValue("mvsa", "Text", "Late Fusion"), t3.PaperValue("mvsa", "Text", "HGM ✗"));
        Assert.Equal(spec.PaperValue("mvsa", "Image", "MLA"), t3.PaperValue("mvsa", "Video / Image", "HGM ✓"));
        Assert.Equal(spec.PaperValue("mvsa", "Multi", "MLA"), t3.PaperValue("mvsa", "Multi, DF ✓ (entropy, eq. 7-8)", "HGM ✓"));
    }

    [Fact]
    public void BothTablesRunOnTheStandIn()
    {
        var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("mla-mvsa-runs")));
        var data = runner.Dataset("mvsa", null, Profile.Smoke);
        Assert.Equal(["image", "text"], data.Info.ModalityNames);
        Assert.Equal(["negative", "neutral", "positive"], data.Info.ClassNames);

        var t1 = TableRunner.Run(runner, MlaTable1.Spec, "mvsa", null, Profile.Smoke, onlyColumns: ["Concat", "Text alone"]);
        foreach (var row in new[] { "Image", "Text", "Multi" }) Assert.InRange(t1.Mean(row, "Concat")!.Value, 0, 100);
        Assert.NotNull(t1.Mean("Text", "Text alone"));
        Assert.Null(t1.Mean("Image", "Text alone"));

        // Table 3 stopped with "Unknown dataset" before MVSA had a loader: now both columns and every row have a value
        var t3 = TableRunner.Run(runner, MlaTable3.Spec, "mvsa", null, Profile.Smoke);
        foreach (var row in MlaTable3.Spec.Rows.Where(r => r.MetricByDataset.ContainsKey("mvsa")))
            foreach (var column in new[] { "HGM ✗", "HGM ✓" })
                Assert.InRange(t3.Mean(row.Label, column)!.Value, 0, 100);
        Assert.Null(t3.Mean("Audio", "HGM ✓"));
    }
}
