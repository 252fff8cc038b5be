using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>
/// HF ASTEmbeddings: [<c>cls_token</c>; <c>distillation_token</c>; patches] + <c>position_embeddings</c>
/// (1, patches + 2, d), then dropout. Input (B, T, F) log-mel fbank -> (B, patches + 2, d).
/// </summary>
public sealed class AstEmbeddings : nn.Module<Tensor, Tensor>
{
    Parameter cls_token;
    Parameter distillation_token;
    Parameter position_embeddings;
    AstPatchEmbeddings patch_embeddings;
    readonly AstConfig _c;

    public AstEmbeddings(AstConfig c, Device? device = null) : base(nameof(AstEmbeddings))
    {
        long d = c.Transformer.HiddenSize;
        cls_token = new Parameter(zeros(1, 1, d, device: device));
        distillation_token = new Parameter(zeros(1, 1, d, device: device));
        position_embeddings = new Parameter(zeros(1, c.Patches + 2, d, device: device));
        patch_embeddings = new AstPatchEmbeddings(c, device);
        _c = c;
        RegisterComponents();
    }

    public override Tensor forward(Tensor spectrogram)
    {
        if (spectrogram.dim() != 3 || spectrogram.shape[1] != _c.MaxFrames || spectrogram.shape[2] != _c.MelBins)
            throw new ArgumentException($"AST expects a spectrogram (B, {_c.MaxFrames} frames, {_c.MelBins} mel bins), got ({string.Join(", ", spectrogram.shape)}).");
        using var scope = NewDisposeScope();
        long b = spectrogram.shape[0];
        var tokens = cat([cls_token.expand(b, -1, -1), distillation_token.expand(b, -1, -1), patch_embeddings.call(spectrogram)], 1);
        tokens = tokens + position_embeddings;
        if (_c.Transformer.HiddenDropout > 0) tokens = nn.functional.dropout(tokens, _c.Transformer.HiddenDropout, training);
        return tokens.MoveToOuterDisposeScope();
    }
}
