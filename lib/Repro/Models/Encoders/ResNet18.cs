using Repro.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Models.Encoders;

/// <summary>
/// ResNet-18 (BasicBlock x [2,2,2,2]) without its final pooling and classifier, as the OGM-GE/MLA/DGL backbones
/// (docs/official-code.md#mla-models). Field names are torchvision's, so PyTorch checkpoints load by name.
/// <para>Audio: input (B, H, W) or (B, 1, H, W), a 1-channel stem, then adaptive average pooling over the map.</para>
/// <para>Visual: input (B, C, T, H, W); each frame goes through the 2-D network ((B*T, C, H, W)), the maps are
/// reshaped to (B, 512, T, h, w) and pooled over frames and space (adaptive_avg_pool3d).</para>
/// <paramref name="width"/> is the stem's channel count (64 in the papers); the stages use width x {1,2,4,8},
/// so features are 8 x width wide. Smaller widths run the same architecture on a CPU.
/// </summary>
public sealed class ResNet18 : Module<Tensor, Tensor>, IEncoder
{
    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly MaxPool2d maxpool;
    readonly Sequential layer1, layer2, layer3, layer4;
    readonly bool _frames;

    public int FeatureDim { get; }

    /// <param name="inChannels">1 for spectrograms, 3 for RGB frames.</param>
    /// <param name="frames">True when the input is (B, C, T, H, W) and frames are pooled (the visual encoder).</param>
    public ResNet18(long inChannels, bool frames, int width = 64) : base(nameof(ResNet18))
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), "ResNet width must be at least 1.");
        _frames = frames;
        Width = width;
        conv1 = Conv2d(inChannels, width, 7, stride: 2, padding: 3, bias: false);
        bn1 = new BatchNorm2d(width);
        maxpool = MaxPool2d(3, stride: 2, padding: 1);
        layer1 = Stage(width, width, 1);
        layer2 = Stage(width, 2 * width, 2);
        layer3 = Stage(2 * width, 4 * width, 2);
        layer4 = Stage(4 * width, 8 * width, 2);
        FeatureDim = 8 * width;
        RegisterComponents();
    }

    static Sequential Stage(long inPlanes, long planes, long stride) =>
        Sequential(new BasicBlock(inPlanes, planes, stride), new BasicBlock(planes, planes, 1));

    /// <summary>True when the input is (B, C, T, H, W) and frames are pooled (the visual encoder).</summary>
    public bool Frames => _frames;
    /// <summary>The stem's channel count (64 in the papers).</summary>
    public int Width { get; }

    /// <summary>The third and fourth stages (4w and 8w channels), which an intermediate fusion may run itself (MMTM).</summary>
    public Sequential Layer3 => layer3;
    public Sequential Layer4 => layer4;

    /// <summary>The convolutional trunk: (N, C, H, W) -> (N, 8w, h, w).</summary>
    public Tensor Trunk(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = layer4.call(layer3.call(ThroughLayer2(x)));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The stem, layer1 and layer2: (N, C, H, W) -> (N, 2w, h, w).</summary>
    public Tensor ThroughLayer2(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = maxpool.call(functional.relu(bn1.call(ConvolutionGuard.Conv2d(conv1, x))));
        x = layer2.call(layer1.call(x));
        return x.MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor features;
        if (_frames)
        {
            if (x.dim() != 5) throw new ArgumentException($"Visual ResNet18 expects (B, C, T, H, W), got ({string.Join(", ", x.shape)}).");
            long b = x.shape[0], c = x.shape[1], t = x.shape[2];
            var frames = x.permute(0, 2, 1, 3, 4).reshape(b * t, c, x.shape[3], x.shape[4]);
            var maps = Trunk(frames);
            var perClip = maps.view(b, t, maps.shape[1], maps.shape[2], maps.shape[3]).permute(0, 2, 1, 3, 4);
            features = functional.adaptive_avg_pool3d(perClip, 1).flatten(1);
        }
        else
        {
            if (x.dim() == 3) x = x.unsqueeze(1);
            features = functional.adaptive_avg_pool2d(Trunk(x), 1).flatten(1);
        }
        return features.MoveToOuterDisposeScope();
    }
}
