namespace Repro.Models.Transformers;

/// <summary>HF ASTConfig: the transformer sizes and the spectrogram patching (16x16 patches, stride 10 in both axes).</summary>
public sealed record AstConfig
{
    public TransformerConfig Transformer { get; init; } = new() { LayerNormEps = 1e-12 };
    public int MelBins { get; init; } = 128;
    public int MaxFrames { get; init; } = 1024;
    public int PatchSize { get; init; } = 16;
    public int FrequencyStride { get; init; } = 10;
    public int TimeStride { get; init; } = 10;

    public int FrequencyPatches => (MelBins - PatchSize) / FrequencyStride + 1;
    public int TimePatches => (MaxFrames - PatchSize) / TimeStride + 1;
    public int Patches => FrequencyPatches * TimePatches;

    /// <summary>MIT/ast-finetuned-audioset-10-10-0.4593: 768 wide, 12 layers, 1024 frames x 128 mel bins, strides 10, 1212 patches.</summary>
    public static AstConfig AudioSet { get; } = new();

    public static AstConfig Tiny(int frames, int melBins, int patchSize, int stride, int hidden = 32, int layers = 2, int heads = 2) => new()
    {
        Transformer = new TransformerConfig { HiddenSize = hidden, Layers = layers, Heads = heads, IntermediateSize = 4 * hidden, LayerNormEps = 1e-12 },
        MaxFrames = frames, MelBins = melBins, PatchSize = patchSize, FrequencyStride = stride, TimeStride = stride,
    };

    public void Validate()
    {
        Transformer.Validate("AST");
        if (PatchSize <= 0 || FrequencyStride <= 0 || TimeStride <= 0 || MelBins < PatchSize || MaxFrames < PatchSize)
            throw new ArgumentException($"AST: the spectrogram ({MaxFrames} frames x {MelBins} bins) must hold at least one {PatchSize}x{PatchSize} patch, strides positive.");
    }
}
