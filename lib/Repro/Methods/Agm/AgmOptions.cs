namespace Repro.Methods.Agm;

/// <summary>AGM's options: the authors' utils/config.py:66-78 and CREMAD_main.py.</summary>
public sealed record AgmOptions : FusionOptions
{
    [Option("alpha", "the modulation strength", Source = "authors' default (the only published command, AV-MNIST, uses 2.5)")]
    public double Alpha { get; init; } = 1;

    [Option("modulation_starts", "first epoch of the modulation window", Min = 0)]
    public int ModulationStarts { get; init; }

    [Option("modulation_ends", "last epoch of the modulation window", Min = 0)]
    public int ModulationEnds { get; init; } = 20;

    [Option("score_exponent_cap", "cap of the coefficient's exponent", Default = "10, or 7 under variant=balancebenchmark (the authors' three-modality code uses 7)")]
    public double? ScoreExponentCap { get; init; }

    [Option("score_floor_prob", "floor of the true-class probability in the scores")]
    public double ScoreFloorProb { get; init; } = 1e-8;

    [Option("clip_norm", "gradient-norm clip", Default = "1, or 5 under variant=balancebenchmark")]
    public double? ClipNorm { get; init; }

    [Option("variant", "whose implementation runs (BalanceBenchmark flips the coefficient, ignores the window and modulates every non-1-D encoder parameter)")]
    public BaselineVariant Variant { get; init; } = BaselineVariant.Authors;
}
