namespace Repro.Models.Fusion;

/// <summary>The OGM-GE fusion heads, as the joint baselines of MLA's and DGL's tables use them.</summary>
public static class FusionHeads
{
    /// <param name="steering">FiLM: the conditioning modality; gated: the gating modality (default: the first).</param>
    /// <param name="mixerNorm">mixer: where its LayerNorms sit.</param>
    public static FusionHead Create(FusionKind kind, IReadOnlyList<string> modalities, int featureDim, int numClasses, string? steering = null,
        MixerNorm mixerNorm = MixerNorm.First) => kind switch
    {
        FusionKind.Concat => new ConcatFusion(modalities, featureDim, numClasses),
        FusionKind.Sum => new SumFusion(modalities, featureDim, numClasses),
        FusionKind.Film => new FilmFusion(modalities, featureDim, numClasses, steering),
        FusionKind.Gated => new GatedFusion(modalities, featureDim, numClasses, steering),
        FusionKind.Mixer => new MixerFusion(modalities, featureDim, numClasses, norm: mixerNorm),
        FusionKind.Mmtm => throw new ArgumentException("fusion=mmtm joins the encoders' intermediate feature maps, not pooled features: build the model with MmtmFusion.Model."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
