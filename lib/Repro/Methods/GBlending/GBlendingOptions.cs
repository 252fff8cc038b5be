using System.Text.Json.Nodes;

namespace Repro.Methods.GBlending;

/// <summary>G-Blending's options: the paper by default (the authors released no usable code), BalanceBenchmark's implementation a variant.</summary>
public sealed record GBlendingOptions : FusionOptions
{
    [Option("variant", "the paper's estimate (w ∝ ΔG/ΔO² from held-out losses at the window's start and end) or BalanceBenchmark's", Source = "Wang et al., CVPR 2020, Sec. 3; BalanceBenchmark GBlending_trainer.py:306-376")]
    public GBlendingVariant Variant { get; init; } = GBlendingVariant.Paper;

    [Option("method", "when the weights are estimated")]
    public GBlendingSchedule Method { get; init; } = GBlendingSchedule.Online;

    [Option("super_epoch", "epochs between estimates, and the length of each estimate's window", Min = 1, Source = "BalanceBenchmark configs/trainer_config.yaml:34-39")]
    public int SuperEpoch { get; init; } = 10;

    [Option("held_out", "the split the held-out losses are measured on (test makes the loss weights depend on test labels)")]
    public HeldOutSplit HeldOut { get; init; } = HeldOutSplit.Validation;

    [Option("temp_optimizer", "the temporary copies' optimizer {type: sgd|adam|adamw, lr, momentum, weight_decay}", Default = "the run's optimizer kind and settings (current lr for the paper, initial lr for balancebenchmark)")]
    public JsonObject? TempOptimizer { get; init; }

    [Option("ogr_eps", "floor of ΔO² in the paper's weight", Min = 0)]
    public double OgrEps { get; init; } = 1e-12;

    /// <summary>
    /// DGL's reading of G-Blending in its Table 4, where G-Blending's alpha is swept 1..5 beside DGL's: as in DGL eq. 15,
    /// alpha scales the unimodal loss terms, so the blended loss becomes L = w_out L_out + alpha Σ_m w_m L_m (the weights w
    /// estimated as before, alpha applied on top). 1 is G-Blending's own loss.
    /// </summary>
    [Option("alpha", "factor on the unimodal terms of the blended loss: L = w_out L_out + alpha Σ_m w_m L_m (1: G-Blending's own loss)", Min = 0,
        Source = "DGL (ICCV 2025) Table 4, alpha as in its eq. 15")]
    public double Alpha { get; init; } = 1;
}

public enum GBlendingVariant
{
    [Choice("paper", "a fused head and a classifier per modality; unimodal copies trained per term on held-out losses")]
    Paper,
    [Choice("balancebenchmark", "BalanceBenchmark's copies of the multimodal network with zeroed inputs, |g/o²| weights (what the gblending-* fixtures replay)")]
    BalanceBenchmark,
}

public enum GBlendingSchedule
{
    [Choice("online", "before epoch 0 and then every super_epoch epochs")]
    Online,
    [Choice("offline", "once, before epoch 0")]
    Offline,
}
