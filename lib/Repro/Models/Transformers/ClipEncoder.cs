using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>HF CLIPEncoder: the blocks, as <c>layers.{i}</c>.</summary>
public sealed class ClipEncoder : nn.Module
{
    ModuleList<ClipEncoderLayer> layers;

    public ClipEncoder(TransformerConfig c, Device? device = null) : base(nameof(ClipEncoder))
    {
        layers = nn.ModuleList(Enumerable.Range(0, c.Layers).Select(_ => new ClipEncoderLayer(c, device)).ToArray());
        RegisterComponents();
    }

    public Tensor forward(Tensor x, Tensor? additiveMask)
    {
        foreach (var layer in layers) x = layer.forward(x, additiveMask);
        return x;
    }
}
