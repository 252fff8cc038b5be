using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Methods.Ae;

/// <summary>
/// GCNet's SimpleFcAE (baseline-mmin models/networks/autoencoder.py:268-320; docs/missing-modality.md#ae): encoder
/// Linear+LeakyReLU per layer (e.g. 384 -> 256 -> 128), mirrored decoder Linear+LeakyReLU back up, its last activation
/// a ReLU. Returns the reconstruction and the code.
/// </summary>
public sealed class SimpleFcAe : Module
{
    readonly Sequential encoder;
    readonly Sequential decoder;

    public SimpleFcAe(int inputDim, IReadOnlyList<int> layers) : base(nameof(SimpleFcAe))
    {
        if (layers.Count == 0) throw new ArgumentException("SimpleFcAe needs at least one layer size.");
        encoder = Sequential();
        int prev = inputDim;
        for (int i = 0; i < layers.Count; i++)
        {
            encoder.append($"{2 * i}", Linear(prev, layers[i]));
            encoder.append($"{2 * i + 1}", LeakyReLU());
            prev = layers[i];
        }
        decoder = Sequential();
        var ups = layers.Reverse().Skip(1).Append(inputDim).ToArray();
        for (int i = 0; i < ups.Length; i++)
        {
            decoder.append($"{2 * i}", Linear(prev, ups[i]));
            decoder.append($"{2 * i + 1}", i == ups.Length - 1 ? ReLU() : LeakyReLU());
            prev = ups[i];
        }
        RegisterComponents();
    }

    public (Tensor Reconstruction, Tensor Code) Forward(Tensor x)
    {
        var code = encoder.call(x);
        return (decoder.call(code), code);
    }
}
