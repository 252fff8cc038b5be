using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>
/// HF's small "dense" wrappers (BertIntermediate, ViT/AST SelfOutput, Intermediate and Output without residual):
/// a Linear named <c>dense</c>, then an activation and dropout.
/// </summary>
public sealed class Dense : nn.Module<Tensor, Tensor>
{
    nn.Module<Tensor, Tensor> dense;
    readonly Activation _activation;
    readonly double _dropout;

    public Dense(long inFeatures, long outFeatures, Activation activation, double dropout, Device? device = null) : base(nameof(Dense))
    {
        dense = nn.Linear(inFeatures, outFeatures, device: device);
        _activation = activation;
        _dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = Activations.Apply(_activation, dense.call(x));
        return _dropout > 0 ? nn.functional.dropout(y, _dropout, training) : y;
    }
}
