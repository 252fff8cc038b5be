using Repro.Models.Fusion;
namespace Repro.Methods.Dgl;

/// <summary>
/// The fusion heads of DGL (shicaiwei123/ICCV2025-GDL@b72a55f models/fusion_modules.py, the *_DGL classes): each gives
/// the fused logits and DGL's own unimodal logits (the path that trains each encoder).
/// </summary>
public static class DglFusionHeads
{
    /// <summary>
    /// A DGL head. <paramref name="unimodal"/> chooses, for the sum and gated heads, between the paper's unimodal logits
    /// (eq. 12, 14: the fused head with the other features set to 0) and the official modules' own branches; the concat
    /// head's two forms coincide, and FiLM has the official form only (<see cref="DglUnimodalLogits"/>).
    /// </summary>
    public static FusionHead Create(FusionKind kind, IReadOnlyList<string> modalities, int featureDim, int numClasses,
        DglUnimodalLogits unimodal = DglUnimodalLogits.Paper, MixerNorm mixerNorm = MixerNorm.First) => kind switch
    {
        FusionKind.Concat => new ConcatFusionDgl(modalities, featureDim, numClasses),
        FusionKind.Sum => new SumFusionDgl(modalities, featureDim, numClasses) { OfficialUnimodal = unimodal == DglUnimodalLogits.Official },
        FusionKind.Gated => new GatedFusionDgl(modalities, featureDim, numClasses) { OfficialUnimodal = unimodal == DglUnimodalLogits.Official },
        FusionKind.Film => new FilmFusionDgl(modalities, featureDim, numClasses),
        FusionKind.Mixer => new MixerFusion(modalities, featureDim, numClasses, norm: mixerNorm),   // unimodal logits: eq. 12, the others zeroed (both forms)
        FusionKind.Mmtm => throw new ArgumentException("fusion=mmtm joins the encoders' intermediate feature maps, not pooled features: build the model with MmtmFusion.Model."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
