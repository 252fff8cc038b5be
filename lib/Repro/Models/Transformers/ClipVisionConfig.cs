namespace Repro.Models.Transformers;

/// <summary>HF CLIPVisionConfig: the transformer sizes, image size and patch size.</summary>
public sealed record ClipVisionConfig
{
    public TransformerConfig Transformer { get; init; } = new() { LayerNormEps = 1e-5 };
    public int ImageSize { get; init; } = 224;
    public int PatchSize { get; init; } = 16;
    public int Channels { get; init; } = 3;

    public int Patches => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>openai/clip-vit-base-patch16's vision tower: 768 wide, 12 layers, 12 heads, 3072 MLP, eps 1e-5, dropout 0.</summary>
    public static ClipVisionConfig VitB16 { get; } = new();

    public static ClipVisionConfig Tiny(int imageSize, int patchSize, int hidden = 32, int layers = 2, int heads = 2) => new()
    {
        Transformer = new TransformerConfig { HiddenSize = hidden, Layers = layers, Heads = heads, IntermediateSize = 4 * hidden, LayerNormEps = 1e-5 },
        ImageSize = imageSize, PatchSize = patchSize,
    };

    public void Validate()
    {
        Transformer.Validate("CLIP vision");
        if (PatchSize <= 0 || ImageSize < PatchSize || ImageSize % PatchSize != 0)
            throw new ArgumentException($"CLIP vision: image size {ImageSize} must be a positive multiple of the patch size {PatchSize}.");
    }
}
