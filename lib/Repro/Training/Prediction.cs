using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Training;

/// <summary>
/// Fused logits (B, C) and each modality's own logits. <see cref="Variants"/> holds other fused predictions of the
/// same forward pass (e.g. MLA's test-time fusion rules), scored as "acc@{name}", so one trained model fills
/// several table cells without retraining.
/// </summary>
public sealed record Prediction(Tensor Fused, IReadOnlyDictionary<string, Tensor> Unimodal)
{
    public IReadOnlyDictionary<string, Tensor> Variants { get; init; } = new Dictionary<string, Tensor>();
}
