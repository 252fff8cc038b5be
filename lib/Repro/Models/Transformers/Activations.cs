using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>The feed-forward activations of the published encoders.</summary>
public enum Activation
{
    /// <summary>Exact GELU, x * Phi(x) (BERT, ViT, AST: hidden_act "gelu").</summary>
    Gelu,
    /// <summary>x * sigmoid(1.702 x) (CLIP: hidden_act "quick_gelu").</summary>
    QuickGelu,
    Tanh,
    None,
}

public static class Activations
{
    public static Tensor Apply(Activation a, Tensor x) => a switch
    {
        Activation.Gelu => nn.functional.gelu(x),
        Activation.QuickGelu => x * sigmoid(x * 1.702),
        Activation.Tanh => tanh(x),
        _ => x,
    };
}
