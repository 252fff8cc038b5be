using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>HF ASTAttention: <c>attention</c> (query, key, value) and <c>output</c> (dense, dropout; the residual is the layer's).</summary>
public sealed class AstAttention : nn.Module
{
    QkvSelfAttention attention;
    Dense output;

    public AstAttention(TransformerConfig c, Device? device = null) : base(nameof(AstAttention))
    {
        attention = new QkvSelfAttention(c, device);
        output = new Dense(c.HiddenSize, c.HiddenSize, Activation.None, c.HiddenDropout, device);
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor? additiveMask) => output.call(attention.forward(x, additiveMask));
}
