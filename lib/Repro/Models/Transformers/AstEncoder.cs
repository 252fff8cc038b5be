using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>HF ASTEncoder: the blocks, as <c>layer.{i}</c>.</summary>
public sealed class AstEncoder : nn.Module
{
    ModuleList<AstLayer> layer;

    public AstEncoder(TransformerConfig c, Device? device = null) : base(nameof(AstEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, c.Layers).Select(_ => new AstLayer(c, device)).ToArray());
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor? additiveMask)
    {
        foreach (var l in layer) x = l.forward(x, additiveMask);
        return x;
    }
}
