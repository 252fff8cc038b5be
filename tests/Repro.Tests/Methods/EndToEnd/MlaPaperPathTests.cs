using Repro.Data;
using Repro.Methods;
using static Repro.Tests.Methods.MethodTestKit;
using static TorchSharp.torch;
using Repro.Methods.Mla;

namespace Repro.Tests.Methods.EndToEnd;

/// <summary>
/// MLA's defaults (schedule=paper, hgm=paper, fusion=entropy, missing=skip) through the method's own TrainStep and
/// Predict on a tiny audio-visual model, against hand computations: autograd on fresh graphs, eq. 5 written out here.
/// </summary>
[Collection(Repro.Tests.Training.TrainingCollection.Name)]
public class MlaPaperPathTests
{
    const double Lr = 0.5;
    const int Batches = 3;

    /// <summary>MLA eq. 5, written independently of the kit: P' = P - q r^T P, q = P r / (alpha + r^T P r), in float64.</summary>
    static Tensor Eq5(Tensor p, Tensor r, double alpha)
    {
        var h = r.to_type(ScalarType.Float64).reshape(-1, 1);
        var q = p.mm(h) / (alpha + h.t().mm(p).mm(h));
        return p - q.mm(h.t()).mm(p);
    }

    static double Alpha(long step) => Math.Pow(0.1, (double)(step % Batches) / Batches + 1);   // the default schedule 0.1^(b/len + 1)

    /// <summary>
    /// Steps 0 (audio), 1 (visual), 2 (audio) of paper mode with plain SGD; returns the head weight's update at step 2,
    /// the update eq. 3 with eq. 5's P_2 = eq5(eq5(I, r_1), r_2) predicts for it, and r_1 (the visual step's mean feature).
    /// </summary>
    static (Tensor Update, Tensor Expected, Tensor PreviousFeature) ThreeSteps(params (string, object)[] options)
    {
        var mla = (Mla)Create("mla", seed: 5, options: options);
        using var sgd = optim.SGD(mla.TrainableParameters(), Lr);
        var weight = mla.Head.Linear.weight!;
        var bias = mla.Head.Linear.bias!;
        var batches = Enumerable.Range(0, 3).Select(i => RandomBatch(6, seed: 40 + i)).ToArray();
        double? constant = options.Where(o => o.Item1 == "hgm_alpha").Select(o => (double?)Convert.ToDouble(o.Item2)).FirstOrDefault();

        mla.TrainStep(batches[0], Context(mla, sgd, 0, Batches));                       // t = 0: unprojected (eq. 3)
        Tensor r1;
        using (no_grad()) r1 = mla.Model.Encoder(Modalities.Visual).call(batches[1].Inputs[Modalities.Visual]).mean([0]);
        mla.TrainStep(batches[1], Context(mla, sgd, 1, Batches));

        var features = mla.Model.Encoder(Modalities.Audio).call(batches[2].Inputs[Modalities.Audio]).detach();
        var w = weight.detach().clone().requires_grad_();
        var g = autograd.grad([nn.functional.cross_entropy(nn.functional.linear(features, w, bias.detach()), batches[2].Labels)], [w])[0];
        var p1 = Eq5(eye(features.shape[1], dtype: ScalarType.Float64), r1, constant ?? Alpha(1));
        var p2 = Eq5(p1, features.mean([0]), constant ?? Alpha(2));
        var before = weight.detach().clone();
        mla.TrainStep(batches[2], Context(mla, sgd, 2, Batches));
        var expected = -Lr * g.to_type(ScalarType.Float64).mm(p2.t());
        return (weight.detach() - before, expected, r1);
    }

    [Fact]
    public void APaperStepMovesTheHeadByTheProjectedGradientOfEquations3To5()
    {
        using var scope = NewDisposeScope();
        var (update, expected, _) = ThreeSteps();
        AssertClose(expected, update, 1e-6, "head weight update at t = 2");
    }

    /// <summary>
    /// With a small alpha, P_2 r_1 is about alpha / |r_1|^2 of r_1, so every row of the head's update at the audio step is
    /// orthogonal to the previous (visual) step's mean feature; without HGM it is not.
    /// </summary>
    [Fact]
    public void TheHeadUpdateIsOrthogonalToThePreviousModalitysFeature()
    {
        using var scope = NewDisposeScope();
        static double WorstCosine(Tensor update, Tensor r) =>
            (update.to_type(ScalarType.Float64).mv(r.to_type(ScalarType.Float64)).abs() / (update.to_type(ScalarType.Float64).norm(1) * r.norm().to_type(ScalarType.Float64))).max().item<double>();

        var (projected, expected, r1) = ThreeSteps(("hgm_alpha", 1e-7));
        AssertClose(expected, projected, 1e-6, "head weight update at t = 2, alpha 1e-7");
        Assert.True(WorstCosine(projected, r1) < 1e-3, $"cosine with the previous modality's feature {WorstCosine(projected, r1):E2}");

        var (free, _, r1Free) = ThreeSteps(("hgm", "off"));
        Assert.True(WorstCosine(free, r1Free) > 0.1, $"without HGM the update should not be orthogonal: {WorstCosine(free, r1Free):E2}");
    }

    /// <summary>MLA eq. 6-8 per sample on a two-sample batch: e = -p'log p of each modality's softmax, lambda = softmax over modalities of (max e - e), fused = sum lambda * logits.</summary>
    [Fact]
    public void PredictFusesEachSampleWithItsOwnEntropyWeights()
    {
        using var scope = NewDisposeScope();
        var mla = (Mla)Create("mla", seed: 6);
        mla.Model.eval();
        var batch = RandomBatch(2, seed: 8);
        using (no_grad())
        {
            // sample 0 with a loud audio input, sample 1 with a loud visual one: each sample trusts another modality
            batch.Inputs[Modalities.Audio][0].mul_(40);
            batch.Inputs[Modalities.Visual][1].mul_(40);
        }
        using var noGrad = no_grad();
        var p = mla.Predict(batch);

        var w = mla.Head.Linear.weight!.to_type(ScalarType.Float64);
        var b = mla.Head.Linear.bias!.to_type(ScalarType.Float64);
        var logits = new[] { Modalities.Audio, Modalities.Visual }
            .Select(m => mla.Model.Encoder(m).call(batch.Inputs[m]).to_type(ScalarType.Float64).mm(w.t()) + b)
            .Select(t => Enumerable.Range(0, 2).Select(r => Enumerable.Range(0, Classes).Select(c => t[r, c].item<double>()).ToArray()).ToArray())
            .ToArray();
        var lambdas = new double[2][];
        for (int r = 0; r < 2; r++)
        {
            var e = logits.Select(l => Entropy(l[r])).ToArray();                                    // eq. 7
            var z = e.Select(x => Math.Exp(e.Max() - x)).ToArray();
            lambdas[r] = z.Select(x => x / z.Sum()).ToArray();                                       // eq. 8
            for (int c = 0; c < Classes; c++)
                Assert.Equal(lambdas[r][0] * logits[0][r][c] + lambdas[r][1] * logits[1][r][c], p.Fused[r, c].item<float>(), 4); // eq. 6
        }
        Assert.True(Math.Abs(lambdas[0][0] - lambdas[1][0]) > 0.05, $"the two samples should weigh the modalities differently: {lambdas[0][0]:F3} vs {lambdas[1][0]:F3}");
    }

    static double Entropy(double[] logits)
    {
        var e = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
        return -e.Select(x => x / e.Sum()).Sum(q => q * Math.Log(q));
    }

    /// <summary>
    /// missing=skip: in the visual step, a sample without visual moves nothing: whatever its (zeroed or garbage) input and
    /// its label, the visual encoder and the head end where plain SGD on the present rows' cross-entropy puts them.
    /// </summary>
    [Fact]
    public void AMissingSampleContributesNothingToItsModalitysStep()
    {
        using var scope = NewDisposeScope();
        var full = RandomBatch(6, seed: 12);
        var present = tensor(new long[] { 0, 2, 3, 4, 5 });
        Batch Masked(Tensor visualRow1, long label1)
        {
            var visual = full.Inputs[Modalities.Visual].clone();
            visual[1] = visualRow1;
            var labels = full.Labels.clone();
            labels[1] = label1;
            var avail = ones(6, ScalarType.Bool);
            avail[1] = false;
            return Batch.FromTensors(new Dictionary<string, Tensor> { [Modalities.Audio] = full.Inputs[Modalities.Audio], [Modalities.Visual] = visual }, labels,
                available: new Dictionary<string, Tensor> { [Modalities.Audio] = ones(6, ScalarType.Bool), [Modalities.Visual] = avail });
        }

        Tensor[] VisualStep(Batch batch, bool expectedByHand)
        {
            var mla = (Mla)Create("mla", seed: 9, options: ("hgm", "off"));
            using var sgd = optim.SGD(mla.TrainableParameters(), Lr);
            mla.TrainStep(RandomBatch(6, seed: 13), Context(mla, sgd, 0));                       // an audio step first
            var moved = mla.Model.EncoderParameters(Modalities.Visual).Concat(mla.Head.parameters()).ToList();
            if (expectedByHand)
            {
                var x = full.Inputs[Modalities.Visual].index_select(0, present);
                var loss = nn.functional.cross_entropy(mla.Head.Linear.call(mla.Model.Encoder(Modalities.Visual).call(x)), full.Labels.index_select(0, present));
                var g = Grads(loss, moved);
                return moved.Select((p, i) => p.detach() - Lr * g[i]!).ToArray();
            }
            mla.TrainStep(batch, Context(mla, sgd, 1));
            return Snapshot(moved);
        }

        var byHand = VisualStep(full, expectedByHand: true);
        var zeroed = VisualStep(Masked(zeros_like(full.Inputs[Modalities.Visual][1]), full.Labels[1].item<long>()), false);
        var garbage = VisualStep(Masked(full_like(full.Inputs[Modalities.Visual][1], 1e3), (full.Labels[1].item<long>() + 1) % Classes), false);
        for (int i = 0; i < byHand.Length; i++)
        {
            AssertClose(byHand[i], zeroed[i], 1e-6, $"parameter {i} (zeroed input)");
            AssertClose(zeroed[i], garbage[i], 0, $"parameter {i} (garbage input and another label)");
        }
    }
}
