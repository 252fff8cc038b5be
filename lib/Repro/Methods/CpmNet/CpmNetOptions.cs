namespace Repro.Methods.CpmNet;

/// <summary>CPM-Net's options (published grids: lsd 128, 150, 256, 512; lambda 1, 10; test epochs 20, 30, 100, 300).</summary>
public sealed record CpmNetOptions : MethodOptions
{
    [Option("lsd", "size of the per-sample latent code", Min = 1)]
    public int Lsd { get; init; } = 128;

    [Option("lambda", "weight of the classification loss on the codes", Min = 0)]
    public double Lambda { get; init; } = 10;

    [Option("test_epochs", "epochs of test-time code optimisation", Min = 1)]
    public int TestEpochs { get; init; } = 20;

    [Option("h_lr", "learning rate of the codes", Min = 0)]
    public double HLr { get; init; } = 0.01;
}
