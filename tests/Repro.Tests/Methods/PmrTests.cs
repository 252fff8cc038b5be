using Repro.Data;
using Repro.Methods;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Methods.Pmr;

namespace Repro.Tests.Methods;

public class PmrTests
{
    [Fact]
    public void PrototypeLogitsAreNegativeEuclideanDistances()
    {
        using var scope = NewDisposeScope();
        var f = tensor(new float[] { 0, 0, 3, 4 }, [2, 2]);
        var p = tensor(new float[] { 0, 0, 0, 4 }, [2, 2]);
        var sim = Pmr.PrototypeLogits(f, p);
        // |(0,0)-(0,0)| = 0 (clamped to 1e-10), |(0,0)-(0,4)| = 4, |(3,4)-(0,0)| = 5, |(3,4)-(0,4)| = 3.
        Assert.Equal(new[] { -1e-10f, -4f, -5f, -3f }, sim.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void PrototypicalCrossEntropyMatchesHandValues()
    {
        using var scope = NewDisposeScope();
        var f = tensor(new float[] { 0, 0, 3, 4 }, [2, 2]);
        var p = tensor(new float[] { 0, 0, 0, 4 }, [2, 2]);
        var labels = tensor(new long[] { 0, 1 });
        var loss = nn.functional.cross_entropy(Pmr.PrototypeLogits(f, p), labels).item<float>();
        // Row 0: logits (0, -4), label 0: log(1 + e^-4); row 1: logits (-5, -3), label 1: log(1 + e^-2).
        double expected = (Math.Log(1 + Math.Exp(-4)) + Math.Log(1 + Math.Exp(-2))) / 2;
        Assert.Equal(expected, loss, 5);
        // The prototype score: sum of the true-class probabilities.
        double score = Pmr.Score(Pmr.PrototypeLogits(f, p), labels).item<float>();
        Assert.Equal(1 / (1 + Math.Exp(-4)) + 1 / (1 + Math.Exp(-2)), score, 5);
    }

    [Fact]
    public void TheCoefficientIsAHardSwitch()
    {
        Assert.Equal((0.0, 2.0), Pmr.Coefficients(1.3, 2.0));
        Assert.Equal((2.0, 0.0), Pmr.Coefficients(0.7, 2.0));
        Assert.Equal((0.0, 0.0), Pmr.Coefficients(1.0, 2.0));
        Assert.Equal((2.0, 0.0), Pmr.Coefficients(1e-6, 2.0)); // not a function of the size of the imbalance
    }

    [Fact]
    public void PrototypesAreClassMeansOfTheFirstBatchesAndBlendOnlyFromTheSecondUpdate()
    {
        using var scope = NewDisposeScope();
        var ds = MethodTestData.Dataset(60, 1);
        var loader = MethodTestData.Loader(ds, 6); // 10 batches: K = max(1, floor(10/10)) = 1
        var pmr = MethodTestData.Create<Pmr>("pmr", MethodTestData.Parts(), "momentum_coef=0.25");
        pmr.OnEpochStart(MethodTestData.Epoch(0, 3, loader));

        // Independent class means of the first batch (samples 0..5: two per class).
        Tensor Means(string m)
        {
            using var noGrad = no_grad();
            pmr.Model.eval();
            var batch = loader.Load(loader.Plan(0)[0], 0);
            var f = pmr.Model.Encoder(m).call(batch.Inputs[m]);
            pmr.Model.train();
            return stack(Enumerable.Range(0, MethodTestData.Classes).Select(c => f[batch.Labels.eq(c)].mean([0])).ToArray());
        }
        var p0 = Means(Modalities.Audio);
        Assert.True(pmr.Prototypes(Modalities.Audio)!.allclose(p0, 1e-5, 1e-6));

        // Change the encoder, then the update after epoch index 0 replaces the prototypes (no blending).
        using (no_grad()) foreach (var p in pmr.Model.EncoderParameters(Modalities.Audio)) p.add_(0.1);
        pmr.OnEpochEnd(MethodTestData.Epoch(0, 3, loader));
        var p1 = Means(Modalities.Audio);
        Assert.True(pmr.Prototypes(Modalities.Audio)!.allclose(p1, 1e-5, 1e-6));
        Assert.False(p1.allclose(p0, 1e-3, 1e-3));

        // After epoch index 1: P = (1 - 0.25) * new + 0.25 * old.
        using (no_grad()) foreach (var p in pmr.Model.EncoderParameters(Modalities.Audio)) p.add_(0.1);
        pmr.OnEpochEnd(MethodTestData.Epoch(1, 3, loader));
        var p2 = Means(Modalities.Audio);
        Assert.True(pmr.Prototypes(Modalities.Audio)!.allclose(0.75 * p2 + 0.25 * p1, 1e-5, 1e-6));
    }

    [Fact]
    public void BalanceBenchmarkBlendsAlreadyAfterTheFirstEpoch()
    {
        using var scope = NewDisposeScope();
        var loader = MethodTestData.Loader(MethodTestData.Dataset(30, 2), 6);
        var pmr = MethodTestData.Create<Pmr>("pmr", MethodTestData.Parts(), "momentum_coef=0.5", "variant=balancebenchmark");
        pmr.OnEpochStart(MethodTestData.Epoch(0, 2, loader));
        var old = pmr.Prototypes(Modalities.Visual)!.clone();
        using (no_grad()) foreach (var p in pmr.Model.EncoderParameters(Modalities.Visual)) p.add_(0.2);
        var fresh = pmr.PrototypePass(loader, 1, CPU)[Modalities.Visual];
        pmr.OnEpochEnd(MethodTestData.Epoch(0, 2, loader));
        Assert.True(pmr.Prototypes(Modalities.Visual)!.allclose(0.5 * fresh + 0.5 * old, 1e-5, 1e-6));
    }

    [Fact]
    public void AClassMissingFromTheFirstBatchesIsReadFurtherInsteadOfBecomingNaN()
    {
        using var scope = NewDisposeScope();
        var loader = MethodTestData.Loader(MethodTestData.Dataset(30, 3), 2); // batch 0 has classes 0 and 1 only
        var pmr = MethodTestData.Create<Pmr>("pmr", MethodTestData.Parts(), "proto_batches=1");
        pmr.OnEpochStart(MethodTestData.Epoch(0, 1, loader));
        Assert.True(pmr.Prototypes(Modalities.Audio)!.isfinite().all().item<bool>());
    }

    [Fact]
    public void MultiLabelDataIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Pmr.Create(new PmrOptions(), MethodTestData.Parts(multiLabel: true)));
        Assert.Contains("multi-label", e.Message);
    }
}
