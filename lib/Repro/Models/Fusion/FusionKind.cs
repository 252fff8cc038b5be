namespace Repro.Models.Fusion;

/// <summary>The fusion heads the joint baselines share (OGM-GE's fusion_modules.py), and DGL's versions of them.</summary>
public enum FusionKind
{
    /// <summary>Linear over the concatenated features.</summary>
    Concat,
    /// <summary>One linear layer per modality, logits summed.</summary>
    Sum,
    /// <summary>FiLM: one modality's features scale and shift the other's.</summary>
    Film,
    /// <summary>A sigmoid gate from one modality on the other.</summary>
    Gated,
    /// <summary>
    /// MMTM intermediate fusion between two ResNet-18s' later stages (<see cref="MmtmFusion"/>, DGL Table 2): not a head on
    /// pooled features, so <see cref="FusionHeads.Create"/> cannot build it; <c>ModelParts.FusionModel</c> and DGL do.
    /// </summary>
    Mmtm,
    /// <summary>MLP-Mixer over the modalities' features as rows (<see cref="MixerFusion"/>, DGL Table 2 on MOSI).</summary>
    Mixer,
}
