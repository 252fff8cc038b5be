namespace Repro.Methods.DiagnosingRelearning;

/// <summary>D&amp;R's options: the authors' CREMA-D script (code/script/ours.sh, ours.py:28-59).</summary>
public sealed record DrOptions : FusionOptions
{
    [Option("move_lambda", "strength of the soft re-initialisation")]
    public double MoveLambda { get; init; } = 3;

    [Option("reinit_epoch", "the diagnosis and re-initialisation run every this many epochs", Min = 1, Source = "ours.sh (BalanceBenchmark: 15)")]
    public int ReinitEpoch { get; init; } = 20;

    [Option("reinit_num", "how many times the encoders are re-initialised", Min = 0, Source = "ours.sh (BalanceBenchmark: 2)")]
    public int ReinitNum { get; init; } = 3;

    [Option("held_out", "the split the diagnosis measures purity on", Source = "ours.py:353-356 (validation); BalanceBenchmark ReLearning_trainer.py:196-199 (test)")]
    public HeldOutSplit HeldOut { get; init; } = HeldOutSplit.Validation;

    [Option("kmeans_seed", "seed of the k-means clustering (the kit's implementation of scikit-learn's algorithm)")]
    public int KmeansSeed { get; init; }

    [Option("kmeans_n_init", "k-means restarts", Min = 1, Source = "scikit-learn 1.2 default")]
    public int KmeansNInit { get; init; } = 10;
}
