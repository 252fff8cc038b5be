namespace Repro.Data.Mosi;

/// <summary>How MOSI's sentiment score in [-3, 3] becomes the binary label (docs/datasets.md#mosi-mult).</summary>
public enum MosiLabelRule
{
    /// <summary>Score &gt; 0 positive, otherwise negative (MulT's eval_metrics.py: a score of exactly 0 is negative).</summary>
    Positive,
    /// <summary>Score &gt;= 0 positive (MMSA's "Has0" binary accuracy).</summary>
    NonNegative,
}
