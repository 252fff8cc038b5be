using Repro.Methods;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Methods.MmPareto;
using Repro.Training;

namespace Repro.Tests.Methods;

public class MmParetoTests
{
    static Tensor[] V(params float[] x) => [tensor(x)];

    [Fact]
    public void MinNormWeightsOfTwoConflictingVectors()
    {
        using var scope = NewDisposeScope();
        // x1 = (1, 0), x2 = (-1, 1): <x1,x1> = 1, <x1,x2> = -1, <x2,x2> = 2 (each doubled by the official call, c unchanged);
        // c = -(v12 - v22) / (v11 + v22 - 2 v12) = 3/5: the min-norm point 0.6 x1 + 0.4 x2 = (0.2, 0.4) is orthogonal to x1 - x2.
        var (kmm, kuni) = MmPareto.MinNormWeights(V(1, 0), V(-1, 1));
        Assert.Equal(0.6f, kmm, 6);
        Assert.Equal(0.4f, kuni, 6);
        // Boundary cases of _min_norm_element_from2.
        Assert.Equal(0.999f, MmPareto.MinNormWeights(V(1, 0), V(2, 1)).Kmm, 6);   // v12 >= v11
        Assert.Equal(0.001f, MmPareto.MinNormWeights(V(2, 1), V(1, 0)).Kmm, 6);   // v12 >= v22
    }

    [Fact]
    public void MinNormWeightsUseTheWholeEncoderAcrossTensors()
    {
        using var scope = NewDisposeScope();
        // The same vectors split over two tensors give the same weights.
        var (kmm, _) = MmPareto.MinNormWeights([tensor(new float[] { 1 }), tensor(new float[] { 0 })], [tensor(new float[] { -1 }), tensor(new float[] { 1 })]);
        Assert.Equal(0.6f, kmm, 6);
    }

    [Fact]
    public void ThePositiveCosineBranchUsesEqualWeights()
    {
        using var scope = NewDisposeScope();
        var (kmm, kuni, cos) = MmPareto.Weights(V(1, 1), V(1, 0));
        Assert.Equal((0.5, 0.5), (kmm, kuni));
        Assert.Equal(1 / Math.Sqrt(2), cos, 6);
        var conflict = MmPareto.Weights(V(1, 0), V(-1, 1));
        Assert.Equal(-1 / Math.Sqrt(2), conflict.Cos, 6);
        Assert.Equal(0.6, conflict.Kmm, 6);
        // cos = 0 (orthogonal) is not > 0: the min-norm branch.
        var orthogonal = MmPareto.Weights(V(1, 0), V(0, 1));
        Assert.Equal(0.5, orthogonal.Kmm, 6); // c = (1 - 0) / (1 + 1) for equal norms
    }

    [Fact]
    public void CombineRescalesUpToTheTotalNormOnlyThenMultipliesByGamma()
    {
        using var scope = NewDisposeScope();
        var g1 = tensor(new float[] { 1, 0 });
        var g2 = tensor(new float[] { -1, 1 });
        // h = 2*0.6*g1 + 2*0.4*g2 = (0.4, 0.8), ||h|| = sqrt(0.8); G = g1 + g2 = (0, 1): r = 1/sqrt(0.8) > 1.
        var up = MmPareto.Combine(g1 + g2, g1, g2, 0.6, 0.4, 1.5);
        double r = 1 / Math.Sqrt(0.8);
        Assert.Equal(new[] { 0.4 * r * 1.5, 0.8 * r * 1.5 }, up.data<float>().Select(x => (double)x).ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        // A small total gradient never scales h down: h * gamma.
        var down = MmPareto.Combine(tensor(new float[] { 0.1f, 0 }), g1, g2, 0.6, 0.4, 1.5);
        Assert.Equal(new[] { 0.6, 1.2 }, down.data<float>().Select(x => (double)x).ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        // Equal weights: h = G, r = 1: the encoder gradient is 1.5 G.
        var same = MmPareto.Combine(g1 + g2, g1, g2, 0.5, 0.5, 1.5);
        Assert.True(same.allclose(1.5 * (g1 + g2), 1e-6, 1e-6));
        // h = 0 (Pareto-stationary) stays 0 instead of the official inf * 0 = NaN.
        var zero = MmPareto.Combine(tensor(new float[] { 1, 1 }), tensor(new float[] { 1, 0 }), tensor(new float[] { -1, 0 }), 0.5, 0.5, 1.5);
        Assert.True(zero.eq(0).all().item<bool>());
    }

    [Fact]
    public void BalanceBenchmarkVariantTriplesTheEncoderGradientOfTheSummedLoss()
    {
        using var scope = NewDisposeScope();
        var loader = MethodTestData.Loader(MethodTestData.Dataset(8, 5), 8);
        var bb = MethodTestData.Create<MmPareto>("mmpareto", MethodTestData.Parts(), "variant=balancebenchmark");
        var batch = loader.Load(loader.Plan(0)[0], 0);
        // Independent: gradient of CE(out) + CE(u_a) + CE(u_v) on a copy of the same weights.
        var reference = MethodTestData.Create<MmPareto>("mmpareto", MethodTestData.Parts(), "variant=balancebenchmark");
        using (no_grad()) foreach (var (n, p) in reference.Model.named_parameters()) p.copy_(bb.Model.state_dict()[n]);
        var f = reference.Model.Encode(batch);
        var total = nn.functional.cross_entropy(reference.Model.Head.Fuse(f), batch.Labels)
                    + nn.functional.cross_entropy(reference.Model.Head.Unimodal(Repro.Data.Modalities.Audio, f), batch.Labels)
                    + nn.functional.cross_entropy(reference.Model.Head.Unimodal(Repro.Data.Modalities.Visual, f), batch.Labels);
        total.backward();
        using var opt = optim.SGD(bb.Model.parameters(), 0.0); // lr 0: gradients stay readable after the step
        bb.TrainStep(batch, new StepContext { Optimizer = opt, Model = bb.Model, Epoch = 0, BatchIndex = 0, BatchesPerEpoch = 1, GlobalStep = 0 });
        var refAudio = reference.Model.Encoder(Repro.Data.Modalities.Audio).parameters().First().grad!;
        var ourAudio = bb.Model.Encoder(Repro.Data.Modalities.Audio).parameters().First().grad!;
        Assert.True(ourAudio.allclose(3 * refAudio, 1e-5, 1e-6));
        var refHead = reference.Model.Head.parameters().First().grad!;
        Assert.True(bb.Model.Head.parameters().First().grad!.allclose(refHead, 1e-5, 1e-6));
    }

    [Fact]
    public void TheAuthorsLearningRateIsNeverScheduled()
    {
        using var scope = NewDisposeScope();
        var loader = MethodTestData.Loader(MethodTestData.Dataset(8, 14), 8);
        var mm = MethodTestData.Create<MmPareto>("mmpareto", MethodTestData.Parts());
        using var opt = optim.SGD(mm.Model.parameters(), 0.1);
        foreach (var g in opt.ParamGroups) g.LearningRate = 0.01; // what a StepLR would set at a later epoch
        mm.TrainStep(loader.Load(loader.Plan(0)[0], 0), new StepContext { Optimizer = opt, Model = mm.Model, Epoch = 5, BatchIndex = 0, BatchesPerEpoch = 1, GlobalStep = 5 });
        Assert.All(opt.ParamGroups, g => Assert.Equal(0.1, g.LearningRate, 12));
        var run = MethodTestData.Create<MmPareto>("mmpareto", MethodTestData.Parts(), "lr_schedule=run");
        using var opt2 = optim.SGD(run.Model.parameters(), 0.1);
        foreach (var g in opt2.ParamGroups) g.LearningRate = 0.01;
        run.TrainStep(loader.Load(loader.Plan(0)[0], 0), new StepContext { Optimizer = opt2, Model = run.Model, Epoch = 5, BatchIndex = 0, BatchesPerEpoch = 1, GlobalStep = 5 });
        Assert.All(opt2.ParamGroups, g => Assert.Equal(0.01, g.LearningRate, 12));
    }
}
