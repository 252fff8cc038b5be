using Repro.Data;
using Repro.Data.Missing;
using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Methods;

namespace Repro.Tests.Experiments;

/// <summary>Test-split-only missing modalities (U2A Figure 2, Table 4): the mask, and a finished run's model evaluated on them.</summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class TestTimeMissingTests
{
    [Fact]
    public void TestOnlySettingsMaskTheTestSplitAndLeaveTrainingComplete()
    {
        var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results")));
        var absent = runner.Dataset("food101:map:test-absent=text", null, Profile.Smoke);
        Assert.IsNotType<MaskedDataset>(absent.Train);
        var mask = Assert.IsType<MaskedDataset>(absent.Test).Mask;
        Assert.All(Enumerable.Range(0, mask.Count), i => Assert.False(mask.Has(i, Modalities.Text)));
        Assert.All(Enumerable.Range(0, mask.Count), i => Assert.True(mask.Has(i, Modalities.Image)));

        var partial = runner.Dataset("food101:map:test-missing=text/0.7", null, Profile.Smoke);
        Assert.IsNotType<MaskedDataset>(partial.Train);
        var map = Assert.IsType<MaskedDataset>(partial.Test).Mask;
        int withText = Enumerable.Range(0, map.Count).Count(i => map.Has(i, Modalities.Text));
        Assert.InRange(withText, map.Count - (int)Math.Round(0.7 * map.Count) - 1, map.Count - (int)Math.Round(0.7 * map.Count) + 1);
        Assert.All(Enumerable.Range(0, map.Count), i => Assert.True(map.Has(i, Modalities.Image)));

        var e = Assert.Throws<ArgumentException>(() => runner.Dataset("food101:map:missing=text/0.7:test-absent=text", null, Profile.Smoke));
        Assert.Contains("test-absent", e.Message);
        Assert.Throws<ArgumentException>(() => runner.Dataset("food101:map:test-absent=audio", null, Profile.Smoke));
    }

    [Fact]
    public void AFinishedRunEvaluatedOnItsOwnTestSplitGivesItsReportedNumbers()
    {
        // QMF keeps state beside its model (its confidence history): the best epoch's state must come back too
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var runner = new ExperimentRunner(store);
        var spec = new RunSpec { Dataset = "cremad", Profile = Profile.Smoke, Method = MethodRegistry.Resolve("qmf"), Seed = 2 };
        var result = runner.Run(spec).Result;
        Assert.Equal(result.Test, runner.Evaluate(spec, "cremad"));
        var absent = runner.Evaluate(spec, "cremad:test-absent=visual");
        Assert.Equal(result.Test["acc_audio"], absent["acc_audio"]);   // the audio branch never sees the visual input
        Assert.Single(Directory.GetFiles(Path.Combine(store.RunDirectory(spec), "evaluations"), "*test-absent*"));
    }

    [Fact]
    public void Table4ReadsTheCompleteRunWithEachModalityAbsent()
    {
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var runner = new ExperimentRunner(store);
        var t = TableRunner.Run(runner, U2aTable4.Spec, "food101", null, Profile.Smoke, onlyColumns: ["U2A"]);
        var run = Assert.Single(t.Runs["U2A"]);
        var both = t.Mean("Both present", "U2A")!.Value;
        Assert.NotNull(t.Mean("Image (text absent)", "U2A"));
        Assert.NotNull(t.Mean("Text (image absent)", "U2A"));
        var spec = new RunSpec { Dataset = "food101:map", Profile = Profile.Smoke, Method = U2aTable4.Spec.Columns.Single(c => c.Label == "U2A").Spec() };
        Assert.Equal(spec.Key, run.Key);
        Assert.Equal(both, runner.Run(spec).Result.Test["acc"]);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(store.RunDirectory(spec), "evaluations")).Length);
    }
}
