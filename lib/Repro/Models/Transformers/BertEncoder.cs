using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>HF BertEncoder: the blocks, as <c>layer.{i}</c>.</summary>
public sealed class BertEncoder : nn.Module
{
    ModuleList<BertLayer> layer;

    public BertEncoder(TransformerConfig c, Device? device = null) : base(nameof(BertEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, c.Layers).Select(_ => new BertLayer(c, device)).ToArray());
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor? additiveMask)
    {
        foreach (var l in layer) x = l.forward(x, additiveMask);
        return x;
    }
}
