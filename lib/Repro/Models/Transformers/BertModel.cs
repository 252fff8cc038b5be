using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>
/// BERT (HF BertModel with its pooler; in bert-base-uncased's checkpoint the names sit under <c>bert.</c>, with the
/// legacy LayerNorm names gamma/beta that <see cref="PublishedCheckpoints.Bert"/> renames): post-LN blocks, exact GELU,
/// LayerNorm eps 1e-12. Input (B, L) int64 ids with [PAD] = 0 masked out of attention. forward gives the last layer's
/// CLS token (B, d); <see cref="PoolerOutput"/> gives HF's pooler_output, tanh(pooler.dense(CLS)).
/// </summary>
public sealed class BertModel : nn.Module<Tensor, Tensor>, ITokenEncoder
{
    BertEmbeddings embeddings;
    BertEncoder encoder;
    Dense pooler;

    public BertModel(BertConfig c, Device? device = null) : base(nameof(BertModel))
    {
        c.Validate();
        Config = c;
        embeddings = new BertEmbeddings(c, device);
        encoder = new BertEncoder(c.Transformer, device);
        pooler = new Dense(c.Transformer.HiddenSize, c.Transformer.HiddenSize, Activation.Tanh, 0, device);
        RegisterComponents();
    }

    public BertConfig Config { get; }
    public int HiddenSize => Config.Transformer.HiddenSize;

    public IReadOnlyList<string> AttentionProjections { get; } =
        ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"];

    public (Tensor Tokens, Tensor? Keep) Embed(Tensor ids) => (embeddings.call(ids), ids.ne(0));

    public Tensor Encode(Tensor tokens, Tensor? keep)
    {
        using var scope = NewDisposeScope();
        var mask = keep is null ? null : MultiHeadAttention.AdditiveMask(keep, tokens.dtype);
        return encoder.forward(tokens, mask).MoveToOuterDisposeScope();
    }

    public Tensor Pool(Tensor hidden) => hidden.select(1, 0);

    public Tensor PoolerOutput(Tensor hidden) => pooler.call(hidden.select(1, 0));

    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var (tokens, keep) = Embed(ids);
        return Pool(Encode(tokens, keep)).MoveToOuterDisposeScope();
    }
}
