namespace Repro.Methods.Unimodal;

/// <summary>The unimodal model's options.</summary>
public sealed record UnimodalOptions : MethodOptions
{
    [Option("modality", "the modality trained alone", Default = "the dataset's first modality")]
    public string? Modality { get; init; }
}
