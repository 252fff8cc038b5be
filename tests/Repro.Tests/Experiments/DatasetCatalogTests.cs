using Repro.Data.Missing;
using Repro.Experiments;
using Repro.Experiments.Datasets;
using Repro.Methods;

namespace Repro.Tests.Experiments;

/// <summary>Every dataset and protocol trains through the experiment runner on its smoke stand-in.</summary>
public class DatasetCatalogTests
{
    /// <summary>The run's reported test metric is its selected model's, recounted from its predictions on the test split.</summary>
    [Theory]
    [InlineData("cremad:mla", "acc")]
    [InlineData("ks", "acc")]
    [InlineData("ks:dgl", "acc")]
    [InlineData("food101", "acc")]
    [InlineData("food101:map", "acc")]
    [InlineData("mmimdb", "f1_macro")]
    [InlineData("iemocap:fold=2", "acc")]
    [InlineData("vggsound", "acc")]
    public void TrainsOnTheSmokeStandInAndReportsItsSelectedModelsMetric(string dataset, string metric)
    {
        var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results")));
        var spec = new RunSpec { Dataset = dataset, Profile = Profile.Smoke, Method = MethodRegistry.Resolve("concat") };
        var result = runner.Run(spec).Result;
        Assert.True(result.Test.ContainsKey(metric), string.Join(", ", result.Test.Keys));
        Assert.Equal(runner.Dataset(dataset, null, Profile.Smoke).Test.Count, result.Test["n"]);
        Assert.Equal(SelectedModelMetrics.Recount(runner, spec, metric), result.Test[metric], 9);
        if (metric == "f1_macro")
        {
            foreach (var k in new[] { "f1_micro", "f1_weighted", "f1_samples", "f1_macro_image", "f1_macro_text" }) Assert.Contains(k, result.Test.Keys);
            Assert.Contains("f1_macro", result.Validation!.Keys);
        }
    }

    [Fact]
    public void MissingSettingsApplySavedMasksSharedByRuns()
    {
        var results = TestPaths.TempDir("results");
        var store = new ResultsStore(results);
        var d = new ExperimentRunner(store).Dataset("iemocap:missing-rate=0.7", null, Profile.Smoke);
        var masked = Assert.IsType<MaskedDataset>(d.Train);
        Assert.Equal(1.0, masked.Mask.Composition()[1]);
        var files = Directory.GetFiles(Path.Combine(results, "masks"), "*.json", SearchOption.AllDirectories);
        Assert.Equal(2, files.Length);
        var again = new ExperimentRunner(store).Dataset("iemocap:missing-rate=0.7", null, Profile.Smoke);
        Assert.Equal(masked.Mask.Kept.Cast<bool>(), ((MaskedDataset)again.Train).Mask.Kept.Cast<bool>());
        var food = new ExperimentRunner(store).Dataset("food101:missing=both/0.7", null, Profile.Smoke);
        var t = ((MaskedDataset)food.Test).Mask;
        int n = t.Count, missing = (int)(n * 0.7);
        Assert.Equal(n - missing, Enumerable.Range(0, n).Count(i => t.Has(i, "image") && t.Has(i, "text")));
    }

    [Fact]
    public void UnknownDatasetProtocolOrSettingIsRefusedClearly()
    {
        var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results")));
        Assert.Contains("known:", Assert.Throws<ArgumentException>(() => runner.Dataset("nope", null, Profile.Smoke)).Message);
        Assert.Contains("ogm-ge, mla", Assert.Throws<ArgumentException>(() => runner.Dataset("cremad:xyz", null, Profile.Smoke)).Message);
        Assert.Contains("fold", Assert.Throws<ArgumentException>(() => runner.Dataset("iemocap:folds=2", null, Profile.Smoke)).Message);
    }
}
