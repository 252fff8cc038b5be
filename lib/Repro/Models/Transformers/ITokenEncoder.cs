using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>
/// A transformer encoder split where U2A needs to reach in: the frozen embedding layer, the blocks with the final norm,
/// and the model's own pooling. Tokens may be appended between <see cref="Embed"/> and <see cref="Encode"/>.
/// </summary>
public interface ITokenEncoder
{
    int HiddenSize { get; }

    /// <summary>Embedded tokens (B, N, d), the model's special tokens first, and a keep-mask (B, N) of real tokens, or null when all are real.</summary>
    (Tensor Tokens, Tensor? Keep) Embed(Tensor input);

    /// <summary>The blocks and the final norm over (B, N, d) tokens: (B, N, d).</summary>
    Tensor Encode(Tensor tokens, Tensor? keep);

    /// <summary>The model's summary of encoded tokens (B, d): the CLS token, or AST's mean of its CLS and distillation tokens.</summary>
    Tensor Pool(Tensor hidden);

    /// <summary>Linear layers a LoRA adapter goes on: qualified-name suffixes of the query, key, value and output projections.</summary>
    IReadOnlyList<string> AttentionProjections { get; }
}
