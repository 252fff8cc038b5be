namespace Repro.Data;

/// <summary>
/// A split whose listed examples were all dropped (their files missing); carries the split's coverage so that the caller
/// can say how much is missing per split.
/// </summary>
public sealed class EmptySplitException(string message, SplitCoverage coverage) : IOException(message)
{
    public SplitCoverage Coverage { get; } = coverage;

    /// <summary>The error of a split with no usable example: this one when examples were dropped, an <see cref="InvalidDataException"/> for an empty list.</summary>
    public static Exception For(string message, SplitCoverage coverage) =>
        coverage.Dropped > 0 ? new EmptySplitException(message, coverage) : new InvalidDataException(message);
}
