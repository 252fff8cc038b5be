using Repro.Experiments;
using Repro.Experiments.Tables;
using Repro.Lessons;

namespace Repro.Tests.Lessons;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MlaLessonRunsTests
{
    [Fact]
    public void AColumnsRunIsTheTablesRunReadBack()
    {
        var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("mla-lesson-runs")));
        var table = TableRunner.Run(runner, MlaTable1.Spec, "cremad", null, Profile.Smoke, onlyColumns: ["Concat"]);
        var run = MlaLessonRuns.Column(runner, table, "Concat");
        Assert.Equal(table.Runs["Concat"].Single().Key, run.Key);
        Assert.Equal(table.Value("Video", "Concat"), run.Test["acc_visual"]);
        Assert.Throws<ArgumentException>(() => MlaLessonRuns.Column(runner, table, "MLA"));
        Assert.Throws<ArgumentException>(() => MlaLessonRuns.Column(runner, table, "Concat", seed: 1));
        Assert.Single(Directory.GetDirectories(Path.Combine(runner.Store.Root, "runs", "cremad-smoke")));   // nothing trained again
    }
}
