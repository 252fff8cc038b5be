using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>HF BertAttention: <c>self</c> (query, key, value) and <c>output</c> (dense, LayerNorm, post-LN residual).</summary>
public sealed class BertAttention : nn.Module
{
    QkvSelfAttention self;
    BertAddNorm output;

    public BertAttention(TransformerConfig c, Device? device = null) : base(nameof(BertAttention))
    {
        self = new QkvSelfAttention(c, device);
        output = new BertAddNorm(c.HiddenSize, c, device);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor? additiveMask) => output.forward(self.forward(x, additiveMask), x);
}
