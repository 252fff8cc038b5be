namespace Repro.Data;

/// <summary>
/// A split whose listed examples were all dropped (their files missing); carries the split's coverage and its listing
/// so that the caller can say how much is missing per split, and which.
/// </summary>
public sealed class EmptySplitException(string message, SplitCoverage coverage, ListCoverage listing) : IOException(message)
{
    public SplitCoverage Coverage { get; } = coverage;
    public ListCoverage Listing { get; } = listing;

    /// <summary>The error of a split with no usable example: this one when examples were dropped, an <see cref="InvalidDataException"/> for an empty list.</summary>
    public static Exception For(string message, string split, ListCoverage listing, IReadOnlyList<string> classNames) =>
        listing.Dropped.Count > 0 ? new EmptySplitException(message, listing.Summary(split, classNames), listing) : new InvalidDataException(message);
}
