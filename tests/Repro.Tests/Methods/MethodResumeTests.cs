using Repro.Data;
using Repro.Methods;
using Repro.Training;
using static TorchSharp.torch;

namespace Repro.Tests.Methods;

/// <summary>Stateful methods (prototypes, running scores, initial weights, blending weights) resume where they stopped.</summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MethodResumeTests
{
    [Theory]
    [InlineData("pmr", new[] { "momentum_coef=0.5" })]
    [InlineData("agm", new[] { "modulation_starts=1", "modulation_ends=2" })]
    [InlineData("dr", new[] { "reinit_epoch=1" })]
    [InlineData("gblending", new[] { "super_epoch=2" })]
    public void AResumedRunEndsWhereAnUninterruptedOneEnds(string name, string[] options)
    {
        using var scope = NewDisposeScope();
        var train = new DataLoader(MethodTestData.Dataset(24, 20), 6, true, SampleMode.Train, 5);
        var val = new DataLoader(MethodTestData.Dataset(9, 21, "val"), 6, false, SampleMode.Eval, 0);
        var config = new TrainConfig { Epochs = 3, BatchSize = 6, Lr = LrSchedule.Constant(0.05), Selection = Selection.Last, EvaluateTestEachEpoch = false, Seed = 3 };

        Dictionary<string, Tensor> Run(int? stopAfter, string dir, bool resume, Method? method = null)
        {
            method ??= MethodTestData.Create<Method>(name, MethodTestData.Parts(), options);
            new Trainer { Config = config, Checkpoints = new Checkpoints(dir), Resume = resume, StopAfterEpochs = stopAfter }.Fit(method, train, val, null);
            return method.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        }

        var straight = Run(null, TestPaths.TempDir(), false);
        var dir = TestPaths.TempDir();
        Run(1, dir, false);
        var resumed = Run(null, dir, true);
        foreach (var (k, v) in straight)
            Assert.True(v.allclose(resumed[k], 1e-6, 1e-7), $"{name}: {k} differs after resuming");
    }
}
