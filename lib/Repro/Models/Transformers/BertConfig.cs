namespace Repro.Models.Transformers;

/// <summary>HF BertConfig: the transformer sizes and the embedding tables.</summary>
public sealed record BertConfig
{
    public TransformerConfig Transformer { get; init; } = new() { LayerNormEps = 1e-12, HiddenDropout = 0.1, AttentionDropout = 0.1 };
    public int VocabSize { get; init; } = 30522;
    public int MaxPositions { get; init; } = 512;
    public int TypeVocabSize { get; init; } = 2;

    /// <summary>bert-base-uncased: 768 wide, 12 layers, 12 heads, 3072 intermediate, eps 1e-12, dropout 0.1.</summary>
    public static BertConfig BaseUncased { get; } = new();

    public static BertConfig Tiny(int vocabSize, int maxPositions, int hidden = 32, int layers = 2, int heads = 2) => new()
    {
        Transformer = new TransformerConfig
        {
            HiddenSize = hidden, Layers = layers, Heads = heads, IntermediateSize = 4 * hidden, LayerNormEps = 1e-12,
            HiddenDropout = 0.1, AttentionDropout = 0.1,
        },
        VocabSize = vocabSize, MaxPositions = maxPositions,
    };

    public void Validate()
    {
        Transformer.Validate("BERT");
        if (VocabSize <= 0 || MaxPositions <= 0 || TypeVocabSize <= 0)
            throw new ArgumentException($"BERT: vocabulary, positions and token types must be positive (got {VocabSize}, {MaxPositions}, {TypeVocabSize}).");
    }
}
