using Repro.Data;
using Repro.Evaluation.Probes;
using Repro.Methods;
using Repro.Models.Encoders;
using Repro.Models.Fusion;
using Repro.Training;
using static Repro.Tests.Methods.MethodTestKit;
using static TorchSharp.torch;

namespace Repro.Tests.Evaluation;

/// <summary>
/// The quantities of DGL Figs. 1(c) and 3: the suppression factor s, the gradients it scales (grad-suppression probe)
/// and the gradient an encoder is actually updated with (grad-step probe, logged through the trainer).
/// </summary>
/// <remarks>Runs alone (TrainingCollection): it compares gradients of separate passes, as GradientSuppressionProbeTests does.</remarks>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class GradientStepProbeTests
{
    /// <summary>z = theta x with one weight and no bias: an encoder whose gradient is dL/dz times the input.</summary>
    sealed class ScalarEncoder : nn.Module<Tensor, Tensor>, IEncoder
    {
        readonly TorchSharp.Modules.Linear fc = nn.Linear(1, 1, hasBias: false);
        public ScalarEncoder() : base(nameof(ScalarEncoder)) => RegisterComponents();
        public int FeatureDim => 1;
        public override Tensor forward(Tensor x) => fc.call(x);
    }

    /// <summary>
    /// Joint concatenation on one sample, two classes, label y = 1, inputs x_a = x_v = 1, encoder weights theta_a = 0,
    /// theta_v = 1 (so z_a = 0, z_v = 1), head W = [[W_0^a, W_0^v], [W_1^a, W_1^v]] = [[0, 0], [1, ln 3]], b = 0.
    /// </summary>
    static (Method Method, TensorDataset Data, Batch Batch) HandCase()
    {
        var parts = new ModelParts([Modalities.Audio, Modalities.Visual], _ => new ScalarEncoder(), 2);
        var method = Create("joint", parts, options: [("fusion", "concat")]);
        using (no_grad())
        {
            method.Model.EncoderParameters(Modalities.Audio).Single().fill_(0);
            method.Model.EncoderParameters(Modalities.Visual).Single().fill_(1);
            var fc = ((ConcatFusion)method.Model.Head).Linear;
            fc.weight!.copy_(tensor(new[] { 0, 0, 1, Math.Log(3) }).reshape(2, 2));
            fc.bias!.zero_();
        }
        var inputs = new Dictionary<string, Tensor> { [Modalities.Audio] = ones(1, 1), [Modalities.Visual] = ones(1, 1) };
        var labels = tensor(new long[] { 1 });
        return (method, new TensorDataset("hand", inputs, labels, ["c0", "c1"]), Batch.FromTensors(inputs, labels));
    }

    [Fact]
    public void SuppressionFactorAndTheGradientsItScalesOnAHandComputedCase()
    {
        var (method, _, batch) = HandCase();
        var measured = GradientSuppressionProbe.Measure(method, batch);
        // s_0 = exp((W_0^v - W_1^v) z_v) = exp(0 - ln 3) = 1/3 (the only k != y).
        Assert.Equal(1.0 / 3, measured["audio/zeta"], 6);
        // Eq. 4: p_y = e^{W_1^a z_a} / (e^{W_0^a z_a} s_0 + e^{W_1^a z_a}) = 1 / (1/3 + 1) = 3/4; with W_0^a = 0 the
        // fused loss gives dL/dz_a = (p_y - 1) W_1^a = -1/4, and dL/dtheta_a = -1/4 x_a.
        Assert.Equal(0.25, measured["audio/grad_fused"], 6);
        // Trained alone (the audio logits W^a z_a = (0, 0)): p_y = 1/2, dL/dtheta_a = (1/2 - 1) W_1^a x_a = -1/2.
        // s = 1/3 halves the audio encoder's gradient.
        Assert.Equal(0.5, measured["audio/grad_unimodal"], 6);
    }

    static TrainResult TrainOneEpoch(Method method, IMultimodalDataset data, int batchSize, params IStepProbe[] probes)
    {
        var config = new TrainConfig { Epochs = 1, BatchSize = batchSize, Lr = LrSchedule.Constant(0.1), Selection = Selection.Last, EvaluateTestEachEpoch = false, ShuffleTrain = false };
        return new Trainer { Config = config, Probes = probes }.Fit(method, new DataLoader(data, batchSize, false, SampleMode.Train, 0), null, null);
    }

    [Fact]
    public void TheLoggedGradientOfTheHandCaseIsTheFusedLosssGradient()
    {
        var (method, data, _) = HandCase();
        var logged = TrainOneEpoch(method, data, 1, new GradientStepProbe(1)).History[0].Probes!;
        Assert.Equal(0.25, logged["grad-step/audio/grad_step"], 6);   // |dL/dtheta_a| = 1/4, as above
    }

    [Fact]
    public void TheLoggedGradientIsTheNormOfTheJointStepsGradient()
    {
        var data = RandomDataset();
        var logged = TrainOneEpoch(Create("joint", seed: 3), data, 6, new GradientStepProbe(1)).History[0].Probes!;

        var direct = Create("joint", seed: 3);   // the same weights, one step's gradient computed here
        var batch = RandomBatch();                 // the dataset's six samples in order: the epoch's one batch
        nn.functional.cross_entropy(direct.Model.Head.Fuse(direct.Model.Encode(batch)), batch.Labels).backward();
        foreach (var m in direct.Modalities)
        {
            var norm = direct.Model.EncoderParameters(m).Select(p => p.grad!.to_type(ScalarType.Float64).pow(2).sum().item<double>()).Sum();
            Assert.Equal(Math.Sqrt(norm), logged[$"grad-step/{m}/grad_step"], 5);
        }
    }

    [Fact]
    public void UnderDglTheLoggedGradientIsAlphaTimesTheUnimodalOneNotTheFusedOne()
    {
        var data = RandomDataset();
        (string, object)[] options = [("alpha", 4), ("grad_clip_norm", 0)];
        var before = GradientSuppressionProbe.Measure(Create("dgl", seed: 5, options: options), RandomBatch());
        var logged = TrainOneEpoch(Create("dgl", seed: 5, options: options), data, 6, new GradientStepProbe(1)).History[0].Probes!;
        foreach (var m in new[] { Modalities.Audio, Modalities.Visual })
        {
            Assert.Equal(4 * before[$"{m}/grad_unimodal"], logged[$"grad-step/{m}/grad_step"], 5);   // eq. 15
            Assert.NotEqual(before[$"{m}/grad_fused"], logged[$"grad-step/{m}/grad_step"], 2);
        }
    }

    [Fact]
    public void TheProbeIsRegisteredByName() =>
        Assert.IsType<GradientStepProbe>(StepProbes.Create("grad-step", 1));
}
