using TorchSharp;
using static TorchSharp.torch;

namespace Repro.Models.Encoders;

/// <summary>
/// A <see cref="ResNet18"/>'s stem, layer1 and layer2 as an encoder of its own, for an intermediate fusion that runs the
/// remaining stages itself (<see cref="Fusion.MmtmFusion"/>; DGL's MMTM network splits its ResNet-18s there). Its
/// modules are the ResNet's, registered under the same names (conv1, bn1, layer1, layer2), so a checkpoint's encoder
/// tensors keep their torchvision names. Output: the layer2 map, (B, 2w, h, w) for a spectrogram or image,
/// (B, 2w, T, h, w) for a clip's frames; <see cref="FeatureDim"/> is its channel count 2w.
/// </summary>
public sealed class ResNet18Front : nn.Module<Tensor, Tensor>, IEncoder
{
    // The ResNet's own forward through layer2, over the modules registered below. A delegate, not a field holding the
    // ResNet: TorchSharp registers a module's Module-typed fields, which would register layer3 and layer4 here too.
    readonly Func<Tensor, Tensor> _throughLayer2;

    public ResNet18Front(ResNet18 resnet) : base(nameof(ResNet18Front))
    {
        _throughLayer2 = resnet.ThroughLayer2;
        foreach (var (name, module) in resnet.named_children())
            if (name is "conv1" or "bn1" or "maxpool" or "layer1" or "layer2") register_module(name, module);
        FeatureDim = 2 * resnet.Width;
        Frames = resnet.Frames;
    }

    public int FeatureDim { get; }
    /// <summary>True when the input is (B, C, T, H, W) and the output keeps the frames (B, 2w, T, h, w).</summary>
    public bool Frames { get; }

    public override Tensor forward(Tensor x)
    {
        if (Frames)
        {
            if (x.dim() != 5) throw new ArgumentException($"Visual ResNet18 expects (B, C, T, H, W), got ({string.Join(", ", x.shape)}).");
            return FeatureMaps.PerFrame(_throughLayer2, x);
        }
        if (x.dim() == 3) x = x.unsqueeze(1);
        return _throughLayer2(x);
    }
}
