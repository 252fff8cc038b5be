using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Repro.Native;

/// <summary>
/// Every convolution of the kit's encoders goes through here. libtorch 2.10's oneDNN races in the backward pass of
/// convolutions whose channel counts do not fill its channel blocks (environment.md, "oneDNN convolutions"); those run
/// their backward pass on one thread (<see cref="SingleThreadedBackward"/>), which never raced, and every other pass
/// (all forwards, the backward of full-block convolutions) keeps all threads and oneDNN at the CPU's own instruction set.
/// </summary>
public static class ConvolutionGuard
{
    /// <summary>
    /// oneDNN's channel block for float32 on AVX-512 (16 lanes; AVX2's 8 divides it). Measured with 2 threads: a first
    /// convolution with 3 or 1 input channels and 4 or 8 outputs gave NaN in a third to a half of 200 repeated backward
    /// passes, with 64 outputs in 1-2 of 200; 16 -> 64 and 64 -> 64 channels in none.
    /// </summary>
    public const long ChannelBlock = 16;

    /// <summary>False when REPRO_CONV_GUARD=off: every backward pass keeps all threads (to measure the race).</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("REPRO_CONV_GUARD") is not "off";

    /// <summary>True when a convolution's backward pass is exposed to the race: a channel count that is not whole blocks.</summary>
    public static bool Exposed(long inChannels, long outChannels, long groups = 1) =>
        groups != 1 || inChannels % ChannelBlock != 0 || outChannels % ChannelBlock != 0;

    /// <summary>The module's convolution of <paramref name="x"/>, its backward single-threaded when exposed.</summary>
    public static Tensor Conv2d(Conv2d conv, Tensor x)
    {
        Tensor weight = conv.weight!;
        _recording?.Add(new ConvolutionShape(x.shape, weight.shape, conv.stride, conv.padding ?? [0, 0], conv.dilation, conv.groups, conv.bias is not null, x.requires_grad));
        if (!Guards(x, weight, conv.in_channels, conv.out_channels, conv.groups)) return conv.call(x);
        // End on the weight (or the input): its backward follows the convolution's; Begin on the output precedes it.
        if (weight.requires_grad) weight = SingleThreadedBackward.End(weight);
        else x = SingleThreadedBackward.End(x);
        var padding = conv.padding ?? throw new NotSupportedException("ConvolutionGuard: padding given by name ('same', 'valid') is not supported; give it in pixels.");
        if (conv.padding_mode != PaddingModes.Zeros)
        {
            x = nn.functional.pad(x, [padding[1], padding[1], padding[0], padding[0]], conv.padding_mode);
            padding = [0, 0];
        }
        var y = nn.functional.conv2d(x, weight, conv.bias, conv.stride, padding, conv.dilation, conv.groups);
        return SingleThreadedBackward.Begin(y);
    }

    [ThreadStatic] static List<ConvolutionShape>? _recording;

    /// <summary>The distinct convolutions <paramref name="run"/> performs on this thread through <see cref="Conv2d"/>, in order.</summary>
    public static IReadOnlyList<ConvolutionShape> Record(Action run)
    {
        var outer = _recording;
        _recording = new();
        try
        {
            run();
            return _recording.Distinct().ToList();
        }
        finally
        {
            _recording = outer;
        }
    }

    /// <summary>Whether a convolution of <paramref name="x"/> by <paramref name="weight"/> needs the single-threaded backward here.</summary>
    public static bool Guards(Tensor x, Tensor weight, long inChannels, long outChannels, long groups = 1) =>
        Enabled && TorchRuntime.OneDnnEnabled && x.device_type == DeviceType.CPU && torch.is_grad_enabled()
        && (weight.requires_grad || x.requires_grad) && Exposed(inChannels, outChannels, groups) && IntraOpThreads.Current > 1;
}
