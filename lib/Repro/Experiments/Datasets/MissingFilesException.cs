using Repro.Data;

namespace Repro.Experiments.Datasets;

/// <summary>Listed examples whose files are missing under the default <c>missing-files=error</c>: the message counts them per split.</summary>
public sealed class MissingFilesException(string message, IReadOnlyList<SplitCoverage> coverage) : IOException(message)
{
    public IReadOnlyList<SplitCoverage> Coverage { get; } = coverage;
}
