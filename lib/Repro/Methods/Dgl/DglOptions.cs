using Repro.Models.Fusion;

namespace Repro.Methods.Dgl;

/// <summary>
/// DGL's options: the paper's definition by default; the official code's differences are named options, declared last
/// in the order the <c>dgl-official</c> alias sets them.
/// </summary>
public sealed record DglOptions : DenseFusionOptions
{
    [Option("fusion", "DGL's fusion head (its own concat, gated and FiLM heads; sum is OGM-GE's; mmtm the intermediate fusion of Table 2 left; mixer the MLP-Mixer of Table 2 right, CubeMLP's blocks)",
        Source = "official models/fusion_modules.py *_DGL, models/mmtm_net.py")]
    public override FusionKind Fusion { get; init; } = FusionKind.Concat;

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

    [Option("unimodal_logits", "the sum and gated heads' unimodal logits: the fused head with the other features set to 0, or the official module's own branch",
        Source = "DGL eq. 11-14; official models/fusion_modules.py SumFusion_DGL, GatedFusion_DGL")]
    public DglUnimodalLogits UnimodalLogits { get; init; } = DglUnimodalLogits.Paper;
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

/// <summary>
/// How DGL's heads give a modality's unimodal logits, the path that trains its encoder. The paper (eq. 12, 14) computes
/// them with the fusion module itself, the other modality's features replaced by 0. For concat both forms are
/// fc_out(cat(z_m, 0)). For FiLM both are the official fc_out(fc(outer(z_m, z_m))): the paper's form there,
/// fc_out(fc(outer(z_m, 0))), is the same constant for every input and sends no gradient to the encoder, so it cannot be
/// what the paper trained.
/// </summary>
public enum DglUnimodalLogits
{
    [Choice("paper", "eq. 12, 14: sum fc_m(z_m) + the other layers' biases (audio: fc_x(x) + b_y); gated fc_out(sigmoid(fc_x(x)) * b_y) and fc_out(sigmoid(b_x) * fc_y(y))")]
    Paper,
    [Choice("official", "the official modules: sum fc_m(z_m); gated fc_out(sigmoid(o_m) * o_m), each branch gated by itself (the dgl-sum and dgl-gated parity fixtures replay it)")]
    Official,
}

/// <summary>Where DGL's gated head detaches its fused path.</summary>
public enum DglGatedDetach
{
    [Choice("features", "the encoder features (DGL eq. 9)")]
    Features,
    [Choice("official", "after fc_x/fc_y, which then never learn (the official code; the dgl-gated parity fixture replays it)")]
    Official,
}
