namespace Repro.Methods;

/// <summary>Whose implementation of a baseline runs: its authors' code (the default for baselines) or BalanceBenchmark's.</summary>
public enum BaselineVariant
{
    [Choice("authors", "the authors' released code")]
    Authors,
    [Choice("balancebenchmark", "BalanceBenchmark's implementation (GeWu-Lab/BalanceBenchmark@4c1482f)")]
    BalanceBenchmark,
}
