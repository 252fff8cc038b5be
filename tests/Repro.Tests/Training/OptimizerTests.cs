using Repro.Training;
using Repro.Training.Optim;
using TorchSharp;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;
using Parameter = TorchSharp.Modules.Parameter;
using Adam = Repro.Training.Optim.Adam;
using AdamW = Repro.Training.Optim.AdamW;
using static TorchSharp.torch;

namespace Repro.Tests.Training;

public class OptimizerTests
{
    static Parameter Scalar(double w) => new(tensor(new[] { (float)w }));

    static double StepTwice(Func<Parameter[], optim.Optimizer> make, double w, double g)
    {
        var p = Scalar(w);
        using var opt = make([p]);
        for (int i = 0; i < 2; i++) { p.grad = tensor(new[] { (float)g }); opt.step(); }
        return p.item<float>();
    }

    [Fact]
    public void SgdMatchesTheUpdateWorkedByHand()
    {
        // w=1, g=0.5, lr=0.1, mu=0.9, wd=0.1: g'=0.6, buf=0.6, w=0.94; g'=0.594, buf=0.54+0.594=1.134, w=0.8266.
        Assert.Equal(0.8266, StepTwice(ps => new SGD(ps, 0.1, momentum: 0.9, weightDecay: 0.1), 1, 0.5), 5);
    }

    [Fact]
    public void AdamAndAdamWMatchTheUpdateWorkedByHand()
    {
        // Bias-corrected moments of a constant gradient are g and g^2, so each step moves w by lr*sign(g).
        Assert.Equal(0.8, StepTwice(ps => new Adam(ps, 0.1), 1, 0.5), 5);
        // AdamW first decays: w=1*(1-0.1*0.5)=0.95 -> 0.85; then 0.85*0.95=0.8075 -> 0.7075.
        Assert.Equal(0.7075, StepTwice(ps => new AdamW(ps, 0.1, weightDecay: 0.5), 1, 0.5), 5);
    }

    public static TheoryData<string> Kinds => new() { "sgd", "sgd-nesterov", "adam", "adam-amsgrad", "adamw", "adamw-amsgrad" };

    static (optim.Optimizer ours, optim.Optimizer torchSharps) Pair(string kind, Parameter[] a, Parameter[] b) => kind switch
    {
        "sgd" => (new SGD(a, 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 1e-3), optim.SGD(b, 0.05, 0.9, 0.1, 1e-3)),
        "sgd-nesterov" => (new SGD(a, 0.05, momentum: 0.9, weightDecay: 1e-3, nesterov: true), optim.SGD(b, 0.05, 0.9, 0, 1e-3, nesterov: true)),
        "adam" => (new Adam(a, 0.01, weightDecay: 1e-2), optim.Adam(b, 0.01, weight_decay: 1e-2)),
        "adam-amsgrad" => (new Adam(a, 0.01, amsgrad: true), optim.Adam(b, 0.01, amsgrad: true)),
        "adamw" => (new AdamW(a, 0.01), optim.AdamW(b, 0.01, weight_decay: 0.01)),
        _ => (new AdamW(a, 0.01, amsgrad: true), optim.AdamW(b, 0.01, weight_decay: 0.01, amsgrad: true)),
    };

    /// <summary>Two identical sets of random parameters of the given shapes, and the generator that drew them.</summary>
    static (Generator g, Parameter[] a, Parameter[] b) Twins(int seed, params long[][] shapes)
    {
        var g = new Generator((ulong)seed);
        var init = shapes.Select(s => randn(s, generator: g)).ToArray();
        return (g, init.Select(t => new Parameter(t.clone())).ToArray(), init.Select(t => new Parameter(t.clone())).ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EachOptimizerStepsExactlyAsTorchSharpsOwn(string kind)
    {
        var (g, a, b) = Twins(3, [4, 2], [4, 3], [4, 4]);
        var (ours, theirs) = Pair(kind, a, b);
        for (int step = 0; step < 6; step++)
        {
            for (int i = 0; i < a.Length; i++)
            {
                var grad = randn(a[i].shape, generator: g);
                a[i].grad = grad.clone();
                b[i].grad = grad.clone();
            }
            if (step == 3) Optimizers.SetLearningRate(ours, 0.02);
            if (step == 3) Optimizers.SetLearningRate(theirs, 0.02);
            ours.step();
            theirs.step();
        }
        for (int i = 0; i < a.Length; i++) Assert.True(a[i].equal(b[i]).all().item<bool>(), $"{kind}: parameter {i} differs");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AStateSavedByTorchSharpsOptimizerResumesInOurs(string kind)
    {
        var (g, a, b) = Twins(5, [3, 1], [3, 2]);
        var (ours, theirs) = Pair(kind, a, b);
        var grads = Enumerable.Range(0, 6).Select(_ => a.Select(p => randn(p.shape, generator: g)).ToArray()).ToArray();
        void Step(optim.Optimizer o, Parameter[] ps, Tensor[] gs) { for (int i = 0; i < ps.Length; i++) ps[i].grad = gs[i].clone(); o.step(); }
        for (int s = 0; s < 3; s++) { Step(ours, a, grads[s]); Step(theirs, b, grads[s]); }
        using var stream = new MemoryStream();
        ((OptimizerHelper)theirs).save_state_dict(new BinaryWriter(stream));
        stream.Position = 0;
        ((OptimizerHelper)ours).load_state_dict(new BinaryReader(stream));
        for (int s = 3; s < 6; s++) { Step(ours, a, grads[s]); Step(theirs, b, grads[s]); }
        for (int i = 0; i < a.Length; i++) Assert.True(a[i].equal(b[i]).all().item<bool>(), $"{kind}: parameter {i} differs after resuming");
    }
}
