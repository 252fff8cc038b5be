namespace Repro.Models.Transformers;

/// <summary>
/// The sizes every encoder of this folder shares (HF transformers' hidden_size, num_hidden_layers, num_attention_heads,
/// intermediate_size, layer_norm_eps, hidden and attention dropout). Any size builds, so tests use tiny ones.
/// </summary>
public sealed record TransformerConfig
{
    public int HiddenSize { get; init; } = 768;
    public int Layers { get; init; } = 12;
    public int Heads { get; init; } = 12;
    public int IntermediateSize { get; init; } = 3072;
    public double LayerNormEps { get; init; } = 1e-12;
    public double HiddenDropout { get; init; }
    public double AttentionDropout { get; init; }

    public void Validate(string model)
    {
        if (HiddenSize <= 0 || Layers <= 0 || Heads <= 0 || IntermediateSize <= 0)
            throw new ArgumentException($"{model}: hidden size, layers, heads and intermediate size must be positive (got {this}).");
        if (HiddenSize % Heads != 0)
            throw new ArgumentException($"{model}: hidden size {HiddenSize} is not divisible by {Heads} heads.");
    }
}
