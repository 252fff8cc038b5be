using Repro.Data;
using Repro.Methods;
using Repro.Training;
using static Repro.Tests.Methods.MethodTestKit;
using static TorchSharp.torch;
using Repro.Methods.Mla;

namespace Repro.Tests.Methods.EndToEnd;

/// <summary>
/// The trainer's gradient reset under MLA's paper schedule (audio at step 0, visual at step 1, one epoch of two
/// batches): PyTorch's SGD skips a parameter whose gradient is None and updates one whose gradient is a zero tensor,
/// which without momentum and weight decay changes nothing (SetToNone and Zero agree exactly), and with momentum
/// moves the idle audio encoder again by lr * mu * its first-step buffer (they differ by exactly that).
/// </summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class GradResetTests
{
    const double Lr = 0.5, Mu = 0.9;

    static (Tensor[] Audio0, Tensor[] Audio, Tensor[] Others) Train(GradReset reset, double momentum)
    {
        var mla = (Mla)Create("mla", seed: 3);
        var ds = RandomDataset(6, seed: 22);
        var audio0 = Snapshot(mla.Model.EncoderParameters(Modalities.Audio));
        var config = new TrainConfig
        {
            Epochs = 1, BatchSize = 3, Optimizer = "sgd", Lr = LrSchedule.Constant(Lr), Momentum = momentum, WeightDecay = 0,
            GradReset = reset, ShuffleTrain = false, Selection = Selection.Last, EvaluateTestEachEpoch = false,
        };
        new Trainer { Config = config }.Fit(mla, new DataLoader(ds, 3, false, SampleMode.Train, 0), null, null);
        var others = mla.Model.EncoderParameters(Modalities.Visual).Concat(mla.Head.parameters());
        return (audio0, Snapshot(mla.Model.EncoderParameters(Modalities.Audio)), Snapshot(others));
    }

    [Fact]
    public void WithoutMomentumSetToNoneAndZeroGiveTheSameStep()
    {
        using var scope = NewDisposeScope();
        var none = Train(GradReset.SetToNone, 0);
        var zero = Train(GradReset.Zero, 0);
        for (int i = 0; i < none.Audio.Length; i++) AssertClose(none.Audio[i], zero.Audio[i], 0, $"audio {i}");
        for (int i = 0; i < none.Others.Length; i++) AssertClose(none.Others[i], zero.Others[i], 0, $"visual/head {i}");
        Assert.True(none.Audio.Zip(none.Audio0).Max(x => (x.First - x.Second).abs().max().item<float>()) > 1e-4, "the audio encoder must move at its own step");
    }

    [Fact]
    public void WithMomentumTheIdleEncoderMovesOnlyUnderZero()
    {
        using var scope = NewDisposeScope();
        var none = Train(GradReset.SetToNone, Mu);
        var zero = Train(GradReset.Zero, Mu);
        for (int i = 0; i < none.Others.Length; i++) AssertClose(none.Others[i], zero.Others[i], 0, $"visual/head {i}");
        // SetToNone: audio a1 after its step, untouched at the visual step. Zero: buffer b = (a0 - a1)/lr, then a1 - lr*mu*b.
        for (int i = 0; i < none.Audio.Length; i++)
        {
            var expected = none.Audio[i] - Mu * (none.Audio0[i] - none.Audio[i]);
            AssertClose(expected, zero.Audio[i], 1e-6, $"audio {i} under Zero");
        }
        Assert.True(zero.Audio.Zip(none.Audio).Max(x => (x.First - x.Second).abs().max().item<float>()) > 1e-4, "Zero must move the idle audio encoder");
    }
}
