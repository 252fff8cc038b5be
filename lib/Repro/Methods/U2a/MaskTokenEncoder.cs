using Repro.Models.Encoders;
using Repro.Models.Transformers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Methods.U2a;

/// <summary>
/// One modality's branch of U2A (§3.2): the frozen embedding layer gives [CLS; T_m] (AST: [CLS; DIST; T_m]); a learnable
/// mask token is appended at the end, T~_m = [CLS; T_m; MT_m] (U2A eq. 2), with no position embedding; the frozen
/// encoder f_m (with LoRA) encodes all of them (U2A eq. 3). The output (B, 2, d) holds CLS^_m, the model's pooled token
/// (AST: the mean of CLS and distillation outputs), and MT^_m, the mask token's output, after the model's final norm.
/// A video input (B, 3, F, H, W) goes through the image encoder frame by frame and both outputs are averaged over frames.
/// </summary>
public sealed class MaskTokenEncoder : nn.Module<Tensor, Tensor>, IEncoder
{
    nn.Module<Tensor, Tensor> backbone;
    Parameter mask_token;

    public MaskTokenEncoder(nn.Module<Tensor, Tensor> backbone, Device? device = null) : base(nameof(MaskTokenEncoder))
    {
        if (backbone is not ITokenEncoder) throw new ArgumentException($"{backbone.GetType().Name} is not a token encoder.");
        this.backbone = backbone;
        mask_token = new Parameter(randn(1, 1, Backbone.HiddenSize, device: device) * 0.02);
        RegisterComponents();
    }

    /// <summary>The backbone as a token encoder (a view of the one registered module, so it is not registered twice).</summary>
    public ITokenEncoder Backbone => (ITokenEncoder)backbone;
    public nn.Module<Tensor, Tensor> BackboneModule => backbone;
    public Parameter MaskToken => mask_token;
    public int FeatureDim => Backbone.HiddenSize;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return Framewise.Encode(input, Tokens).MoveToOuterDisposeScope();
    }

    Tensor Tokens(Tensor input)
    {
        var (tokens, keep) = Backbone.Embed(input);
        long b = tokens.shape[0];
        tokens = cat([tokens, mask_token.expand(b, 1, -1)], 1);
        if (keep is not null) keep = cat([keep, ones(b, 1, dtype: ScalarType.Bool, device: keep.device)], 1);
        var hidden = Backbone.Encode(tokens, keep);
        return stack([Backbone.Pool(hidden), hidden.select(1, -1)], 1);
    }
}
