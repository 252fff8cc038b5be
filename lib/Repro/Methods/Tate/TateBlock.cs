using Repro.Models.Transformers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Methods.Tate;

/// <summary>
/// The transformer block TATE builds from Kyubyong Park's modules (JaydenZeng/TATE module.py multihead_attention + ff;
/// docs/missing-modality.md#tate): Q, K, V = bias-free Linear(d, d); heads split, softmax(Q K' / sqrt(d/h)) with keys
/// whose token is all zeros masked out and queries whose token is all zeros given no output; dropout on the attention
/// weights; heads concatenated with NO output projection; y = LN(attn + x); then LN(y + Linear(relu(Linear(y, 4d)), d)).
/// Layer norms with eps 1e-8 as the reference. Input and output (B, T, d).
/// </summary>
public sealed class TateBlock : Module<Tensor, Tensor>
{
    readonly Linear q, k, v, ff_inner, ff_outer;
    readonly LayerNorm ln_attention, ln_ff;
    readonly int _heads;
    readonly double _dropout;

    public TateBlock(int dim, int heads = 4, double dropout = 0.2) : base(nameof(TateBlock))
    {
        if (dim % heads != 0) throw new ArgumentException($"TateBlock: the width {dim} is not divisible by {heads} heads.");
        q = Linear(dim, dim, hasBias: false);
        k = Linear(dim, dim, hasBias: false);
        v = Linear(dim, dim, hasBias: false);
        ff_inner = Linear(dim, 4 * dim);
        ff_outer = Linear(4 * dim, dim);
        ln_attention = LayerNorm(dim, eps: 1e-8);
        ln_ff = LayerNorm(dim, eps: 1e-8);
        _heads = heads;
        _dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var real = x.abs().sum(-1).ne(0);
        var attention = MultiHeadAttention.Compute(q.call(x), k.call(x), v.call(x), _heads,
            MultiHeadAttention.AdditiveMask(real, x.dtype), _dropout, training) * real.unsqueeze(-1).to_type(x.dtype);
        var y = ln_attention.call(attention + x);
        return ln_ff.call(y + ff_outer.call(functional.relu(ff_inner.call(y))));
    }
}
