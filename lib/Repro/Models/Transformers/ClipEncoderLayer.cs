using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>HF CLIPEncoderLayer, pre-LN: x + self_attn(layer_norm1(x)), then x + mlp(layer_norm2(x)).</summary>
public sealed class ClipEncoderLayer : nn.Module
{
    ClipAttention self_attn;
    LayerNorm layer_norm1;
    ClipMlp mlp;
    LayerNorm layer_norm2;

    public ClipEncoderLayer(TransformerConfig c, Device? device = null) : base(nameof(ClipEncoderLayer))
    {
        self_attn = new ClipAttention(c, device);
        layer_norm1 = nn.LayerNorm(c.HiddenSize, eps: c.LayerNormEps, device: device);
        mlp = new ClipMlp(c, device);
        layer_norm2 = nn.LayerNorm(c.HiddenSize, eps: c.LayerNormEps, device: device);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor? additiveMask)
    {
        using var scope = NewDisposeScope();
        x = x + self_attn.forward(layer_norm1.call(x), additiveMask);
        x = x + mlp.call(layer_norm2.call(x));
        return x.MoveToOuterDisposeScope();
    }
}
