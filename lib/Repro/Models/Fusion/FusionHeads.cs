namespace Repro.Models.Fusion;

/// <summary>The OGM-GE fusion heads by name, as the joint baselines of MLA's and DGL's tables use them.</summary>
public static class FusionHeads
{
    public static readonly string[] Names = ["concat", "sum", "film", "gated", "late"];

    /// <param name="steering">FiLM: the conditioning modality; gated: the gating modality (default: the first).</param>
    public static FusionHead Create(string name, IReadOnlyList<string> modalities, int featureDim, int numClasses, string? steering = null) => name switch
    {
        "concat" => new ConcatFusion(modalities, featureDim, numClasses),
        "sum" => new SumFusion(modalities, featureDim, numClasses),
        "film" => new FilmFusion(modalities, featureDim, numClasses, steering),
        "gated" => new GatedFusion(modalities, featureDim, numClasses, steering),
        "late" => new LateFusion(modalities, featureDim, numClasses),
        _ => throw new ArgumentException($"Unknown fusion head '{name}'; known: {string.Join(", ", Names)}."),
    };
}
