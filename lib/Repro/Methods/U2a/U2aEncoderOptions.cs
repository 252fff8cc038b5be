namespace Repro.Methods.U2a;

/// <summary>The size of U2A's encoders as options, shared by <c>u2a</c> and <c>u2a-pretrain</c> (<see cref="U2aEncoderSize"/>).</summary>
public abstract record U2aEncoderOptions : MethodOptions
{
    [Option("encoders", "the encoders' size")]
    public U2aEncoders Encoders { get; init; } = U2aEncoders.Tiny;

    [Option("hidden", "tiny encoders: width", Min = 1)]
    public int Hidden { get; init; } = 32;

    [Option("layers", "tiny encoders: depth", Min = 1)]
    public int Layers { get; init; } = 2;

    [Option("heads", "tiny encoders: attention heads", Min = 1)]
    public int Heads { get; init; } = 2;

    [Option("image_patch", "tiny encoders: image patch size (ViT-B/16: 16)", Min = 1)]
    public int ImagePatch { get; init; } = 8;

    [Option("audio_patch", "tiny encoders: spectrogram patch size (AST: 16)", Min = 1)]
    public int AudioPatch { get; init; } = 8;

    [Option("audio_stride", "tiny encoders: spectrogram patch stride (AST: 10)", Min = 1)]
    public int AudioStride { get; init; } = 8;

    [Option("vocab", "tiny encoders: BERT vocabulary size", Min = 1, Source = "bert-base-uncased: 30522")]
    public int Vocab { get; init; } = 30522;

    /// <summary>The encoders' size these options give.</summary>
    public U2aEncoderSize EncoderSize => Encoders == U2aEncoders.Paper ? U2aEncoderSize.Paper : new U2aEncoderSize
    {
        Hidden = Hidden, Layers = Layers, Heads = Heads, ImagePatch = ImagePatch, AudioPatch = AudioPatch, AudioStride = AudioStride, Vocabulary = Vocab,
    };
}

public enum U2aEncoders
{
    [Choice("tiny", "small transformers of the same classes (the size options below), for tests and the CPU profiles")]
    Tiny,
    [Choice("paper", "CLIP ViT-B/16, BERT-base and AudioSet AST: the only size the published checkpoints load into")]
    Paper,
}
