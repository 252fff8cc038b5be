using Repro.Models.Encoders;
using Repro.Models.Transformers;
using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Methods.U2a;

/// <summary>
/// A token encoder used as a plain feature extractor: its pooled output (CLS; AST: the mean of CLS and distillation
/// tokens), video frames averaged as in U2A. Registered as "backbone", as in <see cref="MaskTokenEncoder"/>, so a
/// backbone trained here is saved and loaded under the same names.
/// </summary>
public sealed class PooledTokenEncoder : nn.Module<Tensor, Tensor>, IEncoder
{
    nn.Module<Tensor, Tensor> backbone;

    public PooledTokenEncoder(nn.Module<Tensor, Tensor> backbone) : base(nameof(PooledTokenEncoder))
    {
        if (backbone is not ITokenEncoder) throw new ArgumentException($"{backbone.GetType().Name} is not a token encoder.");
        this.backbone = backbone;
        RegisterComponents();
    }

    /// <summary>The backbone as a token encoder (a view of the one registered module, so it is not registered twice).</summary>
    public ITokenEncoder Backbone => (ITokenEncoder)backbone;
    public nn.Module<Tensor, Tensor> BackboneModule => backbone;
    public int FeatureDim => Backbone.HiddenSize;

    public override Tensor forward(Tensor input) => Framewise.Encode(input, backbone.call);
}
