using Repro.Experiments;
using Repro.Experiments.Costs;
using Repro.Experiments.Tables;
using Repro.Methods;
using Repro.Models;
using Repro.Models.Encoders;

namespace Repro.Tests.Experiments.Costs;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MethodCostsTests
{
    [Fact]
    public void EveryMethodOfBothTablesIsMeasuredOnceAgainstConcat()
    {
        var runner = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results")));
        var costs = MethodCosts.Measure(runner, "cremad", Profile.Smoke, epochs: 1);

        var expected = MethodCosts.DefaultTables.SelectMany(t => t.Columns).Where(c => MethodRegistry.IsKnown(c.Method) && c.RunsOn("cremad"))
            .Select(c => c.Spec("cremad", Profile.Smoke).Describe()).Distinct().ToList();
        Assert.Equal(expected, costs.Select(c => c.Method));
        var concat = Assert.Single(costs, c => c.Label == "Concat");
        Assert.Equal(1.0, concat.RelativeToConcat);
        Assert.Equal(["mla-table1", "dgl-table1"], concat.Tables);
        Assert.All(costs, c => Assert.Equal(c.SecondsPerEpoch / concat.SecondsPerEpoch, c.RelativeToConcat, 12));

        // Concat trains both smoke-width encoders and its head; a unimodal model trains one encoder and a smaller head.
        var parts = new ModelParts(["audio", "visual"], m => m == "audio" ? new ResNet18(1, false, Profile.Smoke.EncoderWidth) : new ResNet18(3, true, Profile.Smoke.EncoderWidth), 6);
        using var model = MethodRegistry.Create(MethodRegistry.Resolve("concat"), parts).Model;
        Assert.Equal(model.parameters().Sum(p => p.numel()), concat.TrainableParameters);
        var audioAlone = Assert.Single(costs, c => c.Label == "Audio alone");
        Assert.True(audioAlone.TrainableParameters < concat.TrainableParameters / 2 + 1000, $"audio alone trains {audioAlone.TrainableParameters}");
        if (ResidentMemory.PeakBytes is not null) Assert.All(costs, c => Assert.True(c.PeakBytes > 0 && c.RiseBytes <= c.PeakBytes));
        Assert.Contains("x Concat", MethodCosts.Format(costs));
    }
}
