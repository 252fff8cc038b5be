using Repro.Models.Fusion;
namespace Repro.Methods.Dgl;

/// <summary>
/// The fusion heads of DGL (shicaiwei123/ICCV2025-GDL@b72a55f models/fusion_modules.py, the *_DGL classes): each gives
/// the fused logits and DGL's own unimodal logits (the path that trains each encoder). Its SumFusion_DGL is OGM-GE's
/// <see cref="SumFusion"/>; concatenation, gating and FiLM define their unimodal logits their own way.
/// </summary>
public static class DglFusionHeads
{
    public static FusionHead Create(FusionKind kind, IReadOnlyList<string> modalities, int featureDim, int numClasses) => kind switch
    {
        FusionKind.Concat => new ConcatFusionDgl(modalities, featureDim, numClasses),
        FusionKind.Sum => new SumFusion(modalities, featureDim, numClasses),
        FusionKind.Gated => new GatedFusionDgl(modalities, featureDim, numClasses),
        FusionKind.Film => new FilmFusionDgl(modalities, featureDim, numClasses),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
