namespace Repro.Methods.Tate;

/// <summary>TATE's options (the released code's values).</summary>
public sealed record TateOptions : TeacherStudentOptions
{
    [Option("att_dim", "width of the attention tokens", Min = 1)]
    public int AttDim { get; init; } = 300;

    [Option("heads", "attention heads", Min = 1)]
    public int Heads { get; init; } = 4;

    [Option("kl_weight", "weight of the KL term to the frozen teacher", Min = 0)]
    public double KlWeight { get; init; } = 0.1;

    [Option("decoder_weight", "weight of the decoder's reconstruction loss", Min = 0)]
    public double DecoderWeight { get; init; } = 0.1;

    [Option("tag_weight", "weight of the tag loss", Min = 0)]
    public double TagWeight { get; init; } = 0.1;

    [Option("tags", "the tag appended to every token")]
    public TateTags Tags { get; init; } = TateTags.Missing;

    [Option("teacher_input", "what the teacher encodes")]
    public TateTeacherInput TeacherInput { get; init; } = TateTeacherInput.Complete;
}

public enum TateTags
{
    [Choice("missing", "which modalities the sample misses")]
    Missing,
    [Choice("constant", "(0, 0, 0, 1) for every sample, what the released code does (network.py:92-98 compares a TF1 placeholder by identity)")]
    Constant,
}

public enum TateTeacherInput
{
    [Choice("complete", "the complete utterance: the distillation the paper describes")]
    Complete,
    [Choice("masked", "the same masked batch and tags as the student (train.py)")]
    Masked,
}
