using Repro.Data;
using Repro.Methods;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Methods.GBlending;
using Repro.Training;

namespace Repro.Tests.Methods;

public class GBlendingTests
{
    [Fact]
    public void PaperWeightIsGeneralisationOverSquaredOverfitting()
    {
        // L^T: 1.0 -> 0.5, L^V: 1.2 -> 0.9. ΔG = 1.2 - 0.9 = 0.3; O: 0.2 -> 0.4, ΔO = 0.2; w = 0.3 / 0.04 = 7.5.
        Assert.Equal(7.5, GBlending.PaperWeight(1.0, 1.2, 0.5, 0.9), 9);
        // A held-out loss that rose earns no weight.
        Assert.Equal(0, GBlending.PaperWeight(0.8, 1.0, 0.5, 1.3));
        // ΔO = 0: the division is bounded by eps.
        Assert.Equal(0.1 / 1e-12, GBlending.PaperWeight(1.0, 1.0, 0.9, 0.9), 0);
    }

    [Fact]
    public void BalanceBenchmarkWeightTakesTheAbsoluteValueOfTheRise()
    {
        // Same losses as above: g = 0.9 - 1.2 = -0.3, o = 0.2 -> |-0.3 / 0.04| = 7.5 (same magnitude).
        Assert.Equal(7.5, GBlending.BalanceBenchmarkWeight(1.0, 1.2, 0.5, 0.9), 9);
        // Held-out loss rising 1.0 -> 1.3 while training loss falls 0.8 -> 0.5: g = 0.3, o = 0.8 - 0.2 = 0.6, w = 0.3/0.36.
        Assert.Equal(0.3 / 0.36, GBlending.BalanceBenchmarkWeight(0.8, 1.0, 0.5, 1.3), 9);
        // super_epoch = 1: now = 0, w = |pre_va| / (pre_va - pre_tr)^2.
        Assert.Equal(2.0 / (0.5 * 0.5), GBlending.BalanceBenchmarkWeight(1.5, 2.0, 0, 0), 9);
    }

    [Fact]
    public void WeightsAreNormalisedToSumOne()
    {
        Assert.Equal(new[] { 0.25, 0.75 }, GBlending.Normalise([1, 3]));
        Assert.Equal(new[] { 7.5 / 10, 2.5 / 10, 0 }, GBlending.Normalise([7.5, 2.5, 0]));
        Assert.Null(GBlending.Normalise([0, 0, 0]));
        Assert.Null(GBlending.Normalise([double.PositiveInfinity, 1]));
    }

    [Fact]
    public void PaperEstimateMeasuresTheCurrentModelAtTheWindowStart()
    {
        using var scope = NewDisposeScope();
        var train = MethodTestData.Loader(MethodTestData.Dataset(12, 10), 4);
        var held = MethodTestData.Loader(MethodTestData.Dataset(6, 11, "held"), 4);
        var gb = MethodTestData.Create<GBlending>("gblending", MethodTestData.Parts(), "super_epoch=1");
        gb.Trace = new MethodTrace();
        using var opt = optim.SGD(gb.Model.parameters(), 0.05, momentum: 0.9);
        var before = gb.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        gb.OnEpochStart(MethodTestData.Epoch(0, 2, train, held, opt));

        // The main model is untouched by the estimation.
        foreach (var (name, value) in gb.Model.state_dict()) Assert.True(value.equal(before[name]).all().item<bool>(), name);

        // pre losses of each term = per-sample mean losses of the current model, computed here independently.
        double Mean(DataLoader loader, Func<Batch, Tensor> logits)
        {
            using var noGrad = no_grad();
            gb.Model.eval();
            double sum = 0; long n = 0;
            foreach (var idx in loader.Plan(0))
            {
                var b = loader.Load(idx, 0);
                sum += nn.functional.cross_entropy(logits(b), b.Labels, reduction: nn.Reduction.Sum).item<float>();
                n += b.Size;
            }
            gb.Model.train();
            return sum / n;
        }
        var losses = gb.Trace.Rows("ogr_losses")[0];
        Assert.Equal(12, losses.Length);
        Assert.Equal(Mean(train, b => gb.Model.Head.Unimodal(Modalities.Audio, gb.Model.Encode(b))), losses[0], 4);
        Assert.Equal(Mean(held, b => gb.Model.Head.Unimodal(Modalities.Audio, gb.Model.Encode(b))), losses[1], 4);
        Assert.Equal(Mean(held, b => gb.Model.Head.Fuse(gb.Model.Encode(b))), losses[9], 4);

        // The weights are the normalised paper weights of the recorded losses.
        var raw = Enumerable.Range(0, 3).Select(k => GBlending.PaperWeight(losses[4 * k], losses[4 * k + 1], losses[4 * k + 2], losses[4 * k + 3])).ToArray();
        var expected = GBlending.Normalise(raw) ?? [1.0 / 3, 1.0 / 3, 1.0 / 3];
        Assert.Equal(expected, gb.Weights.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(1.0, gb.Weights.Sum(), 9);
        // Online with super_epoch 1: re-estimated before every epoch.
        Assert.True(gb.EstimatesBefore(1));
        var offline = MethodTestData.Create<GBlending>("gblending", MethodTestData.Parts(), "method=offline", "super_epoch=1");
        Assert.False(offline.EstimatesBefore(1));
    }

    [Fact]
    public void TheBlendedLossWeightsTheTermsAsEstimated()
    {
        using var scope = NewDisposeScope();
        var loader = MethodTestData.Loader(MethodTestData.Dataset(8, 12), 8);
        var gb = MethodTestData.Create<GBlending>("gblending", MethodTestData.Parts(), "variant=balancebenchmark");
        gb.LoadStateTensors(new Dictionary<string, Tensor> { ["gblending/weights"] = tensor(new[] { 0.2, 0.3, 0.5 }) });
        using var opt = optim.SGD(gb.Model.parameters(), 0.0);
        var step = gb.TrainStep(loader.Load(loader.Plan(0)[0], 0), new StepContext { Optimizer = opt, Model = gb.Model, Epoch = 0, BatchIndex = 0, BatchesPerEpoch = 1, GlobalStep = 0 });
        Assert.Equal(0.2 * step.Losses["loss_a"] + 0.3 * step.Losses["loss_v"] + 0.5 * step.Losses["loss_out"], step.Losses["loss"], 5);
    }

    /// <summary>
    /// DGL Table 4's alpha (DGL eq. 15 read for G-Blending): L = w_out L_out + alpha Σ_m w_m L_m. With every head
    /// parameter at 0 all logits are 0, so each CE is ln 3 and each bias gradient is (1/3 - the label's share of the batch)
    /// times the term's factor; labels 0,1,2,0,1,2,0,1 give shares 3/8, 3/8, 2/8.
    /// </summary>
    [Fact]
    public void AlphaScalesTheUnimodalTermsOfTheBlendedLoss()
    {
        using var scope = NewDisposeScope();
        var loader = MethodTestData.Loader(MethodTestData.Dataset(8, 12), 8);
        var gb = MethodTestData.Create<GBlending>("gblending", MethodTestData.Parts(), "alpha=2");
        gb.LoadStateTensors(new Dictionary<string, Tensor> { ["gblending/weights"] = tensor(new[] { 0.2, 0.3, 0.5 }) });
        using (no_grad())
            foreach (var p in gb.Model.Head.parameters()) p.zero_();
        using var opt = optim.SGD(gb.Model.parameters(), 0.0);
        var step = gb.TrainStep(loader.Load(loader.Plan(0)[0], 0), new StepContext { Optimizer = opt, Model = gb.Model, Epoch = 0, BatchIndex = 0, BatchesPerEpoch = 1, GlobalStep = 0 });

        // (2 * (0.2 + 0.3) + 0.5) ln 3; alpha ignored would give 1.0 ln 3.
        Assert.Equal(1.5 * Math.Log(3), step.Losses["loss"], 5);
        var head = (Repro.Models.Fusion.AuxiliaryHeadsFusion)gb.Model.Head;
        void AssertBiasGrad(double factor, TorchSharp.Modules.Parameter bias, string what)
        {
            var g = bias.grad!.to_type(ScalarType.Float64).data<double>().ToArray();
            double[] expected = [factor * (1.0 / 3 - 3.0 / 8), factor * (1.0 / 3 - 3.0 / 8), factor * (1.0 / 3 - 2.0 / 8)];
            for (int c = 0; c < 3; c++) Assert.True(Math.Abs(expected[c] - g[c]) < 1e-6, $"{what} class {c}: expected {expected[c]}, got {g[c]}");
        }
        AssertBiasGrad(2 * 0.2, head.Head(Modalities.Audio).bias!, "audio head");     // -1/60, -1/60, 1/30
        AssertBiasGrad(2 * 0.3, head.Head(Modalities.Visual).bias!, "visual head");   // -1/40, -1/40, 1/20
        AssertBiasGrad(0.5, head.Fused.named_parameters().Single(np => np.name.EndsWith("bias")).parameter, "fused head");   // not scaled by alpha
    }

    [Fact]
    public void WithoutAHeldOutSplitTheEstimateSaysWhatIsMissing()
    {
        using var scope = NewDisposeScope();
        var gb = MethodTestData.Create<GBlending>("gblending", MethodTestData.Parts());
        var e = Assert.Throws<InvalidOperationException>(() => gb.OnEpochStart(MethodTestData.Epoch(0, 1, MethodTestData.Loader(MethodTestData.Dataset(6, 13), 3))));
        Assert.Contains("validation", e.Message);
    }
}
