using Repro.Data;
using Repro.Evaluation.Probes;
using Repro.Methods;
using Repro.Models.Encoders;
using Repro.Training;
using Repro.Tests.Methods;
using static Repro.Tests.Methods.MethodTestKit;
using static TorchSharp.torch;

namespace Repro.Tests.Evaluation;

/// <remarks>Runs alone (TrainingCollection): it compares gradients of separate passes to 1e-6, and libtorch's CPU
/// convolution backward has disagreed between identical passes when other tests ran beside it.</remarks>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class GradientSuppressionProbeTests
{
    static double EncoderGradNorm(Method method, string modality)
    {
        double sq = 0;
        foreach (var p in method.Model.EncoderParameters(modality))
            if (p.grad is { } g) sq += g.to_type(ScalarType.Float64).pow(2).sum().item<double>();
        return Math.Sqrt(sq);
    }

    [Theory]
    [InlineData("joint")]
    [InlineData("dgl")]
    public void NormsMatchBackwardOnSeparateGraphs(string name)
    {
        var method = Create(name);
        var batch = RandomBatch();
        var measured = GradientSuppressionProbe.Measure(method, batch);
        Assert.All(method.Model.parameters(), p => Assert.Null(p.grad));   // the probe leaves no gradient behind

        method.Model.zero_grad();
        nn.functional.cross_entropy(method.Model.Head.Fuse(method.Model.Encode(batch)), batch.Labels).backward();
        foreach (var m in method.Modalities)
            Assert.Equal(EncoderGradNorm(method, m), measured[$"{m}/grad_fused"], 6);
        foreach (var m in method.Modalities)
        {
            method.Model.zero_grad();
            nn.functional.cross_entropy(method.Model.Head.Unimodal(m, method.Model.Encode(batch)), batch.Labels).backward();
            Assert.Equal(EncoderGradNorm(method, m), measured[$"{m}/grad_unimodal"], 6);
            Assert.True(measured[$"{m}/grad_unimodal"] > 0);
        }
    }

    [Fact]
    public void ZetaOnAHandComputedCase()
    {
        // row 0, y = 0: exp(ln 2 - 0) = 2, exp(ln 3 - 0) = 3; row 1, y = 2: exp(ln 4 - 0) = 4, exp(0 - 0) = 1
        var c = tensor(new[] { 0.0, Math.Log(2), Math.Log(3), Math.Log(4), 0.0, 0.0 }).reshape(2, 3);
        Assert.Equal(2.5, GradientSuppressionProbe.Zeta(c, tensor(new long[] { 0, 2 })), 9);
    }

    [Fact]
    public void ZetaOfAConcatHeadIsTheOtherModalitysLogitGap()
    {
        var method = Create("joint", options: [("fusion", "concat")]);
        var batch = RandomBatch();
        var measured = GradientSuppressionProbe.Measure(method, batch);
        var z = method.Model.Encode(batch);
        var w = method.Model.state_dict()["fusion_module.fc_out.weight"].to_type(ScalarType.Float64);
        var labels = batch.Labels.data<long>().ToArray();
        foreach (var (m, other, block) in new[] { ("audio", "visual", 1), ("visual", "audio", 0) })
        {
            // DGL eq. 4: s_k = exp((W_k^{m2} - W_y^{m2}) z^{m2}) for the gradient of m1's encoder
            var logits = z[other].detach().to_type(ScalarType.Float64).matmul(w.narrow(1, block * FeatureDim, FeatureDim).t());
            double sum = 0; int n = 0;
            for (int i = 0; i < labels.Length; i++)
                for (int k = 0; k < Classes; k++)
                    if (k != labels[i]) { sum += Math.Exp(logits[i, k].item<double>() - logits[i, labels[i]].item<double>()); n++; }
            Assert.Equal(sum / n, measured[$"{m}/zeta"], 5);
        }
    }

    [Fact]
    public void ObservingDoesNotChangeTraining()
    {
        // Encoders with BatchNorm (running statistics the probe's forward must not change) and no convolution.
        var parts = new ModelParts([Modalities.Audio, Modalities.Visual], m => new BatchNormMlp(m == Modalities.Audio ? 16 * 16 : 3 * 16 * 16), Classes);
        var g = new Generator(11);
        var data = new TensorDataset("probe", new Dictionary<string, Tensor>
        {
            [Modalities.Audio] = randn([8, 16, 16], generator: g),
            [Modalities.Visual] = randn([8, 3, 1, 16, 16], generator: g),
        }, tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 }), ["a", "b", "c"]);

        Dictionary<string, Tensor> Train(bool probe)
        {
            var method = Create("joint", parts, seed: 4);   // weights from a private generator: both runs start equal
            var config = new TrainConfig { Epochs = 2, BatchSize = 4, Lr = LrSchedule.Constant(0.05), Selection = Selection.Last, EvaluateTestEachEpoch = false, ShuffleTrain = false };
            var trainer = new Trainer { Config = config, Probes = probe ? [new GradientSuppressionProbe(1)] : [] };
            var result = trainer.Fit(method, new DataLoader(data, 4, false, SampleMode.Train, 0), null, null);
            if (probe)
            {
                var summary = result.History[^1].Probes!;
                Assert.Contains("grad-suppression/audio/grad_fused", summary.Keys);
                Assert.Contains("grad-suppression/visual/zeta", summary.Keys);
            }
            else Assert.Null(result.History[^1].Probes);
            return method.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        }

        var plain = Train(false);
        var observed = Train(true);
        Assert.Contains(plain.Keys, k => k.Contains("running_mean"));
        foreach (var (k, v) in plain)
            Assert.True(v.to_type(ScalarType.Float64).equal(observed[k].to_type(ScalarType.Float64)).all().item<bool>(), $"{k} differs when observed");
    }

    [Fact]
    public void TheProbeIsRegisteredByName() =>
        Assert.IsType<GradientSuppressionProbe>(StepProbes.Create("grad-suppression", 10));
}

/// <summary>flatten -> Linear(in, 8) -> BatchNorm1d -> ReLU -> Linear(8, d): an encoder with buffers and no convolution.</summary>
sealed class BatchNormMlp : nn.Module<Tensor, Tensor>, IEncoder
{
    readonly TorchSharp.Modules.Linear fc1, fc2;
    readonly TorchSharp.Modules.BatchNorm1d bn;

    public BatchNormMlp(long inputs) : base(nameof(BatchNormMlp))
    {
        fc1 = nn.Linear(inputs, 8);
        bn = nn.BatchNorm1d(8);
        fc2 = nn.Linear(8, FeatureDim);
        RegisterComponents();
    }

    public int FeatureDim => MethodTestKit.FeatureDim;

    public override Tensor forward(Tensor x) => fc2.call(nn.functional.relu(bn.call(fc1.call(x.flatten(1)))));
}
