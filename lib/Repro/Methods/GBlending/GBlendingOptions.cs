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
