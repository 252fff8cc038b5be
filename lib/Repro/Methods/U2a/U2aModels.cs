using Repro.Data;
using Repro.Models.Lora;
using Repro.Models.Transformers;
using TorchSharp;
using static TorchSharp.torch;
using Repro.Models;

namespace Repro.Methods.U2a;

/// <summary>
/// Builds U2A's model (§3): per modality a transformer encoder (image and video frames: CLIP ViT; text: BERT;
/// audio: AST), made ready by <paramref name="prepare"/> (where pretrained weights are loaded), then frozen with LoRA on
/// the query, key, value and output projections of every block, and wrapped with its mask token; on top, the sum
/// fusion and linear classifier (<see cref="U2aHead"/>). Encoders are registered as "{modality}_net.backbone.*".
/// </summary>
public static class U2aModels
{
    public static MultimodalModel Build(IReadOnlyList<ModalitySpec> modalities, int numClasses, U2aEncoderSize size, LoraConfig lora,
        Action<string, nn.Module<Tensor, Tensor>>? prepare = null, Device? device = null)
    {
        var encoders = new List<(string, nn.Module<Tensor, Tensor>)>();
        int? width = null;
        foreach (var spec in modalities)
        {
            var backbone = Backbone(spec, size, device);
            prepare?.Invoke(spec.Name, backbone);
            var tokenEncoder = (ITokenEncoder)backbone;
            LoraAdapter.Apply(backbone, tokenEncoder.AttentionProjections, lora);
            if (width is { } w && w != tokenEncoder.HiddenSize)
                throw new ArgumentException($"U2A sums the modalities' tokens, so every encoder needs the same width; {spec.Name} has {tokenEncoder.HiddenSize}, the others {w}.");
            width = tokenEncoder.HiddenSize;
            encoders.Add((spec.Name, new MaskTokenEncoder(backbone, device)));
        }
        var head = new U2aHead(modalities.Select(m => m.Name).ToArray(), width!.Value, numClasses, device);
        return new MultimodalModel(encoders, head);
    }

    /// <summary>The encoder a modality gets, sized for its input (image side, spectrogram frames and bins).</summary>
    public static nn.Module<Tensor, Tensor> Backbone(ModalitySpec spec, U2aEncoderSize size, Device? device = null)
    {
        var s = spec.Shape;
        switch (spec.Name)
        {
            case Modalities.Image or Modalities.Visual:
            {
                int side = (int)s[^1];
                if (s[^2] != side) throw new ArgumentException($"U2A: {spec.Name} frames must be square for the ViT ({spec}).");
                return new ClipVisionTransformer(VisionConfig(side, size), device);
            }
            case Modalities.Text:
            {
                var c = size.Published ? BertConfig.BaseUncased
                                       : BertConfig.Tiny(size.Vocabulary, size.MaxPositions, size.Hidden, size.Layers, size.Heads);
                return new BertModel(c, device);
            }
            case Modalities.Audio:
            {
                if (s.Length != 2) throw new ArgumentException($"U2A: audio must be a (frames, mel bins) spectrogram for the AST ({spec}).");
                return new AstModel(AudioConfig((int)s[0], (int)s[1], size), device);
            }
            default:
                throw new ArgumentException($"U2A has no encoder for modality '{spec.Name}' (image, visual, text, audio).");
        }
    }

    /// <summary>The ViT of an image or frame side.</summary>
    public static ClipVisionConfig VisionConfig(int side, U2aEncoderSize size) =>
        size.Published ? ClipVisionConfig.VitB16 with { ImageSize = side } : ClipVisionConfig.Tiny(side, size.ImagePatch, size.Hidden, size.Layers, size.Heads);

    /// <summary>The AST of a (frames, mel bins) spectrogram.</summary>
    public static AstConfig AudioConfig(int frames, int melBins, U2aEncoderSize size) =>
        size.Published ? AstConfig.AudioSet with { MaxFrames = frames, MelBins = melBins }
                       : AstConfig.Tiny(frames, melBins, size.AudioPatch, size.AudioStride, size.Hidden, size.Layers, size.Heads);

    /// <summary>Trainable (requires_grad) and total parameter counts.</summary>
    public static (long Trainable, long Total) CountParameters(nn.Module model)
    {
        long trainable = 0, total = 0;
        foreach (var p in model.parameters())
        {
            total += p.numel();
            if (p.requires_grad) trainable += p.numel();
        }
        return (trainable, total);
    }
}
