using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Lora;

/// <summary>
/// A Linear layer with a low-rank update (Hu et al. 2021; PEFT's lora.Linear names): y = base_layer(x) +
/// lora_B(lora_A(lora_dropout(x))) * alpha / r. lora_A is initialised as a Linear (Kaiming uniform), lora_B to zero,
/// so a fresh adapter leaves the layer's output unchanged.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    Linear base_layer;
    Linear lora_A;
    Linear lora_B;
    Dropout lora_dropout;
    readonly double _scaling;

    public LoraLinear(Linear baseLayer, LoraConfig config) : base(nameof(LoraLinear))
    {
        var w = baseLayer.weight!;
        long outFeatures = w.shape[0], inFeatures = w.shape[1];
        base_layer = baseLayer;
        lora_A = nn.Linear(inFeatures, config.Rank, hasBias: false, device: w.device, dtype: w.dtype);
        lora_B = nn.Linear(config.Rank, outFeatures, hasBias: false, device: w.device, dtype: w.dtype);
        using (no_grad()) lora_B.weight!.zero_();
        lora_dropout = nn.Dropout(config.Dropout);
        _scaling = config.Scaling;
        RegisterComponents();
    }

    public Linear BaseLayer => base_layer;
    public Linear A => lora_A;
    public Linear B => lora_B;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = base_layer.call(x) + lora_B.call(lora_A.call(lora_dropout.call(x))) * _scaling;
        return y.MoveToOuterDisposeScope();
    }
}
