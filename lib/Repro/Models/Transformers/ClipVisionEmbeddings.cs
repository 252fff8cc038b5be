using Repro.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>
/// HF CLIPVisionEmbeddings: <c>patch_embedding</c> Conv2d(3, d, p, stride p, no bias), a learned <c>class_embedding</c> (d)
/// prepended, then <c>position_embedding</c> (Embedding(patches + 1, d)) added. Input (B, 3, H, W) -> (B, 1 + patches, d).
/// </summary>
public sealed class ClipVisionEmbeddings : nn.Module<Tensor, Tensor>
{
    Parameter class_embedding;
    Conv2d patch_embedding;
    Embedding position_embedding;
    readonly ClipVisionConfig _c;

    public ClipVisionEmbeddings(ClipVisionConfig c, Device? device = null) : base(nameof(ClipVisionEmbeddings))
    {
        long d = c.Transformer.HiddenSize;
        class_embedding = new Parameter(randn(d, device: device));
        patch_embedding = nn.Conv2d(c.Channels, d, c.PatchSize, stride: c.PatchSize, bias: false, device: device);
        position_embedding = nn.Embedding(c.Patches + 1, d, device: device);
        _c = c;
        RegisterComponents();
    }

    public override Tensor forward(Tensor pixels)
    {
        if (pixels.dim() != 4 || pixels.shape[1] != _c.Channels || pixels.shape[2] != _c.ImageSize || pixels.shape[3] != _c.ImageSize)
            throw new ArgumentException($"CLIP vision expects pixels (B, {_c.Channels}, {_c.ImageSize}, {_c.ImageSize}), got ({string.Join(", ", pixels.shape)}).");
        using var scope = NewDisposeScope();
        long b = pixels.shape[0];
        var patches = ConvolutionGuard.Conv2d(patch_embedding, pixels).flatten(2).transpose(1, 2);
        var cls = class_embedding.expand(b, 1, -1);
        var tokens = cat([cls, patches], 1) + position_embedding.weight!.unsqueeze(0);
        return tokens.MoveToOuterDisposeScope();
    }
}
