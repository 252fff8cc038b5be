namespace Repro.Methods.Pmr;

/// <summary>PMR's options: the authors' argparse defaults (main_Prototype_grad.py:34-49).</summary>
public sealed record PmrOptions : FusionOptions
{
    [Option("alpha", "weight of the prototypical cross-entropy of the slower modality", Source = "main_Prototype_grad.py (the authors' CREMA-D concat runs use 2.0)")]
    public double Alpha { get; init; } = 1;

    [Option("momentum_coef", "blend of the previous prototypes into the new ones", Min = 0, Max = 1, Source = "argparse default; every authors' run uses 0.0")]
    public double MomentumCoef { get; init; } = 0.2;

    [Option("modulation_starts", "first epoch (0-based, inclusive) of the modulation window", Min = 0)]
    public int ModulationStarts { get; init; }

    [Option("modulation_ends", "last epoch (0-based, inclusive) of the modulation window", Min = 0, Source = "argparse default; CREMA-D concat runs use 70")]
    public int ModulationEnds { get; init; } = 100;

    [Option("proto_batches", "batches the prototypes are computed from; 0 = max(1, floor(batches/10))", Min = 0)]
    public int ProtoBatches { get; init; }

    [Option("eta", "three or more modalities: the gradient coefficient 1 - tanh(eta * ratio) (BalanceBenchmark's generalisation)")]
    public double Eta { get; init; } = 0.01;

    [Option("entropy_weight", "the paper's prototype entropy regularisation of the dominant modality (not in the released code; 0 = off; two modalities)", Min = 0)]
    public double EntropyWeight { get; init; }

    [Option("entropy_ends", "last epoch (0-based) of the entropy regularisation")]
    public int EntropyEnds { get; init; } = 20;

    [Option("variant", "whose implementation runs (BalanceBenchmark blends the prototypes from the first epoch on)", Source = "BalanceBenchmark PMR_trainer.py:65, 241-250")]
    public BaselineVariant Variant { get; init; } = BaselineVariant.Authors;
}
