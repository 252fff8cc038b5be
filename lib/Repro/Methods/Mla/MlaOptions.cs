namespace Repro.Methods.Mla;

/// <summary>MLA's options: the paper's definition by default, every way the official code or BalanceBenchmark differs a named value.</summary>
public sealed record MlaOptions : MethodOptions
{
    [Option("modalities", "the modalities to use, in training order; two or more with one feature size", Default = "the dataset's")]
    public IReadOnlyList<string>? Modalities { get; init; }

    [Option("schedule", "which modality trains when", Source = "MLA eq. 1, Algorithm 1; official main.py train_epoch 419-476")]
    public MlaSchedule Schedule { get; init; } = MlaSchedule.Paper;

    [Option("hgm", "head gradient modification of the shared head's weight gradient", Source = "MLA §3.2 eq. 3-5; official utils/utils.py GSPlugin")]
    public HgmMode Hgm { get; init; } = HgmMode.Paper;

    [Option("hgm_alpha", "a constant alpha for the update of P", Default = "the official schedule 0.1^(b/len + 1)", Above = 0, Source = "the paper leaves alpha open")]
    public double? HgmAlpha { get; init; }

    [Option("fusion", "the test-time fusion of the unimodal predictions reported as the fused one (every rule is also scored as acc@rule)", Source = "MLA §3.3 eq. 6-8")]
    public MlaFusion Fusion { get; init; } = MlaFusion.Entropy;

    [Option("missing", "what a sample without modality m does in m's step", Source = "MLA: 'does not require paired data'; official: zero inputs")]
    public MissingPolicy Missing { get; init; } = MissingPolicy.Skip;

    [Option("torch18_optimizer", "zero_grad as PyTorch < 2.0 does it (zeros, not removed), so idle encoders still move by momentum and weight decay", Source = "the official runtime")]
    public bool Torch18Optimizer { get; init; }
}

/// <summary>Which modality MLA trains at each step.</summary>
public enum MlaSchedule
{
    [Choice("paper", "eq. 1: one modality per iteration, m_t = t mod M; only its encoder and the head are updated")]
    Paper,
    [Choice("official", "per batch, every modality in turn: loss, backward, HGM, step; all gradients removed after the batch")]
    Official,
}

/// <summary>MLA's test-time fusion rules (<see cref="TestTimeFusion"/>).</summary>
public enum MlaFusion
{
    [Choice("entropy", "eq. 7-8: per-sample entropy weights")]
    Entropy,
    [Choice("official-batch-entropy", "main.py calculate_entropy: softmax over the batch, one weight per modality per batch")]
    OfficialBatchEntropy,
    [Choice("fixed", "the official fixed weights by modality: audio 0.55, visual 0.45; text 0.55, image 0.45; audio 0.35, visual/image 0.25, text 0.4")]
    Fixed,
    [Choice("mean", "equal weights")]
    Mean,
}

/// <summary>What a sample that lacks a modality does in that modality's step.</summary>
public enum MissingPolicy
{
    [Choice("skip", "left out of the modality's step (the paper: MLA needs no paired data)")]
    Skip,
    [Choice("zero", "its input is zeros and it stays in the loss (the official code)")]
    Zero,
}
