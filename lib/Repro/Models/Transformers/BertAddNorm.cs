using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>HF BertSelfOutput and BertOutput (post-LN): LayerNorm(dropout(dense(h)) + residual).</summary>
public sealed class BertAddNorm : nn.Module
{
    nn.Module<Tensor, Tensor> dense;
    LayerNorm LayerNorm;
    readonly double _dropout;

    public BertAddNorm(long inFeatures, TransformerConfig c, Device? device = null) : base(nameof(BertAddNorm))
    {
        dense = nn.Linear(inFeatures, c.HiddenSize, device: device);
        LayerNorm = nn.LayerNorm(c.HiddenSize, eps: c.LayerNormEps, device: device);
        _dropout = c.HiddenDropout;
        RegisterComponents();
    }

    public Tensor forward(Tensor h, Tensor residual)
    {
        var y = dense.call(h);
        if (_dropout > 0) y = nn.functional.dropout(y, _dropout, training);
        return LayerNorm.call(y + residual);
    }
}
