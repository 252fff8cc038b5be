using Repro.Native;
using static TorchSharp.torch;
using Repro.Methods.Mla;

namespace Repro.Tests.Methods;

/// <summary>MLA's test-time fusion rules (Methods/Mla/TestTimeFusion.cs) against hand computations in doubles.</summary>
public class MlaFusionTests
{
    public MlaFusionTests() => TorchRuntime.EnsureReady();

    static double Entropy(double[] logits)
    {
        double max = logits.Max();
        var e = logits.Select(l => Math.Exp(l - max)).ToArray();
        double s = e.Sum();
        return -e.Select(x => x / s).Sum(p => p * Math.Log(p));
    }

    static Tensor T(double[,] v) => tensor(v).to_type(ScalarType.Float32);

    static readonly string[] AV = ["audio", "visual"];
    static readonly string[] AVT = ["audio", "visual", "text"];

    [Fact]
    public void Equation8WeightsSumToOneAndFavourTheLowerEntropyModality()
    {
        using var scope = NewDisposeScope();
        double[,] audio = { { 4, 0, 0 }, { 0.2, 0, 0.1 } };
        double[,] visual = { { 0.2, 0, 0.1 }, { 0, 5, 0 } };
        var w = TestTimeFusion.EntropyWeights([T(audio), T(visual)]);
        for (int r = 0; r < 2; r++)
        {
            double ha = Entropy([audio[r, 0], audio[r, 1], audio[r, 2]]);
            double hv = Entropy([visual[r, 0], visual[r, 1], visual[r, 2]]);
            double max = Math.Max(ha, hv);
            double wa = Math.Exp(max - ha) / (Math.Exp(max - ha) + Math.Exp(max - hv));
            Assert.Equal(wa, w[r, 0].item<float>(), 5);
            Assert.Equal(1 - wa, w[r, 1].item<float>(), 5);
            Assert.Equal(1.0, w[r].sum().item<float>(), 5);
        }
        Assert.True(w[0, 0].item<float>() > w[0, 1].item<float>(), "row 0: audio is the confident (lower-entropy) modality");
        Assert.True(w[1, 1].item<float>() > w[1, 0].item<float>(), "row 1: visual is the confident modality");

        var fused = TestTimeFusion.Fuse(MlaFusion.Entropy, AV, [T(audio), T(visual)]);
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(w[r, 0].item<float>() * audio[r, c] + w[r, 1].item<float>() * visual[r, c], fused[r, c].item<float>(), 5);
    }

    [Fact]
    public void BatchEntropyIsTheOfficialSoftmaxOverTheBatchWithOneWeightPerModality()
    {
        using var scope = NewDisposeScope();
        double[,] audio = { { 1, 0 }, { 2, -1 }, { 0.5, 0.5 } };
        double[,] visual = { { 3, 0 }, { -2, 0 }, { 0, 4 } };
        double BatchH(double[,] l)
        {
            double h = 0;
            for (int c = 0; c < 2; c++)
            {
                double s = 0;
                for (int i = 0; i < 3; i++) s += Math.Exp(l[i, c]);
                for (int i = 0; i < 3; i++) { double p = Math.Exp(l[i, c]) / s; h -= p * Math.Log(p); }
            }
            return h;
        }
        double ha = BatchH(audio), hv = BatchH(visual), max = Math.Max(ha, hv);
        double wa = Math.Exp(max - ha) / (Math.Exp(max - ha) + Math.Exp(max - hv));

        Assert.Equal(ha, TestTimeFusion.BatchEntropy(T(audio)).item<float>(), 5);
        var w = TestTimeFusion.BatchEntropyWeights([T(audio), T(visual)]);
        Assert.Equal(new long[] { 2 }, w.shape);
        Assert.Equal(wa, w[0].item<float>(), 6);
        Assert.Equal(1 - wa, w[1].item<float>(), 6);
        var fused = TestTimeFusion.Fuse(MlaFusion.OfficialBatchEntropy, AV, [T(audio), T(visual)]);
        for (int i = 0; i < 3; i++)
            for (int c = 0; c < 2; c++)
                Assert.Equal(wa * audio[i, c] + (1 - wa) * visual[i, c], fused[i, c].item<float>(), 5);
    }

    [Fact]
    public void FixedWeightsGoByModalityNameAsTheOfficialModelsOrderTheirOutputs()
    {
        using var scope = NewDisposeScope();
        // Audio-visual: audio 0.55 whatever the order; image-text: TEXT 0.55 (the official M3AE model's first output is text).
        Assert.Equal([0.55, 0.45], TestTimeFusion.FixedWeights(["audio", "visual"]));
        Assert.Equal([0.45, 0.55], TestTimeFusion.FixedWeights(["visual", "audio"]));
        Assert.Equal([0.45, 0.55], TestTimeFusion.FixedWeights(["image", "text"]));
        Assert.Equal([0.35, 0.25, 0.4], TestTimeFusion.FixedWeights(["audio", "visual", "text"]));
        Assert.Equal([0.4, 0.35, 0.25], TestTimeFusion.FixedWeights(["text", "audio", "image"]));

        // Three modalities: 0.35 a + 0.25 v + 0.4 t = (0.35 + 0.8, 0.25 + 0.8).
        double[,] a = { { 1, 0 } }, v = { { 0, 1 } }, t = { { 2, 2 } };
        var fused = TestTimeFusion.Fuse(MlaFusion.Fixed, AVT, [T(a), T(v), T(t)]);
        Assert.Equal(1.15, fused[0, 0].item<float>(), 5);
        Assert.Equal(1.05, fused[0, 1].item<float>(), 5);

        // Image-text, image first as the kit's datasets order them: image (4, 0), text (0, 2)
        // -> 0.45 * (4, 0) + 0.55 * (0, 2) = (1.8, 1.1), which predicts class 0; by position it would have been
        // 0.55 * (4, 0) + 0.45 * (0, 2) = (2.2, 0.9).
        double[,] image = { { 4, 0 } }, text = { { 0, 2 } };
        var it = TestTimeFusion.Fuse(MlaFusion.Fixed, ["image", "text"], [T(image), T(text)]);
        Assert.Equal(1.8, it[0, 0].item<float>(), 5);
        Assert.Equal(1.1, it[0, 1].item<float>(), 5);
    }

    [Fact]
    public void FixedWeightsAreRefusedForModalitiesTheOfficialCodeGivesNone()
    {
        using var scope = NewDisposeScope();
        foreach (string[] names in new[] { new[] { "audio", "text" }, ["visual", "text"], ["audio", "image"], ["audio", "visual", "image"], ["a", "b"], ["audio", "audio"] })
        {
            Assert.Null(TestTimeFusion.TryFixedWeights(names));
            var e = Assert.Throws<ArgumentException>(() => TestTimeFusion.FixedWeights(names));
            Assert.Contains(string.Join(", ", names), e.Message);
            Assert.Contains("fusion=fixed", e.Message);
            Assert.DoesNotContain(MlaFusion.Fixed, TestTimeFusion.RulesFor(names));
            Assert.Equal(3, TestTimeFusion.RulesFor(names).Count);
        }
        Assert.Equal(TestTimeFusion.Rules, TestTimeFusion.RulesFor(["text", "image"]));
        Assert.Throws<ArgumentException>(() => TestTimeFusion.Fuse(MlaFusion.Fixed, ["audio", "text"], [T(new double[,] { { 1 } }), T(new double[,] { { 2 } })]));
        Assert.Throws<ArgumentException>(() => TestTimeFusion.Fuse(MlaFusion.Mean, ["audio"], [T(new double[,] { { 1 } }), T(new double[,] { { 2 } })]));
    }

    [Fact]
    public void MissingModalitiesAreLeftOutAndTheOtherWeightsRenormalised()
    {
        using var scope = NewDisposeScope();
        double[,] a = { { 1, 0 }, { 0, 3 } }, v = { { 0, 2 }, { 1, 1 } }, t = { { 5, 0 }, { 0, 0 } };
        Tensor[] logits = [T(a), T(v), T(t)];
        Tensor[] avail = [tensor(new[] { true, true }), tensor(new[] { true, false }), tensor(new[] { false, false })];
        // Fixed: sample 0 has audio and visual, 0.35 and 0.25 renormalised; sample 1 has audio alone.
        var fixedFused = TestTimeFusion.Fuse(MlaFusion.Fixed, AVT, logits, avail);
        Assert.Equal(0.35 / 0.6 * 1, fixedFused[0, 0].item<float>(), 5);
        Assert.Equal(0.25 / 0.6 * 2, fixedFused[0, 1].item<float>(), 5);
        Assert.Equal(3.0, fixedFused[1, 1].item<float>(), 5);
        foreach (var rule in TestTimeFusion.Rules)
        {
            var f = TestTimeFusion.Fuse(rule, AVT, logits, avail);
            Assert.True((f[1] - logits[0][1]).abs().max().item<float>() < 1e-6, $"{rule}: sample 1 is its audio logits");
        }
        var w = TestTimeFusion.EntropyWeights(logits, avail);
        Assert.Equal(0.0, w[0, 2].item<float>());
        Assert.Equal(1.0, w[0].sum().item<float>(), 6);
        // Batch level: text has no row, so no weight; visual's entropy is taken over its one available row.
        var bw = TestTimeFusion.BatchEntropyWeights(logits, avail);
        Assert.Equal(0.0, bw[2].item<float>());
        Assert.Equal(1.0, bw.sum().item<float>(), 6);
    }
}
