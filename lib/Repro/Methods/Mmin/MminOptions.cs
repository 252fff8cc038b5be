namespace Repro.Methods.Mmin;

/// <summary>MMIN's options (GCNet's README example).</summary>
public sealed record MminOptions : TeacherStudentOptions
{
    [Option("ae_layers", "the imagination autoencoder's hidden sizes")]
    public IReadOnlyList<int> AeLayers { get; init; } = [256, 128, 64];

    [Option("n_blocks", "residual autoencoder blocks", Min = 1)]
    public int NBlocks { get; init; } = 5;

    [Option("mse_weight", "weight of the imagination (forward) loss", Min = 0)]
    public double MseWeight { get; init; } = 4;

    [Option("cycle_weight", "weight of the cycle (backward) loss", Min = 0)]
    public double CycleWeight { get; init; } = 2;
}

/// <summary>IF-MMIN's options (CAP_IFMMIN.sh and IFMMIN_model.py defaults).</summary>
public sealed record IfMminOptions : TeacherStudentOptions
{
    [Option("ae_layers", "the imagination autoencoder's hidden sizes")]
    public IReadOnlyList<int> AeLayers { get; init; } = [256, 128, 64];

    [Option("n_blocks", "residual autoencoder blocks", Min = 1)]
    public int NBlocks { get; init; } = 5;

    [Option("mse_weight", "weight of the imagination loss", Min = 0)]
    public double MseWeight { get; init; } = 1;

    [Option("invariant_weight", "weight of the invariant-feature loss", Min = 0)]
    public double InvariantWeight { get; init; } = 1;

    [Option("cmd_weight", "weight of the CMD loss of the teacher", Min = 0)]
    public double CmdWeight { get; init; } = 1;
}
