using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Models.Fusion;

/// <summary>
/// The fusion heads of DGL (shicaiwei123/ICCV2025-GDL@b72a55f models/fusion_modules.py, the *_DGL classes): each gives
/// the fused logits and DGL's own unimodal logits (the path that trains each encoder). <see cref="FusionHead.Fuse"/>
/// keeps the graph to the encoders (what a vanilla model or a probe sees); <see cref="FuseTruncated"/> is the fused
/// path of DGL's gradient detaching (DGL eq. 9: the head sees detached encoder features).
/// </summary>
public abstract class DglFusionHead : FusionHead
{
    protected DglFusionHead(string name, IReadOnlyList<string> modalities, int featureDim, int numClasses)
        : base(name, modalities, featureDim, numClasses) { }

    /// <summary>Fused logits with no gradient reaching the encoders (DGL eq. 9-10).</summary>
    public virtual Tensor FuseTruncated(IReadOnlyDictionary<string, Tensor> features) =>
        Fuse(features.ToDictionary(kv => kv.Key, kv => kv.Value.detach()));

    /// <summary>The DGL head by name: concat | sum | gated | film.</summary>
    public static DglFusionHead Create(string name, IReadOnlyList<string> modalities, int featureDim, int numClasses) => name switch
    {
        "concat" => new ConcatFusionDgl(modalities, featureDim, numClasses),
        "sum" => new SumFusionDgl(modalities, featureDim, numClasses),
        "gated" => new GatedFusionDgl(modalities, featureDim, numClasses),
        "film" => new FilmFusionDgl(modalities, featureDim, numClasses),
        _ => throw new ArgumentException($"Unknown DGL fusion head '{name}'; known: concat, sum, gated, film."),
    };
}
