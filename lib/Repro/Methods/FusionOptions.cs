using Repro.Models.Fusion;

namespace Repro.Methods;

/// <summary>
/// The fusion head of the methods that train a joint model (<see cref="ModelParts.FusionModel"/>: joint, OGM-GE, PMR,
/// AGM, MMPareto, G-Blending, D&amp;R), OGM-GE's fusion_modules.py heads. <c>fusion</c> comes last: the aliases that set
/// it (<c>concat</c>, <c>film</c>, ...) add it after the caller's options. <c>fusion=mmtm</c> joins the encoders between
/// their ResNet-18 stages instead of on pooled features (<see cref="MmtmFusion"/>; the mmtm_* options).
/// </summary>
public abstract record FusionOptions : MethodOptions, IMmtmOptions
{
    [Option("mmtm_ratio", "fusion=mmtm: the squeeze layer's reduction, C_Z = int(2 (C_A + C_B) / ratio)", Min = 1, Default = "2",
        Source = "DGL models/mmtm_net.py: MMTM(c, c, 2)")]
    public int? MmtmRatio { get; init; }

    [Option("mmtm_gate", "fusion=mmtm: the channel gate", Default = "paper", Source = "Joze et al., CVPR 2020, §3.1; the official mmtm.py")]
    public MmtmGate? MmtmGate { get; init; }

    [Option("mmtm_shared_stages", "fusion=mmtm: the second stream runs the first stream's layer3 and layer4, as DGL's code assigns them",
        Default = "false", Source = "DGL models/mmtm_net.py: depth_0, depth_1 = model_resnet18_se_1.layer3, layer4")]
    public bool? MmtmSharedStages { get; init; }

    [Option("conditioned_by", "FiLM: the modality whose features scale and shift the other's", Default = "the dataset's first modality")]
    public string? ConditionedBy { get; init; }

    [Option("gate_from", "gated: the modality whose features gate the other's", Default = "the dataset's first modality")]
    public string? GateFrom { get; init; }

    [Option("fusion", "the fusion head", Source = "OGM-GE fusion_modules.py")]
    public FusionKind Fusion { get; init; } = FusionKind.Concat;
}
