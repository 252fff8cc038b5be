using Repro.Experiments;
using Repro.Lessons;
using static TorchSharp.torch;

namespace Repro.Tests.Lessons;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class WorkbenchTests
{
    [Fact]
    public void FreshMethodsStartFromTheSameWeightsAndTheRunsFirstBatch()
    {
        var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("workbench")));
        var bench = Workbench.Open(runner, "cremad", Profile.Smoke);
        var a = bench.Fresh("concat").Model.parameters().ToArray();
        var b = bench.Fresh("concat").Model.parameters().ToArray();
        Assert.Equal(a.Length, b.Length);
        Assert.All(a.Zip(b), p => Assert.True(p.First.allclose(p.Second, 0, 0), "two fresh methods differ"));
        var other = Workbench.Open(runner, "cremad", Profile.Smoke, seed: 1).Fresh("concat").Model.parameters().First();
        Assert.False(a[0].allclose(other, 0, 0), "another seed gave the same weights");

        Assert.Equal(Profile.Smoke.Train.BatchSize, bench.Batch.Size);
        Assert.Equal(bench.Batch.Ids, Workbench.Open(runner, "cremad", Profile.Smoke).Batch.Ids);
        Assert.NotEqual(bench.Batch.Ids, Workbench.Open(runner, "cremad", Profile.Smoke, seed: 1).Batch.Ids);
    }

    [Fact]
    public void CheckPassesWithinTheToleranceAndThrowsBeyondIt()
    {
        var x = tensor(new[] { 1.0, 2.0, 3.0 });
        Assert.Contains("agree", Check.Close("x", x, x + 5e-7));
        var e = Assert.Throws<LessonCheckFailed>(() => Check.Close("x", x, x + 2e-6));
        Assert.Contains("x: the lesson and the library differ by 2.000E-006", e.Message);
        Assert.Throws<LessonCheckFailed>(() => Check.Close("x", x, x[..2]));
        Assert.Throws<LessonCheckFailed>(() => Check.Close("loss", 1.0, double.NaN));
    }
}
