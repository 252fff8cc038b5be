using Repro.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Models.Transformers;

/// <summary>
/// HF ASTPatchEmbeddings: the (B, T, F) spectrogram becomes (B, 1, F, T); <c>projection</c> = Conv2d(1, d, 16,
/// stride (10, 10)) gives overlapping patches, flattened frequency-major to (B, patches, d).
/// </summary>
public sealed class AstPatchEmbeddings : nn.Module<Tensor, Tensor>
{
    Conv2d projection;

    public AstPatchEmbeddings(AstConfig c, Device? device = null) : base(nameof(AstPatchEmbeddings))
    {
        projection = nn.Conv2d(1, c.Transformer.HiddenSize, (c.PatchSize, c.PatchSize), stride: (c.FrequencyStride, c.TimeStride), device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor spectrogram)
    {
        using var scope = NewDisposeScope();
        var x = spectrogram.unsqueeze(1).transpose(2, 3);
        return ConvolutionGuard.Conv2d(projection, x).flatten(2).transpose(1, 2).MoveToOuterDisposeScope();
    }
}
