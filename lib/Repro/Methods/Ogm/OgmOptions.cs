namespace Repro.Methods.Ogm;

/// <summary>
/// OGM-GE's options: the authors' code by default (main.py), BalanceBenchmark's implementation a variant. The variant
/// is part of every run's identity (<c>ogm</c> and <c>ogm-ge</c> name one run) and comes last, as the aliases set it.
/// </summary>
[AlwaysInIdentity("variant")]
public sealed record OgmOptions : FusionOptions
{
    [Option("alpha", "the modulation strength in 1 - tanh(alpha * ratio)", Source = "the README's CREMA-D value (0.1 for VGGSound)")]
    public double Alpha { get; init; } = 0.8;

    [Option("modulation_starts", "first epoch (0-based, inclusive) of the modulation window", Min = 0)]
    public int ModulationStarts { get; init; }

    [Option("modulation_ends", "last epoch (0-based, inclusive) of the modulation window", Min = 0, Source = "main.py")]
    public int ModulationEnds { get; init; } = 50;

    [Option("modulate", "which encoder gradients are modulated", Default = "conv4d, or non1d under variant=balancebenchmark")]
    public OgmModulate? Modulate { get; init; }

    [Option("method", "BalanceBenchmark's own mode (variant=balancebenchmark only)", Default = "OGM_GE, the only mode that runs there")]
    public OgmMode? Method { get; init; }

    [Option("variant", "whose implementation runs", Source = "GeWu-Lab/OGM-GE_CVPR2022@343dc1d main.py; BalanceBenchmark@4c1482f OGM_trainer.py")]
    public OgmVariant Variant { get; init; } = OgmVariant.OgmGe;
}

public enum OgmVariant
{
    [Choice("OGM_GE", "gradient modulation with Gaussian noise at every step of the window (main.py's default)")]
    OgmGe,
    [Choice("OGM", "gradient modulation only")]
    Ogm,
    [Choice("balancebenchmark", "BalanceBenchmark: ratio score_m/(score_other + 1e-5), coefficient clipped at 0 and computed per modality")]
    BalanceBenchmark,
}

/// <summary>BalanceBenchmark's own OGM mode.</summary>
public enum OgmMode
{
    [Choice("OGM_GE", "modulation with noise")]
    OgmGe,
    [Choice("OGM", "the noise-free mode, which BalanceBenchmark itself cannot reach")]
    Ogm,
}

public enum OgmModulate
{
    [Choice("conv4d", "only 4-D gradients, i.e. convolution weights (main.py 133-143)")]
    Conv4d,
    [Choice("non1d", "every encoder parameter that is not 1-D (BalanceBenchmark's rule, for encoders without convolutions)")]
    Non1d,
}
