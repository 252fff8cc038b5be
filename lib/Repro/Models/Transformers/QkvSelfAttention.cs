using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>
/// HF's BertSelfAttention / ViTSelfAttention / ASTSelfAttention: Linear layers <c>query</c>, <c>key</c>, <c>value</c>
/// and multi-head attention; the output projection lives in the caller's <c>output.dense</c>.
/// </summary>
public sealed class QkvSelfAttention : nn.Module
{
    nn.Module<Tensor, Tensor> query;
    nn.Module<Tensor, Tensor> key;
    nn.Module<Tensor, Tensor> value;
    readonly int _heads;
    readonly double _dropout;

    public QkvSelfAttention(TransformerConfig c, Device? device = null) : base(nameof(QkvSelfAttention))
    {
        query = nn.Linear(c.HiddenSize, c.HiddenSize, device: device);
        key = nn.Linear(c.HiddenSize, c.HiddenSize, device: device);
        value = nn.Linear(c.HiddenSize, c.HiddenSize, device: device);
        _heads = c.Heads;
        _dropout = c.AttentionDropout;
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor? additiveMask) =>
        MultiHeadAttention.Compute(query.call(x), key.call(x), value.call(x), _heads, additiveMask, _dropout, training);
}
