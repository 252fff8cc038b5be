using Repro.Data;
using Repro.Experiments;
using Repro.Methods;
using Repro.Training;
using static Repro.Tests.Methods.MethodTestKit;
using static TorchSharp.torch;

namespace Repro.Tests.Methods.EndToEnd;

/// <summary>
/// Each method that changes the training loop (IAdjustsTraining) gives, on the paper profile, the optimizer and the
/// per-epoch learning rates its paper or official code lists; for DGL the trainer is checked to use them.
/// </summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class AdjustTrainingScheduleTests
{
    static TrainConfig Paper(Method m) => ((IAdjustsTraining)m).AdjustTraining(Profile.Paper.Train);

    static void Rates(TrainConfig config, params (int Epoch, double Lr)[] expected)
    {
        foreach (var (e, lr) in expected) Assert.True(Math.Abs(config.Lr.At(e) - lr) <= 1e-12 * lr, $"epoch {e}: lr {config.Lr.At(e)}, expected {lr}");
    }

    /// <summary>DGL paper: the profile's StepLR(70, 0.1) stepped after each epoch; the official main_dgl.py steps MultiStepLR([70]) before each epoch, so epoch 69 (0-based) already runs at the decayed rate.</summary>
    [Fact]
    public void DglDecaysAtEpoch70AndTheOfficialSchedulerOneEpochEarly()
    {
        using var scope = NewDisposeScope();
        var paper = Paper(Create("dgl"));
        Rates(paper, (0, 1e-3), (69, 1e-3), (70, 1e-4), (99, 1e-4));
        var official = Paper(Create("dgl", options: ("scheduler_before_epoch", true)));
        Rates(official, (0, 1e-3), (68, 1e-3), (69, 1e-4), (99, 1e-4));
        Assert.Equal(100, official.Epochs);
    }

    [Fact]
    public void TheTrainerRunsEachEpochAtTheAdjustedRate()
    {
        using var scope = NewDisposeScope();
        var dgl = Create("dgl", options: ("scheduler_before_epoch", true));
        var ds = RandomDataset(6, seed: 2);
        var config = ((IAdjustsTraining)dgl).AdjustTraining(new TrainConfig
        {
            Epochs = 3, BatchSize = 6, Lr = LrSchedule.MultiStep(0.1, [2], 0.1), Selection = Selection.Last, EvaluateTestEachEpoch = false,
        });
        var result = new Trainer { Config = config }.Fit(dgl, new DataLoader(ds, 6, false, SampleMode.Train, 0), null, null);
        Assert.Equal([0.1, 0.01, 0.01], result.History.Select(h => Math.Round(h.Lr, 12)));
    }

    /// <summary>U2A Table 5: AdamW (weight decay 0.02), polynomial decay (power 0.9) with 5 warm-up epochs from 0.1 x lr; image-text lr 1e-3 over 10 epochs.</summary>
    [Fact]
    public void U2aImageTextRunsTheTable5PolynomialScheduleWithWarmUp()
    {
        using var scope = NewDisposeScope();
        var u2a = Create("u2a", U2aTests.Parts(), 11, ("hidden", 8), ("layers", 1), ("heads", 2), ("image_patch", 4), ("vocab", 30));
        var config = Paper(u2a);
        Assert.Equal(("adamw", 0.02, 10), (config.Optimizer, config.WeightDecay, config.Epochs));
        static double Poly(int e) => 1e-3 * Math.Pow(1 - e / 10.0, 0.9);
        Rates(config, (0, 0.1 * Poly(0)), (1, Poly(1) * (0.1 + 0.9 / 5)), (4, Poly(4) * (0.1 + 0.9 * 4 / 5)), (5, Poly(5)), (9, Poly(9)));
    }

    /// <summary>The GCNet suite's optimisers: DCCA Adam(1e-3, weight decay 1e-4, batch 1024; dcca.py), CPM-Net and AE Adam(1e-3), constant.</summary>
    [Theory]
    [InlineData("dcca", 1e-3, 1e-4)]
    [InlineData("cpm-net", 1e-3, 0.0)]
    [InlineData("ae", 1e-3, 0.0)]
    public void TheGcnetSuiteTrainsWithConstantAdam(string method, double lr, double weightDecay)
    {
        using var scope = NewDisposeScope();
        var config = Paper(Create(method, MissingBaselineKit.Parts(), 1));
        Assert.Equal(("adam", weightDecay), (config.Optimizer, config.WeightDecay));
        Rates(config, (0, lr), (50, lr), (99, lr));
        if (method == "dcca") Assert.Equal(1024, config.BatchSize);
    }
}
