using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// Summation (OGM-GE SumFusion, DGL SumFusion_DGL): the per-modality logits summed. Unimodal logits are the modality's
/// own layer with its full bias (OGM-GE main.py; MLA Table 1's Sum column).
/// </summary>
public sealed class SumFusion(IReadOnlyList<string> modalities, int featureDim, int numClasses)
    : PerModalityHead(nameof(SumFusion), modalities, featureDim, numClasses)
{
    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        var sum = Unimodal(Modalities[0], features);
        for (int i = 1; i < Modalities.Count; i++) sum = sum + Unimodal(Modalities[i], features);
        return sum.MoveToOuterDisposeScope();
    }
}
