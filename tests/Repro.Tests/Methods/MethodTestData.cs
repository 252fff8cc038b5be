using Repro.Data;
using Repro.Methods;
using Repro.Models.Encoders;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Training;

namespace Repro.Tests.Methods;

/// <summary>Tiny seeded audio-visual data and model parts for method tests (the parity fixtures' tiny encoders).</summary>
public static class MethodTestData
{
    public const int Classes = 3;

    /// <summary>n samples: audio (n, 8, 8), visual (n, 3, 2, 8, 8), labels cycling 0..C-1.</summary>
    public static TensorDataset Dataset(int n, long seed, string name = "tiny")
    {
        var g = new Generator((ulong)seed);
        var labels = tensor(Enumerable.Range(0, n).Select(i => (long)(i % Classes)).ToArray());
        var audio = randn([n, 8, 8], generator: g) + labels.to_type(ScalarType.Float32).view(n, 1, 1);
        var visual = randn([n, 3, 2, 8, 8], generator: g) - labels.to_type(ScalarType.Float32).view(n, 1, 1, 1, 1);
        return new TensorDataset(name, new Dictionary<string, Tensor> { [Modalities.Audio] = audio, [Modalities.Visual] = visual },
            labels, Enumerable.Range(0, Classes).Select(i => $"c{i}").ToArray());
    }

    public static ModelParts Parts(bool multiLabel = false, int channels = 4, int featureDim = 6) =>
        new([Modalities.Audio, Modalities.Visual], m => m == Modalities.Audio
            ? new TinyConv(1, channels, featureDim, frames: false)
            : new TinyConv(3, channels, featureDim, frames: true), Classes, multiLabel);

    public static T Create<T>(string method, ModelParts parts, params string[] options) where T : Method
    {
        manual_seed(7);
        return (T)MethodRegistry.Create(MethodRegistry.Parse(method, options), parts);
    }

    public static DataLoader Loader(IMultimodalDataset ds, int batch) => new(ds, batch, false, SampleMode.Train, 0);

    public static EpochContext Epoch(int epoch, int epochs, DataLoader train, DataLoader? validation = null, optim.Optimizer? optimizer = null) =>
        new() { Epoch = epoch, Epochs = epochs, Train = train, Validation = validation, Optimizer = optimizer, Device = CPU };

    public static Tensor Clone(Tensor t) => t.detach().clone();
}
