using Repro.Models.Fusion;

namespace Repro.Methods;

/// <summary>
/// The options of the dense fusions of DGL Table 2, MMTM (<c>fusion=mmtm</c>) and the MLP-Mixer (<c>fusion=mixer</c>),
/// which the joint-model methods (<see cref="FusionOptions"/>) and DGL share. Each is null unless given, and refused unless the
/// fusion is the one it belongs to.
/// </summary>
public abstract record DenseFusionOptions : MethodOptions
{
    /// <summary>The fusion head; each method declares it with its own choices and description.</summary>
    public abstract FusionKind Fusion { get; init; }

    [Option("mmtm_ratio", "fusion=mmtm: the squeeze layer's reduction, C_Z = int(2 (C_A + C_B) / ratio)", Min = 1, Default = "2",
        Source = "DGL models/mmtm_net.py: MMTM(c, c, 2)")]
    public int? MmtmRatio { get; init; }

    [Option("mmtm_gate", "fusion=mmtm: the channel gate", Default = "paper", Source = "Joze et al., CVPR 2020, §3.1; the official mmtm.py")]
    public MmtmGate? MmtmGate { get; init; }

    [Option("mmtm_shared_stages", "fusion=mmtm: the second stream runs the first stream's layer3 and layer4, as DGL's code assigns them",
        Default = "false", Source = "DGL models/mmtm_net.py: depth_0, depth_1 = model_resnet18_se_1.layer3, layer4")]
    public bool? MmtmSharedStages { get; init; }

    [Option("mmtm_unimodal_norm", "fusion=mmtm: how layer3's and layer4's BatchNorm treat a unimodal pass (the other stream zeroed) while training",
        Default = "batch", Source = "not in the DGL paper; DGL models/mmtm_net.py runs it in training mode (official)")]
    public MmtmUnimodalNorm? MmtmUnimodalNorm { get; init; }

    [Option("mixer_norm", "fusion=mixer: where the MLP-Mixer blocks' LayerNorms sit, before each MLP (first) or after each residual sum (last)",
        Default = "first", Source = "CubeMLP's README command for MOSI (--ln_first); last is its code's default")]
    public MixerNorm? MixerNorm { get; init; }

    /// <summary>The MLP-Mixer's LayerNorm placement (first where unset); mixer_norm with another fusion is refused.</summary>
    public MixerNorm MixerSettings()
    {
        if (Fusion != FusionKind.Mixer && MixerNorm is not null)
            throw new ArgumentException($"Option mixer_norm applies to fusion=mixer only (the fusion is {Fusion.ToString().ToLowerInvariant()}).");
        return MixerNorm ?? Models.Fusion.MixerNorm.First;
    }

    /// <summary>The MMTM settings the options give, defaults where unset; an mmtm_* option with another fusion is refused.</summary>
    public MmtmSettings MmtmSettings()
    {
        var given = new[]
            {
                ("mmtm_ratio", MmtmRatio is not null), ("mmtm_gate", MmtmGate is not null),
                ("mmtm_shared_stages", MmtmSharedStages is not null), ("mmtm_unimodal_norm", MmtmUnimodalNorm is not null),
            }
            .Where(x => x.Item2).Select(x => x.Item1).ToArray();
        if (Fusion != FusionKind.Mmtm && given.Length > 0)
            throw new ArgumentException($"Option {string.Join(", ", given)} applies to fusion=mmtm only (the fusion is {Fusion.ToString().ToLowerInvariant()}).");
        var d = new MmtmSettings();
        return new MmtmSettings(MmtmRatio ?? d.Ratio, MmtmGate ?? d.Gate, MmtmSharedStages ?? d.SharedStages, MmtmUnimodalNorm ?? d.UnimodalNorm);
    }
}
