namespace Repro.Methods.U2a;

/// <summary>
/// The size of U2A's encoders: <see cref="Published"/> builds the paper's CLIP ViT-B/16, BERT-base and AudioSet AST
/// (only these load the published checkpoints); otherwise every encoder is a small transformer of the same classes with
/// the given width, depth, heads and patching, for tests and the CPU profiles.
/// </summary>
public sealed record U2aEncoderSize
{
    public bool Published { get; init; }
    public int Hidden { get; init; } = 32;
    public int Layers { get; init; } = 2;
    public int Heads { get; init; } = 2;
    /// <summary>Image patch size (the published ViT: 16).</summary>
    public int ImagePatch { get; init; } = 8;
    /// <summary>Spectrogram patch size and stride (the published AST: 16 and 10).</summary>
    public int AudioPatch { get; init; } = 8;
    public int AudioStride { get; init; } = 8;
    /// <summary>BERT vocabulary (bert-base-uncased: 30522) and positions (512).</summary>
    public int Vocabulary { get; init; } = 30522;
    public int MaxPositions { get; init; } = 512;

    public static U2aEncoderSize Paper { get; } = new() { Published = true };
}
