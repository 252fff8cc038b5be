using Repro.Data;
using Repro.Experiments;
using Repro.Methods;
using Repro.Training;
using static TorchSharp.torch;

namespace Repro.Tests.Methods;

/// <summary>Methods with stages resume where they stopped, also inside a later stage (the teacher copies and fitted buffers come back).</summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MissingBaselineResumeTests
{
    [Theory]
    [InlineData("dccae", "hidden", 2)]   // stopped after the dcca stage, resumed into the SVM fit
    [InlineData("if-mmin", "n_blocks", 3)] // stopped inside the student stage
    [InlineData("tate", "att_dim", 3)]
    public void AResumedRunEndsWhereAnUninterruptedOneEnds(string name, string sizeOption, int stopAfter)
    {
        using var scope = NewDisposeScope();
        var data = new ExperimentRunner(new ResultsStore(TestPaths.TempDir("results"))).Dataset("iemocap:fold=1:missing-rate=0.5", null, Profile.Smoke);
        var train = new DataLoader(data.Train, 16, true, SampleMode.Train, 5);
        var val = new DataLoader(data.Test, 16, false, SampleMode.Eval, 0);
        var config = new TrainConfig { Epochs = 2, BatchSize = 16, Optimizer = "adam", Lr = LrSchedule.Constant(1e-3), Selection = Selection.Last, EvaluateTestEachEpoch = false, Seed = 3 };
        var parts = new ModelParts(data.Info.ModalityNames.ToArray(), data.BuildEncoder, data.Info.NumClasses);

        Dictionary<string, Tensor> Run(int? stop, string dir, bool resume)
        {
            manual_seed(9);
            var method = MethodRegistry.Create(MethodRegistry.Resolve(name, (sizeOption, name == "if-mmin" ? "2" : "32")), parts);
            new Trainer { Config = config, Checkpoints = new Checkpoints(dir), Resume = resume, StopAfterEpochs = stop }.Fit(method, train, val, null);
            return method.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        }

        var straight = Run(null, TestPaths.TempDir(), false);
        var dir = TestPaths.TempDir();
        Run(stopAfter, dir, false);
        var resumed = Run(null, dir, true);
        foreach (var (k, v) in straight)
            Assert.True(v.allclose(resumed[k], 1e-5, 1e-6), $"{name}: {k} differs after resuming");
    }
}
