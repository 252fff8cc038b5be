using Repro.Data.Missing;
using Repro.Experiments;
using Repro.Experiments.Tables;

namespace Repro.Tests.Experiments;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MlaFigure2Tests
{
    [Fact]
    public void TheDropOneMaskRemovesOneModalityFromTheGivenFractionOfSamples()
    {
        string[] modalities = ["audio", "visual"];
        var mask = ModalityMask.DropOne(modalities, 10, "visual", 0.35, 4);
        Assert.Equal(3, Enumerable.Range(0, 10).Count(i => !mask.Has(i, "visual"))); // int(10 * 0.35)
        Assert.All(Enumerable.Range(0, 10), i => Assert.True(mask.Has(i, "audio")));
        Assert.Equal(mask.Kept, ModalityMask.DropOne(modalities, 10, "visual", 0.35, 4).Kept);
        Assert.NotEqual(mask.Kept, ModalityMask.DropOne(modalities, 10, "visual", 0.35, 5).Kept);
        Assert.Throws<ArgumentException>(() => ModalityMask.DropOne(modalities, 10, "text", 0.3, 0));
    }

    [Fact]
    public void MissingTrainMasksTheTrainingSplitOnlyAndNamesBadValues()
    {
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var runner = new ExperimentRunner(store);
        var d = runner.Dataset("iemocap:fold=2:missing-train=video/0.5", null, Profile.Smoke);
        var train = Assert.IsType<MaskedDataset>(d.Train);
        Assert.IsNotType<MaskedDataset>(d.Test);
        Assert.Equal(train.Count / 2, Enumerable.Range(0, train.Count).Count(i => !train.Mask.Has(i, "visual")));
        Assert.All(Enumerable.Range(0, train.Count), i => Assert.True(train.Mask.Has(i, "audio") && train.Mask.Has(i, "text")));
        var e = Assert.Throws<ArgumentException>(() => runner.Dataset("iemocap:fold=2:missing-train=smell/0.5", null, Profile.Smoke));
        Assert.Contains("no modality 'smell'", e.Message);
        Assert.Throws<ArgumentException>(() => runner.Dataset("iemocap:fold=2:missing-train=audio/1.5", null, Profile.Smoke));
        Assert.Throws<ArgumentException>(() => runner.Dataset("iemocap:fold=2:missing-train=audio/0.5:missing-rate=0.5", null, Profile.Smoke));
    }

    [Fact]
    public void TheSpecRunsQmfAndMlaOnKineticsSoundsWithFewFractionsUnlessPaper()
    {
        var spec = PaperTables.Get("mla-figure2");
        Assert.Equal(["QMF", "MLA"], spec.Columns.Select(c => c.Label));
        Assert.Equal(["ks"], spec.Datasets);
        var labels = spec.Rows.Select(r => r.Label).ToHashSet();
        foreach (var p in Profile.All) Assert.All(spec.RowsFor!(p), l => Assert.Contains(l, labels));
        Assert.Equal(2 + 2 * 1 * 2, spec.RowsFor!(Profile.Embedded).Count);
        Assert.Equal(2 + 2 * 5 * 2, spec.RowsFor!(Profile.Paper).Count);
        var row = spec.Rows.Single(r => r.Label == MlaFigure2.Row("video", 0.3, "audio"));
        Assert.Equal("missing-train=video/0.3", row.DatasetSettings);
        Assert.Equal("acc_audio", row.MetricByDataset["ks"]);
    }
}
