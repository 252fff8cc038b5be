using Repro.Models.Fusion;

namespace Repro.Methods.Dgl;

/// <summary>
/// DGL's options: the paper's definition by default; the official code's differences are named options, declared last
/// in the order the <c>dgl-official</c> alias sets them.
/// </summary>
public sealed record DglOptions : MethodOptions
{
    [Option("fusion", "DGL's fusion head (its own concat, gated and FiLM heads; sum is OGM-GE's)", Source = "official models/fusion_modules.py *_DGL")]
    public FusionKind Fusion { get; init; } = FusionKind.Concat;

    [Option("alpha", "weight of the unimodal losses", Min = 0, Source = "DGL Tables 1 and 4 (CREMA-D); the code uses 2-3 on Kinetics-Sounds")]
    public double Alpha { get; init; } = 4;

    [Option("grad_clip_norm", "clip of the global L2 gradient norm; 0 turns it off", Min = 0, Source = "official main_dgl.py (the paper names no clipping)")]
    public double GradClipNorm { get; init; } = 40;

    [Option("truncation", "which gradients are truncated", Source = "DGL Table 3")]
    public DglTruncation Truncation { get; init; } = DglTruncation.Both;

    [Option("test_drop_last", "the validation and test loaders drop the last partial batch (CREMA-D scores 704 of 744 clips)", Source = "official main_dgl.py")]
    public bool TestDropLast { get; init; }

    [Option("scheduler_before_epoch", "MultiStepLR is stepped at the start of each epoch, so its decay comes one epoch early", Source = "official main_dgl.py")]
    public bool SchedulerBeforeEpoch { get; init; }

    [Option("gated_detach", "where the gated head's fused path is detached")]
    public DglGatedDetach GatedDetach { get; init; } = DglGatedDetach.Features;
}

/// <summary>DGL Table 3's ablation: which of the two truncations are applied.</summary>
public enum DglTruncation
{
    [Choice("both", "DGL: the fused path sees detached features and the unimodal gradient is removed from the head")]
    Both,
    [Choice("multimodal", "+MT: detached fused path; the unimodal gradient stays on the head")]
    Multimodal,
    [Choice("unimodal", "+UT: the unimodal gradient is removed from the head; the fused loss also reaches the encoders")]
    Unimodal,
    [Choice("none", "joint training plus the alpha-weighted unimodal losses")]
    None,
}

/// <summary>Where DGL's gated head detaches its fused path.</summary>
public enum DglGatedDetach
{
    [Choice("features", "the encoder features (DGL eq. 9)")]
    Features,
    [Choice("official", "after fc_x/fc_y, which then never learn (the official code; the dgl-gated parity fixture replays it)")]
    Official,
}
