using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>
/// The Audio Spectrogram Transformer (HF ASTModel; in an ASTForAudioClassification checkpoint its names sit under
/// <c>audio_spectrogram_transformer.</c> and the classifier head under <c>classifier.</c>, which is not loaded):
/// embeddings with CLS and distillation tokens, pre-LN blocks with exact GELU, a final <c>layernorm</c>, eps 1e-12.
/// The pooled output is the mean of the normalised CLS and distillation tokens. Input (B, T, F) fbank; forward gives (B, d).
/// </summary>
public sealed class AstModel : nn.Module<Tensor, Tensor>, ITokenEncoder
{
    AstEmbeddings embeddings;
    AstEncoder encoder;
    LayerNorm layernorm;

    public AstModel(AstConfig c, Device? device = null) : base(nameof(AstModel))
    {
        c.Validate();
        Config = c;
        embeddings = new AstEmbeddings(c, device);
        encoder = new AstEncoder(c.Transformer, device);
        layernorm = nn.LayerNorm(c.Transformer.HiddenSize, eps: c.Transformer.LayerNormEps, device: device);
        RegisterComponents();
    }

    public AstConfig Config { get; }
    public int HiddenSize => Config.Transformer.HiddenSize;

    public IReadOnlyList<string> AttentionProjections { get; } =
        ["attention.attention.query", "attention.attention.key", "attention.attention.value", "attention.output.dense"];

    public (Tensor Tokens, Tensor? Keep) Embed(Tensor spectrogram) => (embeddings.call(spectrogram), null);

    public Tensor Encode(Tensor tokens, Tensor? keep)
    {
        using var scope = NewDisposeScope();
        var mask = keep is null ? null : MultiHeadAttention.AdditiveMask(keep, tokens.dtype);
        return layernorm.call(encoder.forward(tokens, mask)).MoveToOuterDisposeScope();
    }

    public Tensor Pool(Tensor hidden) => (hidden.select(1, 0) + hidden.select(1, 1)) / 2;

    public override Tensor forward(Tensor spectrogram)
    {
        using var scope = NewDisposeScope();
        var (tokens, keep) = Embed(spectrogram);
        return Pool(Encode(tokens, keep)).MoveToOuterDisposeScope();
    }
}
