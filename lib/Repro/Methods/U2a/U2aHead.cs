using Repro.Models.Fusion;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Methods.U2a;

/// <summary>
/// U2A's fusion and classifier h (U2A eq. 5): the selected tokens of the modalities (B, d each) are summed and
/// <c>fc_out</c> = Linear(d, C) gives the logits. <see cref="Unimodal"/> is h applied to one modality's token alone.
/// </summary>
public sealed class U2aHead : FusionHead
{
    Linear fc_out;

    public U2aHead(IReadOnlyList<string> modalities, int featureDim, int numClasses, Device? device = null)
        : base(nameof(U2aHead), modalities, featureDim, numClasses)
    {
        fc_out = nn.Linear(featureDim, numClasses, device: device);
        RegisterComponents();
    }

    public Linear Classifier => fc_out;

    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var f = Ordered(features);
        var sum = f[0];
        for (int i = 1; i < f.Length; i++) sum = sum + f[i];
        return fc_out.call(sum).MoveToOuterDisposeScope();
    }

    public override Tensor Unimodal(string modality, IReadOnlyDictionary<string, Tensor> features) =>
        fc_out.call(features[modality]);
}
