using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Models.Missing;

/// <summary>
/// GCNet's / MMIN's ResidualAE (baseline-mmin models/networks/autoencoder.py:82-149; docs/missing-modality.md#cra):
/// n blocks of an encoder (Linear+LeakyReLU per layer, the last activation removed) and a decoder (Linear+ReLU per
/// layer, a final Linear back to the input size), chained residually: x_in &lt;- x, x_out &lt;- 0; per block
/// x_in &lt;- x_in + x_out, z = enc(x_in), x_out = dec(z); output transition(x_in + x_out), transition =
/// Linear-ReLU-Linear. IF-MMIN's variant (IF-MMIN autoencoder_2.py:133-145) adds the invariant features to every block's
/// input instead: x_out &lt;- h; per block x_in = x_out + inv, z = enc(x_in), x_out = dec(z); output transition(x_out).
/// Both return the reconstruction and the blocks' codes (the "latents" MMIN classifies).
/// </summary>
public sealed class ResidualAe : Module
{
    readonly ModuleList<Sequential> encoder;
    readonly ModuleList<Sequential> decoder;
    readonly Sequential transition;

    public ResidualAe(int inputDim, IReadOnlyList<int> layers, int blocks) : base(nameof(ResidualAe))
    {
        if (layers.Count == 0 || blocks < 1) throw new ArgumentException("ResidualAe needs layer sizes and at least one block.");
        Blocks = blocks;
        CodeDim = layers[^1];
        encoder = nn.ModuleList<Sequential>();
        decoder = nn.ModuleList<Sequential>();
        for (int b = 0; b < blocks; b++)
        {
            var enc = Sequential();
            int prev = inputDim;
            for (int i = 0; i < layers.Count; i++)
            {
                enc.append($"{2 * i}", Linear(prev, layers[i]));
                if (i < layers.Count - 1) enc.append($"{2 * i + 1}", LeakyReLU());
                prev = layers[i];
            }
            var dec = Sequential();
            var ups = layers.Reverse().Skip(1).ToArray();
            for (int i = 0; i < ups.Length; i++)
            {
                dec.append($"{2 * i}", Linear(prev, ups[i]));
                dec.append($"{2 * i + 1}", ReLU());
                prev = ups[i];
            }
            dec.append($"{2 * ups.Length}", Linear(prev, inputDim));
            encoder.Add(enc);
            decoder.Add(dec);
        }
        transition = Sequential(Linear(inputDim, inputDim), ReLU(), Linear(inputDim, inputDim));
        RegisterComponents();
    }

    public int Blocks { get; }
    public int CodeDim { get; }

    public (Tensor Reconstruction, Tensor[] Latents) Forward(Tensor x)
    {
        var xIn = x;
        Tensor? xOut = null;
        var latents = new Tensor[Blocks];
        for (int b = 0; b < Blocks; b++)
        {
            if (xOut is not null) xIn = xIn + xOut;
            latents[b] = encoder[b].call(xIn);
            xOut = decoder[b].call(latents[b]);
        }
        return (transition.call(xIn + xOut!), latents);
    }

    /// <summary>IF-MMIN: the invariant features <paramref name="shared"/> enter every block.</summary>
    public (Tensor Reconstruction, Tensor[] Latents) Forward(Tensor h, Tensor shared)
    {
        var xOut = h;
        var latents = new Tensor[Blocks];
        for (int b = 0; b < Blocks; b++)
        {
            latents[b] = encoder[b].call(xOut + shared);
            xOut = decoder[b].call(latents[b]);
        }
        return (transition.call(xOut), latents);
    }
}
