using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>
/// HF BertEmbeddings: LayerNorm(word_embeddings[ids] + position_embeddings[0..L) + token_type_embeddings[0]), dropout.
/// Input (B, L) int64 WordPiece ids -> (B, L, d). Every token is of type 0 (one segment).
/// </summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor>
{
    Embedding word_embeddings;
    Embedding position_embeddings;
    Embedding token_type_embeddings;
    LayerNorm LayerNorm;
    readonly BertConfig _c;

    public BertEmbeddings(BertConfig c, Device? device = null) : base(nameof(BertEmbeddings))
    {
        long d = c.Transformer.HiddenSize;
        word_embeddings = nn.Embedding(c.VocabSize, d, padding_idx: 0, device: device);
        position_embeddings = nn.Embedding(c.MaxPositions, d, device: device);
        token_type_embeddings = nn.Embedding(c.TypeVocabSize, d, device: device);
        LayerNorm = nn.LayerNorm(d, eps: c.Transformer.LayerNormEps, device: device);
        _c = c;
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        if (ids.dim() != 2 || ids.dtype != ScalarType.Int64)
            throw new ArgumentException($"BERT expects (B, L) int64 token ids, got ({string.Join(", ", ids.shape)}) {ids.dtype}.");
        if (ids.shape[1] > _c.MaxPositions)
            throw new ArgumentException($"BERT: {ids.shape[1]} tokens exceed the {_c.MaxPositions} position embeddings.");
        using var scope = NewDisposeScope();
        long l = ids.shape[1];
        var positions = arange(l, dtype: ScalarType.Int64, device: ids.device);
        var types = zeros(l, dtype: ScalarType.Int64, device: ids.device);
        var e = word_embeddings.call(ids) + position_embeddings.call(positions) + token_type_embeddings.call(types);
        e = LayerNorm.call(e);
        if (_c.Transformer.HiddenDropout > 0) e = nn.functional.dropout(e, _c.Transformer.HiddenDropout, training);
        return e.MoveToOuterDisposeScope();
    }
}
