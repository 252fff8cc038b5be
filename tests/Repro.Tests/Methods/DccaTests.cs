using Repro.Data;
using Repro.Experiments;
using Repro.Methods;
using static TorchSharp.torch;
using Repro.Methods.Cca;
using Repro.Training;

namespace Repro.Tests.Methods;

[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class DccaTests
{
    // three mutually orthogonal centred columns of squared norm 4 (variance 4/3 with N - 1 = 3)
    static readonly double[] A = [1, -1, 1, -1], B = [1, 1, -1, -1], C = [1, -1, -1, 1];

    static Tensor Columns(params double[][] cols) => stack(cols.Select(c => tensor(c)).ToArray(), 1);

    [Fact]
    public void TheCorrelationObjectiveOfATwoDimensionalToyIsItsClosedForm()
    {
        using var scope = NewDisposeScope();
        // H1 = [a, b], H2 = [a, c]: S11 = S22 = (4/3 + r) I, S12 = diag(4/3, 0), so T = diag(q, 0) with q = (4/3)/(4/3 + r)
        // and T'T + r I = diag(q^2 + r, r): corr = sqrt(q^2 + r) + sqrt(r) = 1.0313735884613595 for r = 1e-3 (top 2),
        // sqrt(q^2 + r) = 0.9997508118596757 (top 1)
        var h1 = Columns(A, B);
        var h2 = Columns(A, C);
        Assert.Equal(1.0313735884613595, DeepCcaLoss.Correlation(h1, h2, 2).item<double>(), 12);
        Assert.Equal(0.9997508118596757, DeepCcaLoss.Correlation(h1, h2, 1).item<double>(), 12);
        // without the ridge the canonical correlations are exactly 1 and 0 (eps floors the 0 at 1e-9)
        Assert.Equal(1 + Math.Sqrt(1e-9), DeepCcaLoss.Correlation(h1, h2, 2, ridge: 0).item<double>(), 9);
    }

    [Fact]
    public void OneDimensionalViewsGiveTheirRegularisedPearsonCorrelation()
    {
        using var scope = NewDisposeScope();
        // x = 1..4, y = (1, 3, 2, 4): cov 4/3, variances 5/3; rho_r = (4/3)/(5/3 + r), corr = sqrt(rho_r^2 + r)
        var x = tensor(new double[] { 1, 2, 3, 4 }).unsqueeze(1);
        var y = tensor(new double[] { 1, 3, 2, 4 }).unsqueeze(1);
        Assert.Equal(0.8001454184380826, DeepCcaLoss.Correlation(x, y, 1).item<double>(), 12);
        Assert.Equal(0.8, DeepCcaLoss.Correlation(x, y, 1, ridge: 0).item<double>(), 12);
    }

    [Fact]
    public void TheThreeViewLossIsMinusTheSumOverPairsAndIsDifferentiable()
    {
        using var scope = NewDisposeScope();
        var h1 = Columns(A, B);
        var h2 = Columns(A, C);
        var h3 = Columns(B, C);
        double expected = -(DeepCcaLoss.Correlation(h1, h2, 2).item<double>() + DeepCcaLoss.Correlation(h1, h3, 2).item<double>()
                            + DeepCcaLoss.Correlation(h2, h3, 2).item<double>());
        Assert.Equal(expected, DeepCcaLoss.Loss([h1, h2, h3], 2).item<double>(), 12);
        // each pair shares one column: corr 1.0313735884613595 per pair
        Assert.Equal(-3 * 1.0313735884613595, expected, 9);
        var g = new Generator(4);
        var w = randn([3, 2], generator: g, dtype: ScalarType.Float64).requires_grad_();
        var x = randn([8, 3], generator: g, dtype: ScalarType.Float64);
        DeepCcaLoss.Loss([x.matmul(w), x.narrow(1, 0, 2)], 2).backward();
        Assert.True(w.grad!.isfinite().all().item<bool>() && w.grad!.abs().sum().item<double>() > 0);
        Assert.Throws<ArgumentException>(() => DeepCcaLoss.Correlation(h1, h2, 3));
    }

    static Dcca Build(string method, params (string, object)[] options) =>
        (Dcca)MethodTestKit.Create(method, MissingBaselineKit.Parts(), 2, [("k", 2), ("hidden", 8), .. options]);

    [Fact]
    public void MissingInputsAreImputedWithTheObservedTrainingMeans()
    {
        using var scope = NewDisposeScope();
        var dcca = Build("dcca");
        var batch = MissingBaselineKit.MaskedBatch();
        var means = ImputingSvmHead.ObservedMeans(batch.Inputs, batch.Available, "test");
        // audio is missing in rows 0 and 6 % 6: rows 0 and ... (row i lacks i mod 3 for even i): audio rows {0}, visual {4}, text {2}
        var audioRows = new long[] { 1, 2, 3, 4, 5 };
        MethodTestKit.AssertClose(batch.Complete!["audio"].index_select(0, tensor(audioRows)).mean([0]), means["audio"], 1e-6, "audio mean");
        dcca.Head.SetMeans(means);
        var imputed = dcca.Head.Impute(batch.Inputs, batch.Available);
        MethodTestKit.AssertClose(means["audio"].to_type(ScalarType.Float32), imputed["audio"][0], 1e-6, "row 0 audio");
        MethodTestKit.AssertClose(batch.Inputs["audio"][1], imputed["audio"][1], 0, "row 1 audio (observed)");
        MethodTestKit.AssertClose(means["text"].to_type(ScalarType.Float32), imputed["text"][2], 1e-6, "row 2 text");
    }

    [Fact]
    public void TextGoesThroughTheVisualNetworkOnlyUnderTextViaVisual()
    {
        using var scope = NewDisposeScope();
        var parts = new ModelParts(MissingBaselineKit.Modalities, m => new Repro.Models.Encoders.FeatureMlp(m == "audio" ? 5 : 6, 8, 8, dropout: 0), 3);
        var batch = MissingBaselineKit.MaskedBatch(complete: new()
        {
            ["audio"] = randn(6, 5), ["visual"] = randn(6, 6), ["text"] = randn(6, 6),
        });
        foreach (var via in new[] { false, true })
        {
            manual_seed(1);
            var dcca = (Dcca)MethodRegistry.Create(MethodRegistry.Spec(new DccaOptions { K = 2, Hidden = 8, TextViaVisual = via }), parts);
            dcca.Model.eval();
            Assert.Equal(via ? "visual" : "text", dcca.Route("text"));
            using (no_grad())
            {
                var z = dcca.Embed(batch.Inputs);
                var viaVisual = dcca.Model.Encoder("visual").call(batch.Inputs["text"]);
                Assert.Equal(via, z["text"].allclose(viaVisual));
            }
            var ctx = new StepContext { Optimizer = optim.Adam(dcca.TrainableParameters(), 1e-3), Model = dcca.Model, Epoch = 0, BatchIndex = 0, BatchesPerEpoch = 1, GlobalStep = 0 };
            dcca.Model.train();
            dcca.TrainStep(batch, ctx);
            bool textNetTrained = dcca.Model.EncoderParameters("text").Any(p => p.grad is not null);
            Assert.Equal(!via, textNetTrained);
        }
        // the slip needs text and visual of one size: the kit's toy has visual 6, text 7
        var e = Assert.Throws<ArgumentException>(() => Build("dcca", ("text_via_visual", true)));
        Assert.Contains("text (7 features)", e.Message);
        Assert.Contains("visual network (6 inputs)", e.Message);
    }

    [Fact]
    public void DccaeAddsTheWeightedReconstructionOfEveryView()
    {
        using var scope = NewDisposeScope();
        var dccae = Build("dccae", ("recon_weight", 0.5));
        Assert.True(dccae.Autoencoder);
        Assert.False(Build("dcca").Autoencoder);
        var batch = MissingBaselineKit.MaskedBatch();
        dccae.Head.SetMeans(ImputingSvmHead.ObservedMeans(batch.Inputs, batch.Available, "test"));
        var ctx = new StepContext { Optimizer = optim.SGD(dccae.TrainableParameters(), 0), Model = dccae.Model, Epoch = 0, BatchIndex = 0, BatchesPerEpoch = 1, GlobalStep = 0 };
        var step = dccae.TrainStep(batch, ctx);
        Assert.Equal(-step.Losses["corr"] + 0.5 * step.Losses["recon"], step.Losses["loss"], 4);
        Assert.True(step.Losses["recon"] > 0);
        Assert.Contains(dccae.Head.parameters(), p => p.grad is not null && p.grad.abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData("dcca")]
    [InlineData("dccae")]
    public void TheNetworksTrainInOneStageAndTheSvmIsFittedInTheNext(string method)
    {
        var (r, recounted) = MissingBaselineKit.SmokeRunRecounted(method, ("hidden", "32"));
        Assert.Equal(["dcca", "dcca", "svm"], r.History.Select(h => h.Stage));
        Assert.Equal(2, r.SelectedEpoch);
        Assert.Contains("corr", r.History[0].TrainLosses.Keys);
        Assert.Contains("svm_acc", r.History[^1].TrainLosses.Keys);
        Assert.Equal(recounted, r.Test["acc"], 9);   // the networks and SVM of the last stage are what the run scored
    }
}
