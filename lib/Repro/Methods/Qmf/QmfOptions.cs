namespace Repro.Methods.Qmf;

/// <summary>QMF's options; <c>variant</c> comes last, as the <c>qmf-av</c> and <c>qmf-ti</c> aliases set it.</summary>
public sealed record QmfOptions : MethodOptions
{
    [Option("rank_weight", "weight of the confidence-ranking loss", Default = "0.1 for mla-av, 1 for text-image")]
    public double? RankWeight { get; init; }

    [Option("gradient_accumulation_steps", "text-image only: the optimizer steps every k batches (the authors use 24 at batch 32)", Min = 1, Source = "QingyangZhang/QMF@fe6c4c6 train_qmf.py")]
    public int GradientAccumulationSteps { get; init; } = 1;

    [Option("dynamic_fusion", "fuse with the energy confidences; false fuses with weights 1 (the ranking loss still trains them)", Source = "the authors' --df")]
    public bool DynamicFusion { get; init; } = true;

    [Option("variant", "which QMF runs")]
    public QmfVariant Variant { get; init; } = QmfVariant.Auto;
}

public enum QmfVariant
{
    [Choice("auto", "text-image on text and image data, mla-av otherwise")]
    Auto,
    [Choice("mla-av", "MLA's audio-visual QMF (MLA main.py 239-268): CE(fused) + sum CE_m + 0.1 sum rank_m")]
    MlaAv,
    [Choice("text-image", "the authors' code (train_qmf.py 168-271): CE_t + CE_i + CE(fused) + rank_t + rank_i, gradient accumulation")]
    TextImage,
}
