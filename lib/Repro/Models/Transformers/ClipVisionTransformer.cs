using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>
/// CLIP's vision tower (HF CLIPVisionTransformer; in a CLIP checkpoint its names sit under <c>vision_model.</c>):
/// embeddings, <c>pre_layrnorm</c> (sic, the published name), pre-LN blocks with quick-GELU, <c>post_layernorm</c>,
/// LayerNorm eps 1e-5. The pooled output is post_layernorm of the CLS token; <see cref="Encode"/> applies
/// post_layernorm to every token (it acts per token, so the CLS row is exactly HF's pooled output).
/// Input (B, 3, H, W) pixels; forward gives the pooled (B, d).
/// </summary>
public sealed class ClipVisionTransformer : nn.Module<Tensor, Tensor>, ITokenEncoder
{
    ClipVisionEmbeddings embeddings;
    LayerNorm pre_layrnorm;
    ClipEncoder encoder;
    LayerNorm post_layernorm;

    public ClipVisionTransformer(ClipVisionConfig c, Device? device = null) : base(nameof(ClipVisionTransformer))
    {
        c.Validate();
        Config = c;
        embeddings = new ClipVisionEmbeddings(c, device);
        pre_layrnorm = nn.LayerNorm(c.Transformer.HiddenSize, eps: c.Transformer.LayerNormEps, device: device);
        encoder = new ClipEncoder(c.Transformer, device);
        post_layernorm = nn.LayerNorm(c.Transformer.HiddenSize, eps: c.Transformer.LayerNormEps, device: device);
        RegisterComponents();
    }

    public ClipVisionConfig Config { get; }
    public int HiddenSize => Config.Transformer.HiddenSize;

    public IReadOnlyList<string> AttentionProjections { get; } =
        ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj"];

    public (Tensor Tokens, Tensor? Keep) Embed(Tensor pixels) => (embeddings.call(pixels), null);

    public Tensor Encode(Tensor tokens, Tensor? keep)
    {
        using var scope = NewDisposeScope();
        var mask = keep is null ? null : MultiHeadAttention.AdditiveMask(keep, tokens.dtype);
        var hidden = encoder.forward(pre_layrnorm.call(tokens), mask);
        return post_layernorm.call(hidden).MoveToOuterDisposeScope();
    }

    public Tensor Pool(Tensor hidden) => hidden.select(1, 0);

    public override Tensor forward(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var (tokens, keep) = Embed(pixels);
        return Pool(Encode(tokens, keep)).MoveToOuterDisposeScope();
    }
}
