namespace Repro.Methods.Ae;

/// <summary>AE's options (GCNet baseline-mmin mmin_AE_model.py; values from its README example and published grid).</summary>
public record AeOptions : FeatureBaselineOptions
{
    [Option("ae_layers", "the autoencoder's hidden sizes", Source = "GCNet README example (grid: 256,128; 256,200,128)")]
    public IReadOnlyList<int> AeLayers { get; init; } = [256, 128];

    [Option("mse_weight", "weight of the reconstruction loss", Min = 0, Source = "GCNet's published grid {.002, .003, .01} (AE), {.01, .02, .03} (CRA)")]
    public double MseWeight { get; init; } = 0.01;
}

/// <summary>CRA's options: AE's, with the cascaded residual autoencoder's blocks and its own reconstruction weight.</summary>
public sealed record CraOptions : AeOptions
{
    public CraOptions() => MseWeight = 0.02;

    [Option("n_blocks", "residual autoencoder blocks", Min = 1, Source = "GCNet README example (grid 2, 3, 5, 6)")]
    public int NBlocks { get; init; } = 2;
}
