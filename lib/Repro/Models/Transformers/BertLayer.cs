using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>HF BertLayer (post-LN): a = attention(x); LayerNorm(a + output.dense(GELU(intermediate.dense(a)))).</summary>
public sealed class BertLayer : nn.Module
{
    BertAttention attention;
    Dense intermediate;
    BertAddNorm output;

    public BertLayer(TransformerConfig c, Device? device = null) : base(nameof(BertLayer))
    {
        attention = new BertAttention(c, device);
        intermediate = new Dense(c.HiddenSize, c.IntermediateSize, Activation.Gelu, 0, device);
        output = new BertAddNorm(c.IntermediateSize, c, device);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor? additiveMask)
    {
        using var scope = NewDisposeScope();
        var a = attention.forward(x, additiveMask);
        return output.forward(intermediate.call(a), a).MoveToOuterDisposeScope();
    }
}
