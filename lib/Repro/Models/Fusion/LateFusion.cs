using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// Late fusion: an independent classifier per modality, so each encoder-classifier pair is a unimodal model; the fused
/// prediction averages their logits.
/// </summary>
public sealed class LateFusion(IReadOnlyList<string> modalities, int featureDim, int numClasses)
    : PerModalityHead(nameof(LateFusion), modalities, featureDim, numClasses)
{
    public override Tensor Fuse(IReadOnlyDictionary<string, Tensor> features)
    {
        using var scope = NewDisposeScope();
        return stack(Modalities.Select(m => Unimodal(m, features)).ToArray()).mean([0]).MoveToOuterDisposeScope();
    }
}
