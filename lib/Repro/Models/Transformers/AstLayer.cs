using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>
/// HF ASTLayer (ViT's pre-LN block): x + attention(layernorm_before(x)), then
/// x + output.dense(GELU(intermediate.dense(layernorm_after(x)))).
/// </summary>
public sealed class AstLayer : nn.Module
{
    AstAttention attention;
    Dense intermediate;
    Dense output;
    LayerNorm layernorm_before;
    LayerNorm layernorm_after;

    public AstLayer(TransformerConfig c, Device? device = null) : base(nameof(AstLayer))
    {
        attention = new AstAttention(c, device);
        intermediate = new Dense(c.HiddenSize, c.IntermediateSize, Activation.Gelu, 0, device);
        output = new Dense(c.IntermediateSize, c.HiddenSize, Activation.None, c.HiddenDropout, device);
        layernorm_before = nn.LayerNorm(c.HiddenSize, eps: c.LayerNormEps, device: device);
        layernorm_after = nn.LayerNorm(c.HiddenSize, eps: c.LayerNormEps, device: device);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor? additiveMask)
    {
        using var scope = NewDisposeScope();
        x = x + attention.forward(layernorm_before.call(x), additiveMask);
        x = x + output.call(intermediate.call(layernorm_after.call(x)));
        return x.MoveToOuterDisposeScope();
    }
}
