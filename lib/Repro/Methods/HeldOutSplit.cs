namespace Repro.Methods;

/// <summary>Which split a method that measures on held-out data during training reads (D&amp;R's diagnosis, G-Blending's estimate).</summary>
public enum HeldOutSplit
{
    [Choice("validation", "the run's validation split, carved from the training data")]
    Validation,
    [Choice("test", "the test split, as BalanceBenchmark does; the method then depends on test labels, so test accuracy is no longer an unbiased estimate")]
    Test,
}
