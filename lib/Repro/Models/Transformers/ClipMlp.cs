using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>HF CLIPMLP: <c>fc1</c>, quick-GELU, <c>fc2</c>.</summary>
public sealed class ClipMlp : nn.Module<Tensor, Tensor>
{
    nn.Module<Tensor, Tensor> fc1;
    nn.Module<Tensor, Tensor> fc2;

    public ClipMlp(TransformerConfig c, Device? device = null) : base(nameof(ClipMlp))
    {
        fc1 = nn.Linear(c.HiddenSize, c.IntermediateSize, device: device);
        fc2 = nn.Linear(c.IntermediateSize, c.HiddenSize, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc2.call(Activations.Apply(Activation.QuickGelu, fc1.call(x)));
}
