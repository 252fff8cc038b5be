using Repro.Experiments;
using Repro.Methods;
using Repro.Training;

namespace Repro.Tests.Experiments;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class ExperimentRunnerTests
{
    static RunSpec Spec(string method = "sum") => new()
    {
        Dataset = "cremad", Profile = Profile.Smoke, Method = MethodRegistry.Resolve(method), Seed = 1,
    };

    [Fact]
    public void AFinishedRunIsReusedAndForceTrainsItAgain()
    {
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var (first, reused) = new ExperimentRunner(store).Run(Spec());
        Assert.False(reused);
        Assert.Equal(2, first.History.Count);
        Assert.True(File.Exists(Path.Combine(store.RunDirectory(Spec()), "history.csv")));
        var (second, reused2) = new ExperimentRunner(store).Run(Spec());
        Assert.True(reused2);
        Assert.Equal(first.Test["acc"], second.Test["acc"]);
        var (third, reused3) = new ExperimentRunner(store) { Force = true }.Run(Spec());
        Assert.False(reused3);
        Assert.Equal(first.Test["acc"], third.Test["acc"]); // same seed, same numbers
    }

    [Fact]
    public void TheTestBestReadingOfAValidationRunIsWhatATestBestRunReports()
    {
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var (byValidation, _) = new ExperimentRunner(store).Run(Spec());
        var (byTest, _) = new ExperimentRunner(store).Run(Spec() with { Selection = Selection.TestBest });
        Assert.NotEqual(byValidation.Key, byTest.Key);
        Assert.Equal(byTest.Test, byValidation.TestAt(Selection.TestBest));
        Assert.Equal(byValidation.Test, byTest.TestAt(Selection.Validation));
    }

    [Fact]
    public void AnInterruptedRunNeedsResumeOrForce()
    {
        var store = new ResultsStore(TestPaths.TempDir("results"));
        var spec = Spec("late");
        new ExperimentRunner(store).Run(spec);
        File.Delete(Path.Combine(store.RunDirectory(spec), "run.json")); // as if stopped before finishing
        var e = Assert.Throws<InvalidOperationException>(() => new ExperimentRunner(store).Run(spec));
        Assert.Contains("--resume", e.Message);
        Assert.Contains("--force", e.Message);
        var (resumed, _) = new ExperimentRunner(store) { Resume = true }.Run(spec);
        Assert.Equal(2, resumed.History.Count);
    }

    [Fact]
    public void RunKeysDifferWhenAnythingThatMattersDiffers()
    {
        Assert.Equal(Spec().Key, Spec().Key);
        Assert.NotEqual(Spec().Key, (Spec() with { Seed = 2 }).Key);
        Assert.NotEqual(Spec().Key, Spec("concat").Key);
        Assert.NotEqual(Spec().Key, (Spec() with { Selection = Selection.TestBest }).Key);
        Assert.StartsWith("joint_fusion-sum-seed1-", Spec().Key);
    }

    [Fact]
    public void AStandInWhoseRecipeChangedGivesItsRunsAndFolderANewIdentity()
    {
        const int version = Repro.Data.Iemocap.IemocapStandInRecipe.Version;
        Assert.Equal(version, Repro.Experiments.Datasets.StandIns.RecipeVersion("iemocap"));
        Assert.True(version > 1);
        var onStandIn = Spec() with { Dataset = "iemocap:fold=1" };
        Assert.Equal(version, onStandIn.ToJson()["standIn"]!.GetValue<int>());
        Assert.False((onStandIn with { DataRoot = "/data/iemocap" }).ToJson().ContainsKey("standIn"));
        // datasets whose recipe never changed keep the identity they always had
        Assert.False(Spec().ToJson().ContainsKey("standIn"));
        var root = TestPaths.TempDir("standin-version");
        var dir = Repro.Experiments.Datasets.StandIns.Ensure(root, "iemocap", null, new(6, 4));
        Assert.EndsWith($"-v{version}", dir);
    }

    [Fact]
    public void AMethodWhoseTrainingChangedGivesItsRunsANewIdentity()
    {
        Assert.Equal(2, MethodRegistry.VersionOf("u2a"));
        Assert.Equal(2, Spec("u2a").ToJson()["methodVersion"]!.GetValue<int>());
        // a revised method's runs change key with each version
        var sum = MethodRegistry.Entries.Single(e => e.Name == "joint");
        MethodRegistry.Register(sum with { Name = "joint-revised-for-test", Version = 2 });
        var second = Spec("joint-revised-for-test").Key;
        MethodRegistry.Register(sum with { Name = "joint-revised-for-test", Version = 3 });
        Assert.NotEqual(second, Spec("joint-revised-for-test").Key);
        // a method never revised keeps the identity it always had
        Assert.Equal(1, MethodRegistry.VersionOf("joint"));
        Assert.False(Spec().ToJson().ContainsKey("methodVersion"));
    }

    [Fact]
    public void ARunThatLibtorchFailsOnAFreedScalarContinuesFromItsCheckpointWithTheSameNumbers()
    {
        var spec = Spec("concat");
        var (plain, _) = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results"))).Run(spec);
        var once = new FailingObserver("Unknown scalar type", times: 1);   // in epoch 2, after epoch 1's checkpoint
        var (raced, reused) = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results"))) { Observer = once }.Run(spec);
        Assert.False(reused);
        Assert.Equal(1, once.Failures);
        Assert.Contains(once.Messages, m => m.Contains("continuing from the last checkpoint (retry 1 of 3)"));
        Assert.Equal(plain.Test, raced.Test);
        foreach (var metric in new[] { "train/loss", "val/acc", "test/acc" })
            Assert.Equal(plain.Series(metric), raced.Series(metric));

        // the same failure every time is an error, not a race: thrown after the retries
        var always = new FailingObserver("Unknown scalar type", times: int.MaxValue);
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() =>
            new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results"))) { Observer = always }.Run(spec));
        Assert.Equal(1 + Repro.Native.ScalarRace.MaxRetries, always.Failures);
        // and any other failure at once
        var other = new FailingObserver("shape mismatch", times: int.MaxValue);
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() =>
            new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results"))) { Observer = other }.Run(spec));
        Assert.Equal(1, other.Failures);
    }

    /// <summary>Fails the second epoch's second batch as libtorch would, <c>times</c> times.</summary>
    sealed class FailingObserver(string message, int times) : ITrainingObserver
    {
        public int Failures { get; private set; }
        public List<string> Messages { get; } = [];
        public void Message(string text) => Messages.Add(text);
        public void BatchDone(int epoch, int batch, int batches, IReadOnlyDictionary<string, double> losses)
        {
            if (epoch != 1 || batch != 1 || Failures >= times) return;
            Failures++;
            throw new System.Runtime.InteropServices.ExternalException(message + " (c10 error raised in a test)");
        }
    }
}
