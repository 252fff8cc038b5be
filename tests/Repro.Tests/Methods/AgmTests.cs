using Repro.Data;
using Repro.Methods;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Methods.Agm;
using Repro.Training;

namespace Repro.Tests.Methods;

public class AgmTests
{
    static Tensor R(long seed, params long[] shape) => randn(shape, generator: new Generator((ulong)seed));

    [Fact]
    public void TwoModalityMonoModalOutputsAreTheAuthorsFormula()
    {
        using var scope = NewDisposeScope();
        Tensor a = R(1, 4, 3), v = R(2, 4, 3), av = R(3, 4, 3);
        var f = new Dictionary<int, Tensor> { [1] = a, [2] = v, [3] = av }; // bit 0 = audio, bit 1 = visual
        var m = Agm.MonoModal(f, 2, includeSingleton: true);
        Assert.True(m[0].allclose(0.5 * (av - v + a), 1e-6, 1e-6));
        Assert.True(m[1].allclose(0.5 * (av - a + v), 1e-6, 1e-6));
        Assert.True((m[0] + m[1]).allclose(av, 1e-6, 1e-6));
        var bb = Agm.MonoModal(f, 2, includeSingleton: false);
        Assert.True(bb[0].allclose(0.5 * (av - v), 1e-6, 1e-6));
        Assert.True(bb[1].allclose(0.5 * (av - a), 1e-6, 1e-6));
    }

    [Fact]
    public void ThreeModalityMonoModalOutputsAreTheAuthorsUrFunnyFormula()
    {
        using var scope = NewDisposeScope();
        // Bits: 1 = A, 2 = V, 4 = T.
        var f = Enumerable.Range(1, 7).ToDictionary(s => s, s => R(s, 2, 5));
        Tensor A = f[1], V = f[2], AV = f[3], T = f[4], AT = f[5], VT = f[6], AVT = f[7];
        var m = Agm.MonoModal(f, 3, includeSingleton: true);
        Assert.True(m[0].allclose((AVT - VT) / 3 + (AV - V + AT - T) / 6 + A / 3, 1e-5, 1e-6));
        Assert.True(m[1].allclose((AVT - AT) / 3 + (AV - A + VT - T) / 6 + V / 3, 1e-5, 1e-6));
        Assert.True(m[2].allclose((AVT - AV) / 3 + (AT - A + VT - V) / 6 + T / 3, 1e-5, 1e-6));
        Assert.True((m[0] + m[1] + m[2]).allclose(AVT, 1e-5, 1e-6));
        Assert.Equal(1.0 / 3, Agm.ShapleyWeight(0, 3), 12);
        Assert.Equal(1.0 / 6, Agm.ShapleyWeight(1, 3), 12);
    }

    [Fact]
    public void ScaledBackwardKeepsTheValueAndScalesTheGradient()
    {
        using var scope = NewDisposeScope();
        var x = R(4, 3, 2).requires_grad_(true);
        var w = R(5, 3, 2);
        var y = Agm.ScaleBackward(x, 2.5);
        Assert.True(y.detach().equal(x.detach()).all().item<bool>());
        (y * w).sum().backward();
        Assert.True(x.grad!.allclose(2.5 * w, 1e-6, 1e-6));
    }

    [Fact]
    public void ScaledMonoModalBackwardMatchesTheHookFormulaAndAutograd()
    {
        using var scope = NewDisposeScope();
        double sa = 1.7, sv = 0.4;
        var total = R(6, 4, 3).requires_grad_(true);
        var pa = R(7, 4, 3).requires_grad_(true);   // f(0, V)
        var pv = R(8, 4, 3).requires_grad_(true);   // f(A, 0)
        var c = R(9, 4, 3);
        var f = new Dictionary<int, Tensor> { [1] = pv, [2] = pa, [3] = total };
        var m = Agm.MonoModal(f, 2, includeSingleton: true);
        var outp = Agm.ScaleBackward(m[0], sa) + Agm.ScaleBackward(m[1], sv);
        (outp * c).sum().backward();
        // agm.md: d/d total = 0.5 (s_a + s_v) g, d/d pa = 0.5 (s_v - s_a) g, d/d pv = 0.5 (s_a - s_v) g.
        Assert.True(total.grad!.allclose(0.5 * (sa + sv) * c, 1e-5, 1e-6));
        Assert.True(pa.grad!.allclose(0.5 * (sv - sa) * c, 1e-5, 1e-6));
        Assert.True(pv.grad!.allclose(0.5 * (sa - sv) * c, 1e-5, 1e-6));

        // The same as autograd of the explicitly weighted sum on a separate graph.
        var t2 = total.detach().clone().requires_grad_(true);
        var a2 = pa.detach().clone().requires_grad_(true);
        var v2 = pv.detach().clone().requires_grad_(true);
        var explicitLoss = (sa * 0.5 * (t2 - a2 + v2) + sv * 0.5 * (t2 - v2 + a2)) * c;
        explicitLoss.sum().backward();
        Assert.True(t2.grad!.allclose(total.grad!, 1e-5, 1e-6));
        Assert.True(a2.grad!.allclose(pa.grad!, 1e-5, 1e-6));
    }

    [Fact]
    public void CoefficientsFollowTheRatioOfScoresToTheRunningScores()
    {
        // s = (1, 2), T = (0, 0), alpha 1: ratio_a = e^(2-1), optimal 1 -> coeff_a = exp(1 - e); coeff_v = exp(1 - e^-1).
        var c = Agm.Coefficients([1.0, 2.0], [0.0, 0.0], 1.0, 10, flipped: false);
        Assert.Equal(Math.Exp(1 - Math.E), c[0], 12);
        Assert.Equal(Math.Exp(1 - Math.Exp(-1)), c[1], 12);
        // BalanceBenchmark flips the ratio: the audio (lower loss, ahead) is now boosted.
        var bb = Agm.Coefficients([1.0, 2.0], [0.0, 0.0], 1.0, 7, flipped: true);
        Assert.Equal(Math.Exp(1 - Math.Exp(-1)), bb[0], 12);
        Assert.Equal(Math.Exp(1 - Math.E), bb[1], 12);
        // The exponent cap: exp(alpha * min(o - r, cap)).
        var capped = Agm.Coefficients([1.0, 1.0], [0.0, 30.0], 2.0, 10, flipped: false);
        Assert.Equal(Math.Exp(20), capped[0], 6);
        // Three modalities: exp(N/(N-1) (mean - s_k)).
        var three = Agm.Coefficients([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], 1.0, 10, flipped: false);
        Assert.Equal(Math.Exp(1 - Math.Exp(1.5 * (2 - 1))), three[0], 12);
    }

    [Fact]
    public void ScoresFloorTinyProbabilities()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0, 0, 0, 100 }, [2, 2]);
        var labels = tensor(new long[] { 0, 0 });
        // Row 0: -log 0.5; row 1: p = e^-100 < 1e-8 -> -log 1e-8.
        Assert.Equal((Math.Log(2) - Math.Log(1e-8)) / 2, Agm.Score(logits, labels, 1e-8), 4);
    }

    [Fact]
    public void TheScaleOutsideTheWindowIsTheLastOneSet()
    {
        using var scope = NewDisposeScope();
        var loader = MethodTestData.Loader(MethodTestData.Dataset(16, 4), 8);
        var agm = MethodTestData.Create<Agm>("agm", MethodTestData.Parts(), "alpha=1.5", "modulation_starts=2", "modulation_ends=2");
        using var opt = optim.SGD(agm.Model.parameters(), 0.05);
        for (int epoch = 0; epoch < 2; epoch++)
            for (int b = 0; b < 2; b++)
                using (NewDisposeScope())
                {
                    var batch = loader.Load(loader.Plan(epoch)[b], epoch);
                    var before = agm.Scales.ToArray();
                    agm.TrainStep(batch, new StepContext { Optimizer = opt, Model = agm.Model, Epoch = epoch, BatchIndex = b, BatchesPerEpoch = 2, GlobalStep = epoch * 2 + b });
                    if (epoch == 0) Assert.Equal(new[] { 1.0, 1.0 }, agm.Scales); // 1-based epoch 1 is before the window
                    else Assert.NotEqual(before, agm.Scales);
                }
        var last = agm.Scales.ToArray();
        using (NewDisposeScope())
            agm.TrainStep(loader.Load(loader.Plan(2)[0], 2), new StepContext { Optimizer = opt, Model = agm.Model, Epoch = 2, BatchIndex = 0, BatchesPerEpoch = 2, GlobalStep = 4 });
        Assert.Equal(last, agm.Scales);
        Assert.Equal(2, agm.TrainScores.Count);
    }

    [Fact]
    public void MultiLabelDataIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Agm.Create(new AgmOptions(), MethodTestData.Parts(multiLabel: true)));
        Assert.Contains("multi-label", e.Message);
    }
}
