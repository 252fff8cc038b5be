using Repro.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Repro.Models.Encoders;

/// <summary>
/// The parity fixtures' tiny encoder (`"encoder": "tinyconv"`): conv = Conv2d(in, ch, 3, padding 1) -> ReLU -> global
/// average pool -> fc = Linear(ch, d). With frames, the input is (B, C, T, H, W), each frame is encoded separately and
/// the T feature vectors are averaged. A (B, H, W) input is read as one channel.
/// </summary>
public sealed class TinyConv : Module<Tensor, Tensor>, IEncoder
{
    readonly Conv2d conv;
    readonly Linear fc;
    readonly bool _frames;

    public int FeatureDim { get; }

    public TinyConv(long inChannels, long channels, int featureDim, bool frames) : base(nameof(TinyConv))
    {
        conv = Conv2d(inChannels, channels, 3, stride: 1, padding: 1, bias: true);
        fc = Linear(channels, featureDim);
        _frames = frames;
        FeatureDim = featureDim;
        RegisterComponents();
    }

    Tensor EncodeImages(Tensor x) =>
        fc.call(functional.adaptive_avg_pool2d(functional.relu(ConvolutionGuard.Conv2d(conv, x)), 1).flatten(1));

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor y;
        if (_frames)
        {
            long b = x.shape[0], t = x.shape[2];
            var frames = x.permute(0, 2, 1, 3, 4).reshape(b * t, x.shape[1], x.shape[3], x.shape[4]);
            y = EncodeImages(frames).view(b, t, FeatureDim).mean([1]);
        }
        else
        {
            y = EncodeImages(x.dim() == 3 ? x.unsqueeze(1) : x);
        }
        return y.MoveToOuterDisposeScope();
    }
}
