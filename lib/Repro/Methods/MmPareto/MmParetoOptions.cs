namespace Repro.Methods.MmPareto;

/// <summary>MMPareto's options: the authors' code (MMPareto.py) by default.</summary>
public sealed record MmParetoOptions : FusionOptions
{
    [Option("gamma", "the rescale exponent of the integrated gradient", Source = "MMPareto.py")]
    public double Gamma { get; init; } = 1.5;

    [Option("lr_schedule", "which learning rate the steps use", Default = "constant under variant=authors, run under balancebenchmark")]
    public MmParetoLrSchedule? LrSchedule { get; init; }

    [Option("variant", "whose implementation runs (BalanceBenchmark takes the unimodal logits from the fused head)", Source = "BalanceBenchmark MMPareto_trainer.py:347-399")]
    public BaselineVariant Variant { get; init; } = BaselineVariant.Authors;
}

public enum MmParetoLrSchedule
{
    [Choice("constant", "every step at the run's initial rate: the official StepLR(30, 0.1) is created but never stepped (MMPareto.py:301)")]
    Constant,
    [Choice("run", "the run's schedule")]
    Run,
}
