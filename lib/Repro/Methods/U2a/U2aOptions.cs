namespace Repro.Methods.U2a;

/// <summary>U2A's options: the paper's by default (U2A §3-4, Table 5).</summary>
public sealed record U2aOptions : U2aEncoderOptions
{
    [Option("pretrained", "where tiny encoders without weights_* get their weights")]
    public U2aPretrained Pretrained { get; init; } = U2aPretrained.Auto;

    [Option("lr", "AdamW's peak learning rate (optimisation=paper)", Min = 0, Default = "1e-3 for image-text, 5e-5 otherwise", Source = "U2A Table 5")]
    public double? Lr { get; init; }

    [Option("epochs", "training epochs (optimisation=paper)", Min = 1, Default = "the paper's 10 for image-text and 100 for audio-video, fewer when the profile has fewer", Source = "U2A Table 5")]
    public int? Epochs { get; init; }

    [Option("align_weight", "lambda, the weight of the alignment loss", Min = 0, Source = "U2A eq. 7")]
    public double AlignWeight { get; init; } = 0.2;

    [Option("align_target", "whether the alignment loss's gradient reaches the CLS it compares the mask token with", Source = "U2A eq. 6")]
    public U2aAlignTarget AlignTarget { get; init; } = U2aAlignTarget.Shared;

    [Option("weights_image", "a published checkpoint for the image (and video) encoder: CLIP's vision tower, safetensors")]
    public string? WeightsImage { get; init; }

    [Option("weights_text", "a published checkpoint for the text encoder: bert-base-uncased, safetensors")]
    public string? WeightsText { get; init; }

    [Option("weights_audio", "a published checkpoint for the audio encoder: the AudioSet AST, safetensors")]
    public string? WeightsAudio { get; init; }

    [Option("allow_mismatch", "load a checkpoint with missing, unexpected or mis-shaped tensors instead of refusing it")]
    public bool AllowMismatch { get; init; }

    [Option("lora_rank", "LoRA rank", Min = 1, Source = "U2A §3 (rank 1)")]
    public int LoraRank { get; init; } = 1;

    [Option("lora_alpha", "LoRA alpha", Min = 0)]
    public double LoraAlpha { get; init; } = 1;

    [Option("lora_dropout", "LoRA dropout", Min = 0, Max = 1)]
    public double LoraDropout { get; init; } = 0.1;

    [Option("modality_dropout", "rate at which a training sample loses one modality", Min = 0, Max = 1, Unset = "auto",
        Default = "auto: 0.5 (our choice; the paper leaves it open), 0 when the training data already misses modalities")]
    public double? ModalityDropout { get; init; }

    [Option("optimisation", "the optimiser and schedule")]
    public U2aOptimisation Optimisation { get; init; } = U2aOptimisation.Paper;

    [Option("warmup_epochs", "linear warm-up from 0.1 x lr (optimisation=paper)", Min = 0, Default = "min(5, epochs/2)")]
    public int? WarmupEpochs { get; init; }
}

public enum U2aPretrained
{
    [Choice("auto", "the stand-in's pretrained encoders the runner offers (u2a-pretrain), loaded like a published checkpoint")]
    Auto,
    [Choice("none", "frozen random encoders (tests, and the ablation that shows why pretraining matters)")]
    None,
}

public enum U2aAlignTarget
{
    [Choice("shared", "as eq. 6 is written: the gradient reaches both the mask token and the CLS")]
    Shared,
    [Choice("detached", "the CLS target is a constant")]
    Detached,
}

public enum U2aOptimisation
{
    [Choice("paper", "AdamW, weight decay 0.02, polynomial decay (power 0.9) with linear warm-up (U2A Table 5); the profile's batch size")]
    Paper,
    [Choice("profile", "the profile's optimiser, schedule and epochs")]
    Profile,
}
