namespace Repro.Methods.Cca;

/// <summary>CCA's options (GCNet suite).</summary>
public sealed record CcaOptions : MethodOptions
{
    [Option("k", "canonical components per pair of views", Min = 1, Source = "GCNet README example (grid 2..20)")]
    public int K { get; init; } = 2;

    [Option("svm_c", "the linear SVM's C", Min = 0)]
    public double SvmC { get; init; } = 0.01;
}

/// <summary>DCCA's options (dcca.py's defaults).</summary>
public record DccaOptions : MethodOptions
{
    [Option("k", "output size of each view network", Min = 1, Source = "dcca.py (grid 2..20)")]
    public int K { get; init; } = 10;

    [Option("hidden", "hidden width of each view network", Min = 1, Source = "dcca.py (grid 256, 512, 1024)")]
    public int Hidden { get; init; } = 1024;

    [Option("svm_c", "the linear SVM's C", Min = 0)]
    public double SvmC { get; init; } = 0.01;

    [Option("lr", "the networks' learning rate", Min = 0)]
    public double Lr { get; init; } = 1e-3;

    [Option("weight_decay", "the networks' weight decay", Min = 0)]
    public double WeightDecay { get; init; } = 1e-4;

    [Option("batch_size", "batch of the correlation objective (it needs covariances)", Min = 2)]
    public int BatchSize { get; init; } = 1024;

    [Option("text_via_visual", "the text view goes through the visual network (and decoder): the reference's slip", Source = "dcca.py:133, dccae.py:141,145")]
    public bool TextViaVisual { get; init; }
}

/// <summary>DCCAE's options: DCCA's plus the decoders' reconstruction weight.</summary>
public sealed record DccaeOptions : DccaOptions
{
    [Option("recon_weight", "weight of the per-view reconstruction loss", Min = 0, Source = "dccae.py")]
    public double ReconWeight { get; init; } = 0.001;
}
