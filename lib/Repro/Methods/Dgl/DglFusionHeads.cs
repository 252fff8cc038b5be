using Repro.Models.Fusion;
namespace Repro.Methods.Dgl;

/// <summary>
/// The fusion heads of DGL (shicaiwei123/ICCV2025-GDL@b72a55f models/fusion_modules.py, the *_DGL classes): each gives
/// the fused logits and DGL's own unimodal logits (the path that trains each encoder). Its SumFusion_DGL is OGM-GE's
/// <see cref="SumFusion"/>; concatenation, gating and FiLM define their unimodal logits their own way.
/// </summary>
public static class DglFusionHeads
{
    /// <summary>The DGL head by name: concat | sum | gated | film.</summary>
    public static FusionHead Create(string name, IReadOnlyList<string> modalities, int featureDim, int numClasses) => name switch
    {
        "concat" => new ConcatFusionDgl(modalities, featureDim, numClasses),
        "sum" => new SumFusion(modalities, featureDim, numClasses),
        "gated" => new GatedFusionDgl(modalities, featureDim, numClasses),
        "film" => new FilmFusionDgl(modalities, featureDim, numClasses),
        _ => throw new ArgumentException($"Unknown DGL fusion head '{name}'; known: concat, sum, gated, film."),
    };
}
