using Repro.Training;

namespace Repro.Experiments;

/// <summary>A finished run as stored in its folder's run.json.</summary>
public sealed record RunResult
{
    public required string Key { get; init; }
    public required string Method { get; init; }
    public required System.Text.Json.Nodes.JsonObject Spec { get; init; }
    public required int SelectedEpoch { get; init; }
    public required Selection Selection { get; init; }
    /// <summary>Test metrics at the selected epoch.</summary>
    public required Dictionary<string, double> Test { get; init; }
    public Dictionary<string, double>? Validation { get; init; }
    public required List<EpochRecord> History { get; init; }
    public double WallSeconds { get; init; }
    public int DroppedExamples { get; init; }
    public string Machine { get; init; } = "";
    public string StartedUtc { get; init; } = "";
}
