using Repro.Data;
using Repro.Methods;
using Repro.Models.Encoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Tests.Methods;

/// <summary>Small models, batches and step contexts for the methods' unit tests.</summary>
public static class MethodTestKit
{
    public const int Classes = 3;
    public const int FeatureDim = 5;

    /// <summary>Audio-visual parts with the fixtures' tiny convolutional encoders (seeded by the caller).</summary>
    public static ModelParts AudioVisual(int classes = Classes, bool multiLabel = false) => new(
        [Modalities.Audio, Modalities.Visual],
        m => m == Modalities.Audio ? new TinyConv(1, 4, FeatureDim, frames: false) : new TinyConv(3, 4, FeatureDim, frames: true),
        classes, multiLabel);

    /// <summary>A random audio-visual batch: audio (B, 6, 6), visual (B, 3, 2, 6, 6), labels in [0, classes).</summary>
    public static Batch RandomBatch(int b = 6, int classes = Classes, long seed = 7)
    {
        var g = new Generator((ulong)seed);
        var audio = randn([b, 6, 6], generator: g);
        var visual = randn([b, 3, 2, 6, 6], generator: g);
        var labels = randint(0, classes, [b], generator: g, dtype: ScalarType.Int64);
        return Repro.Data.Batch.FromTensors(new Dictionary<string, Tensor> { [Modalities.Audio] = audio, [Modalities.Visual] = visual }, labels);
    }

    /// <summary><see cref="RandomBatch"/> as a dataset (for runs through the trainer).</summary>
    public static Repro.Data.TensorDataset RandomDataset(int n = 6, long seed = 7)
    {
        var b = RandomBatch(n, seed: seed);
        return new Repro.Data.TensorDataset("tiny", b.Inputs, b.Labels, Enumerable.Range(0, Classes).Select(c => $"c{c}").ToArray());
    }

    /// <summary>A method built from options with weights drawn from a fixed seed.</summary>
    public static Method Create(string name, ModelParts? parts = null, long seed = 1, params (string Key, object Value)[] options)
    {
        manual_seed(seed);
        var method = MethodRegistry.Create(MethodRegistry.Resolve(name, Texts(options)), parts ?? AudioVisual());
        Reinitialise(method.Model, seed);
        return method;
    }

    /// <summary>Option values as the command line writes them (numbers in invariant culture, booleans in lower case).</summary>
    public static (string Key, string Value)[] Texts(IEnumerable<(string Key, object Value)> options) =>
        options.Select(o => (o.Key, o.Value switch
        {
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var v => v.ToString()!,
        })).ToArray();

    /// <summary>
    /// Draws every parameter from a private generator (uniform in +-1/sqrt(fan_in), biases +-0.1), so a test's
    /// weights do not depend on other tests drawing from torch's global generator in parallel.
    /// </summary>
    public static void Reinitialise(nn.Module model, long seed)
    {
        var g = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var p in model.parameters())
        {
            double bound = p.dim() > 1 ? 1 / Math.Sqrt(p.shape.Skip(1).Aggregate(1L, (a, b) => a * b)) : 0.1;
            p.copy_(rand(p.shape, generator: g) * (2 * bound) - bound);
        }
    }

    /// <summary>A step context at global step <paramref name="step"/> of an epoch of <paramref name="batchesPerEpoch"/> batches (batch index = step mod that).</summary>
    public static StepContext Context(Method method, optim.Optimizer optimizer, long step, int batchesPerEpoch = 3, GradReset reset = GradReset.SetToNone) => new()
    {
        Optimizer = optimizer,
        Model = method.Model,
        Epoch = (int)(step / batchesPerEpoch),
        BatchIndex = (int)(step % batchesPerEpoch),
        BatchesPerEpoch = batchesPerEpoch,
        GlobalStep = step,
        GradReset = reset,
    };

    /// <summary>Detached copies of parameters (to compare before and after a step).</summary>
    public static Tensor[] Snapshot(IEnumerable<Parameter> parameters) => parameters.Select(p => p.detach().clone()).ToArray();

    /// <summary>A step context whose optimizer does not move anything (lr 0), so gradients can be read after the step.</summary>
    public static StepContext FrozenContext(Method method, int epoch = 0, int batchIndex = 0, long globalStep = 0) => new()
    {
        Optimizer = optim.SGD(method.TrainableParameters(), 0.0),
        Model = method.Model,
        Epoch = epoch,
        BatchIndex = batchIndex,
        BatchesPerEpoch = 1,
        GlobalStep = globalStep,
    };

    /// <summary>d loss / d parameters on a fresh graph (null entries for parameters the loss does not reach).</summary>
    public static Tensor?[] Grads(Tensor loss, IReadOnlyList<Parameter> parameters)
    {
        var grads = torch.autograd.grad([loss], parameters.Cast<Tensor>().ToArray(), retain_graph: true, allow_unused: true);
        return grads.Select(g => g.IsInvalid ? null : g).ToArray();
    }

    public static void AssertClose(Tensor expected, Tensor actual, double atol = 1e-6, string what = "")
    {
        var diff = (expected.to_type(ScalarType.Float64) - actual.to_type(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(diff <= atol, $"{what}: max |difference| {diff:E2} > {atol:E0}");
    }
}
