using Repro.Models.Encoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Methods.Cca;

/// <summary>
/// The view network of GCNet's DCCA / DCCAE (baseline-cca/dcca.py:104-118, dccae.py MLP): for sizes [c0, c1, ..., cL],
/// (Linear-BatchNorm1d-ReLU) between consecutive sizes up to c(L-1), then a plain Linear to cL. The encoders are
/// [d, h, h, h, k]; DCCAE's decoders the same list reversed. Input (B, c0), output (B, cL).
/// </summary>
public sealed class DeepCcaMlp : Module<Tensor, Tensor>, IEncoder
{
    readonly Sequential model;

    public DeepCcaMlp(IReadOnlyList<int> sizes) : base(nameof(DeepCcaMlp))
    {
        if (sizes.Count < 2) throw new ArgumentException($"DeepCcaMlp needs at least an input and an output size; got [{string.Join(", ", sizes)}].");
        model = Sequential();
        int n = 0;
        for (int i = 1; i < sizes.Count - 1; i++)
        {
            model.append($"{n++}", Linear(sizes[i - 1], sizes[i]));
            model.append($"{n++}", BatchNorm1d(sizes[i]));
            model.append($"{n++}", ReLU());
        }
        model.append($"{n}", Linear(sizes[^2], sizes[^1]));
        InputDim = sizes[0];
        FeatureDim = sizes[^1];
        RegisterComponents();
    }

    public int InputDim { get; }
    public int FeatureDim { get; }

    public override Tensor forward(Tensor x) => model.call(x);
}
