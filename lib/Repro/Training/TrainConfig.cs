
namespace Repro.Training;

/// <summary>How models are selected across epochs.</summary>
public enum Selection
{
    /// <summary>The epoch with the best validation score (a split carved from training data); the kit's default.</summary>
    Validation,
    /// <summary>The epoch with the best test score, what every official repository does; reported as such.</summary>
    TestBest,
    /// <summary>The last epoch.</summary>
    Last,
}

/// <summary>Optimisation and loop settings of one training run, as data.</summary>
public sealed record TrainConfig
{
    public int Epochs { get; init; } = 100;
    public int BatchSize { get; init; } = 64;
    public string Optimizer { get; init; } = "sgd";
    public LrSchedule Lr { get; init; } = LrSchedule.Step(1e-3, 70, 0.1);
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 1e-4;
    public ulong Seed { get; init; }
    public Selection Selection { get; init; } = Selection.Validation;
    public GradReset GradReset { get; init; } = GradReset.SetToNone;
    public bool ShuffleTrain { get; init; } = true;
    public bool DropLastTrain { get; init; }
    public bool DropLastEval { get; init; }
    /// <summary>Evaluate the test split every epoch (needed by test-best selection and per-epoch curves).</summary>
    public bool EvaluateTestEachEpoch { get; init; } = true;
}
