using Repro.Models.Fusion;

namespace Repro.Methods;

/// <summary>
/// The fusion head of the methods that train a joint model (<see cref="ModelParts.FusionModel"/>: joint, OGM-GE, PMR,
/// AGM, MMPareto, G-Blending, D&amp;R), OGM-GE's fusion_modules.py heads. <c>fusion</c> comes last: the aliases that set
/// it (<c>concat</c>, <c>film</c>, ...) add it after the caller's options. <c>fusion=mmtm</c> joins the encoders between
/// their ResNet-18 stages instead of on pooled features (<see cref="MmtmFusion"/>; the mmtm_* options).
/// </summary>
public abstract record FusionOptions : DenseFusionOptions
{
    [Option("conditioned_by", "FiLM: the modality whose features scale and shift the other's", Default = "the dataset's first modality")]
    public string? ConditionedBy { get; init; }

    [Option("gate_from", "gated: the modality whose features gate the other's", Default = "the dataset's first modality")]
    public string? GateFrom { get; init; }

    [Option("fusion", "the fusion head", Source = "OGM-GE fusion_modules.py")]
    public override FusionKind Fusion { get; init; } = FusionKind.Concat;
}
